/**
 * Drives the shipped language server bundle (dist/server.js --stdio) as a real subprocess
 * over JSON-RPC. Every notification is kept, so a test waits for "the diagnostics of
 * version 3" with a promise that resolves whether they came before or after it asked.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { FlowGraphNotification, FlowGraphRequest, type FlowGraphParams, type FlowGraphResult } from '../../server/src/protocol';

export const repoRoot = join(__dirname, '..', '..', '..');
export const serverPath = join(repoRoot, 'dist', 'server.js');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');

export function fixtureUri(relative: string): string {
  return pathToFileURL(join(fixturesDir, relative)).href;
}

export function fixtureText(relative: string): string {
  return readFileSync(join(fixturesDir, relative), 'utf8');
}

interface Waiter<T> {
  match: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (err: Error) => void;
}

/** Everything received of one notification type, and promises over it. */
class Inbox<T> {
  readonly items: T[] = [];
  private waiters: Waiter<T>[] = [];
  private failure: Error | undefined;

  push(item: T): void {
    this.items.push(item);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(item)) return true;
      w.resolve(item);
      return false;
    });
  }

  /** The first item, received already or later, that matches. */
  waitFor(match: (item: T) => boolean): Promise<T> {
    const known = this.items.find(match);
    if (known) return Promise.resolve(known);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ match, resolve, reject }));
  }

  fail(err: Error): void {
    this.failure = err;
    for (const w of this.waiters) w.reject(err);
    this.waiters = [];
  }
}

export class LspSession {
  readonly diagnostics = new Inbox<PublishDiagnosticsParams>();
  readonly graphs = new Inbox<FlowGraphParams>();
  readonly logs: string[] = [];
  stderr = '';
  private exited = false;

  private constructor(
    readonly proc: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
  ) {}

  /** `initializationOptions` as the extension sends them (`{ trusted }`); none by default. */
  static async start(initializationOptions?: Record<string, unknown>): Promise<LspSession> {
    const proc = spawn(process.execPath, [serverPath, '--stdio'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    const session = new LspSession(proc, connection);
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (session.stderr += d));
    proc.on('exit', (code, signal) => {
      session.exited = true;
      const err = new Error(
        `language server exited (code ${code}, signal ${signal}); stderr: ${session.stderr}; log: ${session.logs.join('\n')}`,
      );
      session.diagnostics.fail(err);
      session.graphs.fail(err);
    });
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => session.diagnostics.push(p));
    connection.onNotification(FlowGraphNotification, (p: FlowGraphParams) => session.graphs.push(p));
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      session.logs.push(p.message);
    });
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(repoRoot).href,
      ...(initializationOptions ? { initializationOptions } : {}),
      capabilities: {
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          synchronization: { didSave: true },
        },
      },
    });
    await connection.sendNotification('initialized', {});
    return session;
  }

  get alive(): boolean {
    return !this.exited;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'typescript', version, text },
    });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  save(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  diagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return this.diagnostics.waitFor((p) => p.uri === uri && p.version === version);
  }

  graphFor(uri: string, version: number): Promise<FlowGraphParams> {
    return this.graphs.waitFor((p) => p.uri === uri && p.version === version);
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Stepwise's own request, through its typed message (server/src/protocol.ts). */
  flowGraph(uri: string): Promise<FlowGraphResult> {
    return this.connection.sendRequest(FlowGraphRequest, { uri });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.proc.kill('SIGKILL');
    }
    await exited;
    this.connection.dispose();
  }
}
