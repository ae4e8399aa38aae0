/**
 * Runs started from VS Code with visible progress: `stepwise.runWithProgress` (the active flow,
 * or a file given as argument), the API the explorer's Resume and the tests use, and runs the
 * Run CodeLens starts in a terminal (followed through the datastore).
 */
import * as vscode from 'vscode';
import { Commands, registerCommand } from '../contributions';
import { FlowRunner, type RunOutcome, type StartRunOptions } from './runner';
import { watchTerminalRuns } from './terminalRuns';
import { DEBUG_TYPE, RUN_EVENT } from '../../../runtime/src/debug/protocol';
import type { RunEvent } from '../../../runtime/src/scheduler/events';
import type { RuntimeSelection } from '../runtimeSelection';
import type { RunStateService } from '../state/service';

export type { RunOutcome, StartRunOptions } from './runner';

export interface RunsApi {
  /** Starts the CLI on a flow; resolves when the run ends. */
  start(o: StartRunOptions): Promise<RunOutcome>;
  /** What the run status bar item shows now. */
  statusText(): string;
  readonly onDidStart: vscode.Event<{ runId: string; flow: string; file: string }>;
  readonly onDidFinish: vscode.Event<RunOutcome>;
}

export function registerRuns(
  context: vscode.ExtensionContext,
  installations: RuntimeSelection,
  state: RunStateService,
): { runner: FlowRunner; api: RunsApi } {
  const runner = new FlowRunner((file) => installations.forPath(file).use.cli, state);
  context.subscriptions.push(
    runner,
    // The Run CodeLens runs the CLI in a terminal: follow those runs too.
    watchTerminalRuns({ follow: (t) => runner.follow(t) }),
    // And runs under the debugger (F5, Ctrl+F5, Resume (Debug)), from the adapter's first event of
    // the run: the session may start the run before the session's own start is seen here.
    followDebugRuns(runner),
    registerCommand(Commands.runWithProgress, async (arg) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri || uri.scheme !== 'file') {
        void vscode.window.showWarningMessage('Stepwise: open a saved flow file to run it.');
        return undefined;
      }
      const doc = await vscode.workspace.openTextDocument(uri);
      if (doc.isDirty && !(await doc.save())) return undefined;
      return runner.start({ file: uri.fsPath, cwd: state.runFolderOf(uri.fsPath), command: 'run' });
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

/** Hands each Stepwise debug session's run events to the runner, from the first one on. */
function followDebugRuns(runner: FlowRunner): vscode.Disposable {
  const sessions = new Map<vscode.DebugSession, vscode.EventEmitter<RunEvent>>();
  const start = (s: vscode.DebugSession): vscode.EventEmitter<RunEvent> | undefined => {
    const c = s.configuration as { flow?: unknown; cwd?: unknown; command?: unknown };
    if (typeof c.flow !== 'string' || typeof c.cwd !== 'string') return undefined;
    const events = new vscode.EventEmitter<RunEvent>();
    sessions.set(s, events);
    const ended = new Promise<void>((done) => {
      const sub = vscode.debug.onDidTerminateDebugSession((t) => {
        if (t !== s) return;
        sub.dispose();
        sessions.delete(s);
        done();
        events.dispose();
      });
    });
    void runner.followSession({
      file: c.flow,
      cwd: c.cwd,
      command: c.command === 'resume' ? 'resume' : 'run',
      events: events.event,
      ended,
      cancel: () => void vscode.debug.stopDebugging(s),
    });
    return events;
  };
  return vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
    if (e.event !== RUN_EVENT || e.session.type !== DEBUG_TYPE) return;
    (sessions.get(e.session) ?? start(e.session))?.fire(e.body as RunEvent);
  });
}
