/**
 * The preview's runs, read through the runtime's client API (the same reader as `stepwise dump`
 * and the artifact explorer), so a run started from a terminal shows up like any other.
 */
import { existsSync } from 'node:fs';
import { Flow } from '../../../runtime/src/client';
import { isRemoteRoot, rootFor, type DatastoreSettings } from '../datastoreChoice';
import type { TaskRecord } from '../../../runtime/src/datastore/types';
import { overlayOf, type TaskState } from './runState';
import type { RunSource } from './types';

/** How many runs the picker lists. */
const RUN_LIMIT = 50;

/** The runs of the datastore the settings choose for a folder (`settings(folder)`; the extension reads its settings). */
export function datastoreRunSourceWith(settings: (folder: string) => DatastoreSettings): RunSource {
  return { ...datastoreRunSource, datastoreRoot: (fileDir, workspaceFolder) => rootNear(settings, fileDir, workspaceFolder) };
}

/**
 * Local: the nearest existing `.stepwise/` above the flow; before any run, the workspace's (where a
 * run from the integrated terminal creates it). S3: the location.
 */
function rootNear(settings: (folder: string) => DatastoreSettings, fileDir: string, workspaceFolder: string | undefined): string {
  const near = rootFor(settings(fileDir), fileDir);
  if (isRemoteRoot(near) || existsSync(near) || !workspaceFolder) return near;
  return rootFor(settings(workspaceFolder), workspaceFolder);
}

/** The runs of the datastore the environment chooses (STEPWISE_DATASTORE…, else the nearest `.stepwise/`). */
export const datastoreRunSource: RunSource = {
  datastoreRoot: (fileDir, workspaceFolder) => rootNear(() => ({}), fileDir, workspaceFolder),

  async listRuns(root, flowName) {
    const runs = await Flow(flowName, { root }).runs({ limit: RUN_LIMIT });
    return runs.map((r) => ({ runId: r.id, status: r.status, startedAt: r.record.startedAt }));
  },

  async overlay(root, flowName, runId) {
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
        if (tr?.foreach && tr.foreachCount !== undefined && tr.next[0])
          expected[tr.next[0]] = (expected[tr.next[0]] ?? 0) + tr.foreachCount;
      }
    }
    return overlayOf({ runId: run.id, status: run.status, tasks, expected, passes, cases });
  },
};
