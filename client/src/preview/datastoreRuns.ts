/**
 * The preview's runs, read through the runtime's client API (the same reader as `stepwise dump`
 * and the artifact explorer), so a run started from a terminal shows up like any other.
 */
import { existsSync } from 'node:fs';
import { Flow } from '../../../runtime/src/client';
import { locateDatastoreRoot } from '../../../runtime/src/datastore/locate';
import type { TaskRecord } from '../../../runtime/src/datastore/types';
import { overlayOf, type TaskState } from './runState';
import type { RunSource } from './types';

/** How many runs the picker lists. */
const RUN_LIMIT = 50;

export const datastoreRunSource: RunSource = {
  datastoreRoot(fileDir, workspaceFolder) {
    // The nearest existing `.stepwise/` above the flow; before any run, the workspace's (where a
    // run from the integrated terminal creates it).
    const near = locateDatastoreRoot(fileDir);
    if (existsSync(near) || !workspaceFolder) return near;
    return locateDatastoreRoot(workspaceFolder);
  },

  async listRuns(root, flowName) {
    const runs = await Flow(flowName, { root }).runs({ limit: RUN_LIMIT });
    return runs.map((r) => ({ runId: r.id, status: r.status, startedAt: r.record.startedAt }));
  },

  async overlay(root, flowName, runId) {
    const run = await Flow(flowName, { root }).run(runId);
    const tasks: Record<string, TaskState[]> = {};
    const expected: Record<string, number> = {};
    for (const step of await run.steps()) {
      const list = await step.tasks();
      tasks[step.name] = list.map((t) => (t.damaged ? 'failed' : t.clonedFrom ? 'cloned' : t.status));
      for (const t of list) {
        // A foreach's width is known as soon as the splitting task finishes.
        const tr = 'transition' in t.record ? (t.record as TaskRecord).transition : undefined;
        if (tr?.foreach && tr.foreachCount !== undefined && tr.next[0])
          expected[tr.next[0]] = (expected[tr.next[0]] ?? 0) + tr.foreachCount;
      }
    }
    return overlayOf({ runId: run.id, status: run.status, tasks, expected });
  },
};
