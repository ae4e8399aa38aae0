/**
 * The task the debugger holds: the extension names each task's child debug session by its
 * pathspec (run/step/task), so the focused stack frame's session tells which step is paused.
 */
import * as vscode from 'vscode';

const PATHSPEC = /^[^/\s]+\/[^/\s]+\/[^/\s]+$/;

export class PausedTaskTracker implements vscode.Disposable {
  private current: string | undefined;
  private readonly emitter = new vscode.EventEmitter<string | undefined>();
  readonly onDidChange = this.emitter.event;
  private readonly subs: vscode.Disposable[];

  constructor() {
    this.subs = [
      this.emitter,
      vscode.debug.onDidChangeActiveStackItem((item) => {
        // js-debug holds the stack in a target session below the task's (`Remote Process [0] « 7/b/3`).
        let name: string | undefined;
        for (let s = item && ('frameId' in item) ? item.session : undefined; s && !name; s = s.parentSession) if (PATHSPEC.test(s.name)) name = s.name;
        this.set(name);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.name === this.current) this.set(undefined);
      }),
    ];
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
