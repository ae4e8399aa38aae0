/**
 * The language client for the Stepwise server (dist/server.js, over Node IPC). TypeScript
 * documents are synced; the server itself ignores those without a flow.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

export const CLIENT_ID = 'stepwise';
const CLIENT_NAME = 'Stepwise Language Server';

/** Port of the server's inspector when the extension itself runs under a debugger. */
export const SERVER_INSPECT_PORT = 6009;

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', `--inspect=${SERVER_INSPECT_PORT}`] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'typescript' },
      { scheme: 'untitled', language: 'typescript' },
    ],
    outputChannel: output,
    // Read at each (re)start: the server loads a project's own Stepwise only in a trusted workspace.
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted }),
    errorHandler: new RestartingErrorHandler(output),
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

/**
 * A crashed server is restarted at once: a malformed file must never leave the user without
 * diagnostics. Only a server that keeps crashing (5 times within 3 minutes) stays down, with a
 * message saying so, rather than restarting in a loop.
 */
export class RestartingErrorHandler implements ErrorHandler {
  private readonly crashes: number[] = [];
  static readonly maxCrashes = 5;
  static readonly windowMs = 3 * 60_000;

  constructor(private readonly output: vscode.LogOutputChannel) {}

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    this.output.error(`connection to the language server failed: ${error.message}`);
    // A few write errors in a row mean the connection is gone; `closed` then decides.
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes.push(now);
    while (this.crashes.length && now - this.crashes[0]! > RestartingErrorHandler.windowMs) this.crashes.shift();
    if (this.crashes.length >= RestartingErrorHandler.maxCrashes) {
      return {
        action: CloseAction.DoNotRestart,
        message: `The Stepwise language server crashed ${this.crashes.length} times in 3 minutes and will not be restarted. Run "Stepwise: Restart Language Server" after fixing the cause (see the Stepwise output).`,
      };
    }
    this.output.warn(
      `the language server stopped unexpectedly; restarting (crash ${this.crashes.length} of ${RestartingErrorHandler.maxCrashes} allowed in 3 minutes)`,
    );
    return { action: CloseAction.Restart, handled: true };
  }
}
