/**
 * The debugger's commands on a DAG preview node (webview/context): Debug Task and Resume Run
 * from This Step (Debug), in the run the preview shows. The node names only its step, so each
 * turns it into what the debugger's own commands take (debug/commands.ts) and hands over.
 */
import * as vscode from 'vscode';
import { parseTaskPathspec } from '../../../runtime/src/pathspec';
import { Commands, executeCommand, registerCommand } from '../contributions';
import { sayNoRunShown, stepOfNode, taskOfStep, type ShownRun } from '../preview/stepTask';

export interface DagNodeDeps {
  /** The flow and run the DAG preview shows. */
  previewRun(): ShownRun | undefined;
  /** The datastore the explorer (and so the preview) reads. */
  root(): string;
}

export function dagNodeCommands(d: DagNodeDeps): vscode.Disposable[] {
  return [
    registerCommand(Commands.previewDebugTask, async (node) => {
      const step = stepOfNode(node);
      if (!step) return false;
      const shown = d.previewRun();
      // A step's last task, or the user's pick of a foreach's tasks.
      const picked = await taskOfStep(shown, d.root(), step, { title: `Debug which task of ${step}?`, several: 'lastUnlessForeach' });
      const task = picked ? parseTaskPathspec(picked) : undefined;
      if (!shown || !task) return false;
      return executeCommand(Commands.debugTask, shown.document, `${task.runId}/${task.step}/${task.taskId}`);
    }),
    registerCommand(Commands.previewResumeDebug, (node) => {
      const step = stepOfNode(node);
      const shown = d.previewRun();
      if (!step) return false;
      if (!shown) {
        sayNoRunShown();
        return false;
      }
      return executeCommand(Commands.resumeDebug, shown.document, { originRunId: shown.runId, step });
    }),
  ];
}
