/**
 * The task a DAG preview node stands for: its step's task in the run the preview shows. The
 * node's menu names only the step (`{ webviewSection: 'step', step }`), so Open Task in Notebook
 * and Debug Task both come here to turn it into a task pathspec.
 */
import * as vscode from 'vscode';
import { Flow, type TaskClient } from '../../../runtime/src/client';

/** The flow and run the preview shows, and the flow's document it shows them for. */
export interface ShownRun {
  flow: string;
  runId: string;
  document: vscode.Uri;
}

/** A DAG node's menu context (webview/context, `data-vscode-context` on the node). */
export function stepOfNode(arg: unknown): string | undefined {
  if (!arg || typeof arg !== 'object' || !('webviewSection' in arg)) return undefined;
  const step = (arg as { step?: unknown }).step;
  return typeof step === 'string' ? step : undefined;
}

/** A node's command with no run in the preview to take the task from. */
export function sayNoRunShown(): void {
  void vscode.window.showInformationMessage(`Stepwise: the preview shows no run of this flow yet: run it first.`);
}

export interface StepTaskChoice {
  /** The quick pick's title when the user chooses. */
  title: string;
  /**
   * When several tasks ran the step: `pick` always asks; `lastUnlessForeach` asks for a foreach's
   * tasks (each has its own item) and takes the latest of a step run several times (a loop).
   */
  several: 'pick' | 'lastUnlessForeach';
}

/** The pathspec (Flow/run/step/task) of the step's task in the shown run; undefined when cancelled or there is none. */
export async function taskOfStep(
  shown: ShownRun | undefined,
  root: string,
  stepName: string,
  choice: StepTaskChoice,
): Promise<string | undefined> {
  if (!shown) {
    sayNoRunShown();
    return undefined;
  }
  let tasks: TaskClient[];
  try {
    tasks = await (await Flow(shown.flow, { root }).run(shown.runId)).step(stepName).tasks();
  } catch (err) {
    // The run deleted since the preview read it, or an unreadable store: say which, not a stack.
    void vscode.window.showErrorMessage(`Stepwise: cannot read the tasks of ${stepName} in run ${shown.runId}: ${(err as Error).message}`);
    return undefined;
  }
  if (!tasks.length) {
    void vscode.window.showInformationMessage(`Stepwise: step ${stepName} has no task in run ${shown.runId}.`);
    return undefined;
  }
  if (tasks.length === 1) return tasks[0].pathspec;
  const foreach = tasks.some((t) => t.foreachIndex !== undefined);
  // Tasks come in id order, the order they started: the last is a loop's latest pass.
  if (choice.several === 'lastUnlessForeach' && !foreach) return tasks[tasks.length - 1].pathspec;
  return pickOne(tasks, choice.title);
}

async function pickOne(tasks: TaskClient[], title: string): Promise<string | undefined> {
  const rank = (s: string) => (s === 'failed' ? 0 : s === 'running' ? 1 : 2);
  const items = [...tasks]
    .sort((a, b) => rank(a.status) - rank(b.status))
    .map((t) => ({ label: t.pathspec, description: `${t.status}${t.foreachIndex !== undefined ? ` · item ${t.foreachIndex}` : ''}` }));
  return (await vscode.window.showQuickPick(items, { title }))?.label;
}
