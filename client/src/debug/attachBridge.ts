/**
 * Answers the adapter's `stepwiseAttach` event: js-debug attaches to the waiting task as a child
 * session of the Stepwise session, named by the task's pathspec (run/step/task). The adapter
 * does not use DAP's startDebugging reverse request: it would start a child of its own type.
 */
import * as vscode from 'vscode';
import { ATTACH_EVENT, DEBUG_TYPE, type AttachEventBody } from '../../../runtime/src/debug/protocol';

export interface TaskSessionEvent {
  /** The task's child debug session (pwa-node). */
  session: vscode.DebugSession;
  /** Flow/run/step/task */
  pathspec: string;
  parent: vscode.DebugSession;
}

export class AttachBridge implements vscode.Disposable {
  private readonly started = new vscode.EventEmitter<TaskSessionEvent>();
  /** Fires when js-debug's session for a task has started. */
  readonly onDidStartTaskSession = this.started.event;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subs = [
      this.started,
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type === DEBUG_TYPE && e.event === ATTACH_EVENT) void this.attach(e.session, e.body as AttachEventBody);
      }),
      vscode.debug.onDidStartDebugSession((s) => {
        const pathspec = (s.configuration as { __stepwiseTask?: string }).__stepwiseTask;
        if (pathspec && s.parentSession) this.started.fire({ session: s, pathspec, parent: s.parentSession });
      }),
    ];
  }

  private async attach(parent: vscode.DebugSession, body: AttachEventBody): Promise<void> {
    const ok = await vscode.debug.startDebugging(parent.workspaceFolder, body.config, {
      parentSession: parent,
      lifecycleManagedByParent: true,
      compact: true,
    });
    if (!ok) {
      // The task waits for a debugger that will never come: stop the run rather than hang.
      this.log.error(`could not attach the JavaScript debugger to task ${body.pathspec} (pid ${body.pid}, ${body.inspectorUrl})`);
      void vscode.window.showErrorMessage(`Stepwise: could not attach the debugger to task ${body.config.name}; the run is stopped.`);
      await vscode.debug.stopDebugging(parent);
    }
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
  }
}
