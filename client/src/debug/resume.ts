/**
 * Resume Last Run (Debug): pick the origin run (latest first) and the step to re-run from (the
 * failed step preselected), then debug the resume like any `stepwise` launch.
 */
import * as vscode from 'vscode';
import type { RunClient } from '../../../runtime/src/client';
import { failedSteps, resumableRuns } from '../state/runs';

export interface ResumeChoice {
  originRunId: string;
  /** undefined: the runtime's default (the failed step). */
  step: string | undefined;
}

export async function pickResume(flowName: string, root: string): Promise<ResumeChoice | undefined> {
  let runs: RunClient[];
  try {
    runs = await resumableRuns(root, flowName);
  } catch {
    runs = [];
  }
  if (!runs.length) {
    void vscode.window.showWarningMessage(`Stepwise: ${flowName} has no run to resume in ${root}. Debug it first.`);
    return undefined;
  }
  const runPick = await vscode.window.showQuickPick(
    runs.map((r, i) => ({
      label: r.id,
      description: `${r.status}${i === 0 ? ' · latest' : ''}`,
      detail: `${r.kind} started ${r.createdAt.toLocaleString()}`,
      run: r,
    })),
    { title: `Resume ${flowName}: origin run`, placeHolder: 'The run whose successful tasks are reused', ignoreFocusOut: true },
  );
  if (!runPick) return undefined;
  const failed = await failedSteps(root, flowName, runPick.run.id);
  const steps = (await runPick.run.steps()).map((s) => s.name);
  const items = [
    {
      label: failed[0] ?? '(from the failed step)',
      description: failed.length ? 'failed · default' : 'default',
      step: failed[0] as string | undefined,
    },
    ...steps.filter((s) => s !== failed[0]).map((s) => ({ label: s, description: '', step: s as string | undefined })),
  ];
  const stepPick = await vscode.window.showQuickPick(items, {
    title: `Resume ${flowName}/${runPick.run.id}: re-run from step`,
    ignoreFocusOut: true,
  });
  if (!stepPick) return undefined;
  return { originRunId: runPick.run.id, step: stepPick.step };
}
