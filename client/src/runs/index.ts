/**
 * Runs started from VS Code with visible progress: `stepwise.runWithProgress` (the active flow,
 * or a file given as argument), the API the explorer's Resume and the tests use, and runs the
 * Run CodeLens starts in a terminal (followed through the datastore).
 */
import * as vscode from 'vscode';
import { Commands, registerCommand } from '../contributions';
import { FlowRunner, type RunOutcome, type StartRunOptions } from './runner';
import { watchTerminalRuns } from './terminalRuns';
import { DEBUG_TYPE } from '../../../runtime/src/debug/protocol';
import type { RuntimeSelection } from '../runtimeSelection';

export type { RunOutcome, StartRunOptions } from './runner';

export interface RunsApi {
  /** Starts the CLI on a flow; resolves when the run ends. */
  start(o: StartRunOptions): Promise<RunOutcome>;
  /** What the run status bar item shows now. */
  statusText(): string;
  readonly onDidStart: vscode.Event<{ runId: string; flow: string; file: string }>;
  readonly onDidFinish: vscode.Event<RunOutcome>;
}

export function registerRuns(context: vscode.ExtensionContext, installations: RuntimeSelection): { runner: FlowRunner; api: RunsApi } {
  const runner = new FlowRunner((file) => installations.forPath(file).use.cli);
  context.subscriptions.push(
    runner,
    // The Run CodeLens runs the CLI in a terminal: follow those runs too.
    watchTerminalRuns({ follow: (t) => runner.follow(t) }),
    // And runs under the debugger (F5, Resume (Debug)): the status bar follows the latest run, from any path.
    vscode.debug.onDidStartDebugSession((s) => {
      const c = s.configuration as { flow?: unknown; cwd?: unknown; command?: unknown };
      if (s.type !== DEBUG_TYPE || typeof c.flow !== 'string' || typeof c.cwd !== 'string') return;
      const ended = new Promise<void>((done) => {
        const sub = vscode.debug.onDidTerminateDebugSession((t) => {
          if (t !== s) return;
          sub.dispose();
          done();
        });
      });
      void runner.follow({
        file: c.flow,
        cwd: c.cwd,
        command: c.command === 'resume' ? 'resume' : 'run',
        since: Date.now(),
        ended,
        cancel: () => void vscode.debug.stopDebugging(s),
        where: 'under the debugger',
      });
    }),
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
