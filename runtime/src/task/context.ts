/** What a task starts from: its spec, the store, the run's record and its parents' records. */
import type { Datastore } from '../datastore/datastore';
import { openDatastore } from '../datastore/resolve';
import type { RunRecord, TaskRecord } from '../datastore/types';
import { ArtifactLoader } from './artifacts';
import { blobsToPrefetch } from './prefetch';
import type { TaskSpec } from './spec';
import { formatTaskPathspec, taskPathspecOf } from '../pathspec';

export interface TaskContext {
  spec: TaskSpec;
  store: Datastore;
  run: RunRecord;
  loader: ArtifactLoader;
  pathspec: string;
  /** The finished records of `spec.parents`, in the same order. */
  parents: TaskRecord[];
  /** The run's parameter fields: immutable, and they cross joins by themselves. */
  parameterFields: Set<string>;
}

export async function openTask(spec: TaskSpec): Promise<TaskContext> {
  const store = openDatastore(spec.datastore);
  const run: RunRecord = await store.readRun(spec.flow, spec.runId);
  const loader = new ArtifactLoader(store, spec.flow);
  const pathspec = formatTaskPathspec(spec);
  const parents: TaskRecord[] = [];
  for (const p of spec.parents) {
    const s = taskPathspecOf(p);
    const rec = await store.readTask(s.flow, s.runId, s.step, s.taskId);
    if (!rec) throw new Error(`parent task ${p} has no finished record; cannot start ${pathspec}.`);
    parents.push(rec);
  }
  await store.prefetchBlobs(spec.flow, blobsToPrefetch(spec, parents, run));
  return { spec, store, run, loader, pathspec, parents, parameterFields: new Set(run.parameters.map((p) => p.field)) };
}
