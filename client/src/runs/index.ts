/**
 * Runs started from VS Code with visible progress: `stepwise.runWithProgress` (the active flow,
 * or a file given as argument), the API the explorer's Resume and the tests use, and runs the
 * Run CodeLens starts in a terminal (followed through the datastore).
 */
import * as vscode from 'vscode';
import { Commands, registerCommand } from '../contributions';
import { FlowRunner, type RunOutcome, type StartRunOptions } from './runner';
import { watchTerminalRuns } from './terminalRuns';

export type { RunOutcome, StartRunOptions } from './runner';

export interface RunsApi {
  /** Starts the CLI on a flow; resolves when the run ends. */
  start(o: StartRunOptions): Promise<RunOutcome>;
  /** What the run status bar item shows now. */
  statusText(): string;
  readonly onDidStart: vscode.Event<{ runId: string; flow: string; file: string }>;
  readonly onDidFinish: vscode.Event<RunOutcome>;
}

export function registerRuns(context: vscode.ExtensionContext): { runner: FlowRunner; api: RunsApi } {
  const runner = new FlowRunner(context.asAbsolutePath('dist/cli.js'));
  context.subscriptions.push(
    runner,
    // The Run CodeLens runs the CLI in a terminal: follow those runs too.
    watchTerminalRuns({ follow: (t) => runner.follow(t) }),
    registerCommand(Commands.runWithProgress, async (arg) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri || uri.scheme !== 'file') {
        void vscode.window.showWarningMessage('Stepwise: open a saved flow file to run it.');
        return undefined;
      }
      const doc = await vscode.workspace.openTextDocument(uri);
      if (doc.isDirty && !(await doc.save())) return undefined;
      const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? uri.fsPath.replace(/[\\/][^\\/]*$/, '');
      return runner.start({ file: uri.fsPath, cwd: folder, command: 'run' });
    }),
  );
  return {
    runner,
    api: {
      start: (o) => runner.start(o),
      statusText: () => runner.statusText(),
      onDidStart: runner.onDidStart,
      onDidFinish: runner.onDidFinish,
    },
  };
}
