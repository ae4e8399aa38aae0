/**
 * Reading a datastore's runs and their live state through the runtime's client API (the same
 * reader as `stepwise dump`), for every part of the extension: the preview's picker and overlay,
 * the resume pickers, the runs followed from a terminal or the debugger. Plain Node (no `vscode`):
 * tested against real CLI runs.
 */
import { Flow, Metaflow, type RunClient } from '../../../runtime/src/client';
import type { TaskRecord } from '../../../runtime/src/datastore/types';
import type { RunOverlay } from '../../../webview/src/messages';
import { overlayOf, type TaskState } from '../preview/runState';

export interface RunInfo {
  runId: string;
  status: string;
  startedAt?: string;
}

/** How many runs a picker lists. */
const RUN_LIMIT = 50;

/** A flow's runs, newest first (spin runs included: the preview shows them). */
export async function listRuns(root: string, flowName: string): Promise<RunInfo[]> {
  const runs = await Flow(flowName, { root }).runs({ limit: RUN_LIMIT });
  return runs.map((r) => ({ runId: r.id, status: r.status, startedAt: r.record.startedAt }));
}

/** The runs a resume can start from: newest first, spin runs left out. */
export async function resumableRuns(root: string, flowName: string, limit = 30): Promise<RunClient[]> {
  return (await Flow(flowName, { root }).runs({ limit })).filter((r) => r.kind !== 'spin');
}

/** A run's state per step, through the one step-state derivation (../state/stepState.ts). */
export async function runOverlay(root: string, flowName: string, runId: string): Promise<RunOverlay> {
  const run = await Flow(flowName, { root }).run(runId);
  const tasks: Record<string, TaskState[]> = {};
  const expected: Record<string, number> = {};
  const passes: Record<string, number> = {};
  const cases: Record<string, Record<string, number>> = {};
  for (const step of await run.steps()) {
    const list = await step.tasks();
    tasks[step.name] = list.map((t) => (t.damaged ? 'failed' : t.clonedFrom ? 'cloned' : t.status));
    for (const t of list) {
      // A task's pass is known from its start, so a loop's count grows while it runs; the case
      // a switch took, once its task has finished.
      if (!t.damaged && t.pass !== undefined) passes[step.name] = Math.max(passes[step.name] ?? 0, t.pass);
      const taken = t.damaged ? undefined : t.switchCase?.case;
      if (taken !== undefined) {
        const counts = (cases[step.name] ??= {});
        counts[taken] = (counts[taken] ?? 0) + 1;
      }
      // A foreach's width is known as soon as the splitting task finishes.
      const tr = 'transition' in t.record ? (t.record as TaskRecord).transition : undefined;
      if (tr?.foreach && tr.foreachCount !== undefined && tr.next[0]) expected[tr.next[0]] = (expected[tr.next[0]] ?? 0) + tr.foreachCount;
    }
  }
  return overlayOf({ runId: run.id, status: run.status, tasks, expected, passes, cases });
}

/** The steps of a run that will not succeed (failed or killed), in flow order: where a resume starts. */
export async function failedSteps(root: string, flowName: string, runId: string): Promise<string[]> {
  const overlay = await runOverlay(root, flowName, runId);
  return Object.entries(overlay.steps)
    .filter(([, s]) => s.state === 'failed' || s.state === 'killed')
    .map(([name]) => name);
}

/** The run of `file` that started at or after `since` (ms), if it exists yet. */
export async function findRun(root: string, file: string, since: number): Promise<RunClient | undefined> {
  for (const flow of await Metaflow({ root }).flows()) {
    for (const run of await flow.runs({ limit: 3 })) {
      if (run.file === file && run.createdAt.getTime() >= since - 1000) return run;
    }
  }
  return undefined;
}
