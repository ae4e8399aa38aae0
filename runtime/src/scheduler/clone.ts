/**
 * Resume: which tasks of the origin run can be reused. A task is cloned when its step is not
 * the resume step or downstream of it, the origin has a successful task at the same place in
 * the graph (same step, same split indices), and everything it starts from was cloned too.
 */
import { downstreamOf } from '../graph/structure';
import type { FlowGraph } from '../graph/types';
import type { Datastore } from '../datastore/datastore';
import type { SplitFrame, TaskRecord } from '../datastore/types';
import { mapLimit } from '../util/mapLimit';

/** How many small datastore reads or copies a resume keeps in flight. */
export const IO_PARALLELISM = 32;

export function placeKey(step: string, stack: SplitFrame[]): string {
  return `${step}|${stack.map((f) => `${f.step}:${f.index}`).join(',')}`;
}

export class ClonePlan {
  private constructor(
    readonly originRunId: string,
    private readonly byPlace: Map<string, TaskRecord>,
    private readonly rerun: Set<string>,
  ) {}

  static async load(store: Datastore, flow: string, originRunId: string, graph: FlowGraph, resumeStep: string | null): Promise<ClonePlan> {
    const byPlace = new Map<string, TaskRecord>();
    for (const step of await store.listSteps(flow, originRunId)) {
      const records = await mapLimit(await store.listTasks(flow, originRunId, step), IO_PARALLELISM, (taskId) =>
        store.readTask(flow, originRunId, step, taskId).catch(() => undefined),
      );
      for (const rec of records) if (rec?.status === 'succeeded') byPlace.set(placeKey(step, rec.stack), rec);
    }
    return new ClonePlan(originRunId, byPlace, resumeStep ? downstreamOf(graph, resumeStep) : new Set());
  }

  /** The origin task to clone for this place, if any. */
  find(step: string, stack: SplitFrame[], parentsAllCloned: boolean): TaskRecord | undefined {
    if (!parentsAllCloned || this.rerun.has(step)) return undefined;
    return this.byPlace.get(placeKey(step, stack));
  }

  get size(): number {
    return this.byPlace.size;
  }
}
