/** Debug Task from the palette: pick a run of the flow (latest first), then one of its tasks. */
import * as vscode from 'vscode';
import { Flow, type RunClient } from '../../../runtime/src/client';

/** `run/step/task`, or undefined when cancelled. */
export async function pickTask(flowName: string, root: string): Promise<string | undefined> {
  let runs: RunClient[];
  try {
    runs = await Flow(flowName, { root }).runs({ limit: 30 });
  } catch {
    runs = [];
  }
  if (!runs.length) {
    void vscode.window.showWarningMessage(`Stepwise: ${flowName} has no run in ${root} to take a task from. Run it first.`);
    return undefined;
  }
  const runPick = await vscode.window.showQuickPick(
    runs.map((r, i) => ({ label: r.id, description: `${r.kind} · ${r.status}${i === 0 ? ' · latest' : ''}`, run: r })),
    { title: `Debug Task of ${flowName}: run`, ignoreFocusOut: true },
  );
  if (!runPick) return undefined;
  const items: Array<vscode.QuickPickItem & { task: string }> = [];
  for (const step of await runPick.run.steps()) {
    for (const t of await step.tasks()) {
      // Only a finished task has the inputs a spin reuses.
      if (t.status === 'running') continue;
      items.push({ label: `${step.name}/${t.id}`, description: t.status, task: `${runPick.run.id}/${step.name}/${t.id}` });
    }
  }
  const taskPick = await vscode.window.showQuickPick(items, { title: `Debug Task of ${flowName}/${runPick.run.id}`, ignoreFocusOut: true });
  return taskPick?.task;
}
