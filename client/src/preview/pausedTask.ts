/**
 * The task the debugger holds: the extension names each task's child debug session by its
 * pathspec (run/step/task), so the focused stack frame's session tells which step is paused.
 */
import * as vscode from 'vscode';

const PATHSPEC = /^[^/\s]+\/[^/\s]+\/[^/\s]+$/;

/** The task (run/step/task) whose session holds a stack frame, if that is what is focused. */
function pausedTaskOf(item: vscode.DebugThread | vscode.DebugStackFrame | undefined): string | undefined {
  // js-debug holds the stack in a target session below the task's (`Remote Process [0] « 7/b/3`).
  for (let s = item && ('frameId' in item) ? item.session : undefined; s; s = s.parentSession) if (PATHSPEC.test(s.name)) return s.name;
  return undefined;
}

export class PausedTaskTracker implements vscode.Disposable {
  private current: string | undefined;
  private readonly emitter = new vscode.EventEmitter<string | undefined>();
  readonly onDidChange = this.emitter.event;
  private readonly subs: vscode.Disposable[];

  constructor() {
    this.subs = [
      this.emitter,
      vscode.debug.onDidChangeActiveStackItem((item) => this.set(pausedTaskOf(item))),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.name === this.current) this.set(undefined);
      }),
    ];
    // The preview may open while the debugger is already stopped in a task.
    this.current = pausedTaskOf(vscode.debug.activeStackItem);
  }

  get pathspec(): string | undefined {
    return this.current;
  }

  private set(p: string | undefined): void {
    if (p === this.current) return;
    this.current = p;
    this.emitter.fire(p);
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
  }
}
