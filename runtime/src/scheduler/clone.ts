/**
 * Resume: which tasks of the origin run can be reused. A task is cloned when its step is not
 * the resume step or downstream of it, the origin has a successful task at the same place in
 * the graph (same step, same split indices, same loop passes), and everything it starts from was
 * cloned too. Resuming from a step inside a loop keeps the passes before the first pass of that
 * step that failed (all of them re-run when none failed): those tasks are upstream in time.
 */
import { downstreamOf, flowStructure } from '../graph/structure';
import type { FlowGraph } from '../graph/types';
import type { Datastore } from '../datastore/datastore';
import type { SplitFrame, TaskRecord } from '../datastore/types';
import { mapLimit } from '../util/mapLimit';
import { LoopPasses, earlierPass } from './passes';

/** How many small datastore reads or copies a resume keeps in flight. */
export const IO_PARALLELISM = 32;

export function placeKey(step: string, stack: SplitFrame[], passes: readonly number[] = []): string {
  return `${step}|${stackKey(stack)}${passes.length ? `|${passes.join('.')}` : ''}`;
}

function stackKey(stack: SplitFrame[]): string {
  return stack.map((f) => `${f.step}:${f.index}`).join(',');
}

/** Where a resume inside a loop starts: per split place of the resume step, the pass it re-runs from. */
interface LoopResume {
  /** The loops around the resume step, by head. */
  heads: string[];
  /** Stack key of a task of the resume step → the passes of its first task that did not succeed. */
  firstFailed: Map<string, number[]>;
  depth: number;
  passes: LoopPasses;
}

export class ClonePlan {
  private constructor(
    readonly originRunId: string,
    private readonly byPlace: Map<string, TaskRecord>,
    private readonly rerun: Set<string>,
    private readonly loop?: LoopResume,
  ) {}

  static async load(store: Datastore, flow: string, originRunId: string, graph: FlowGraph, resumeStep: string | null): Promise<ClonePlan> {
    const byPlace = new Map<string, TaskRecord>();
    const passes = new LoopPasses(flowStructure(graph));
    const heads = resumeStep ? passes.heads(resumeStep) : [];
    const loop: LoopResume | undefined = heads.length ? { heads, firstFailed: new Map(), depth: 0, passes } : undefined;
    for (const step of await store.listSteps(flow, originRunId)) {
      const records = await mapLimit(await store.listTasks(flow, originRunId, step), IO_PARALLELISM, (taskId) =>
        store.readTask(flow, originRunId, step, taskId).catch(() => undefined),
      );
      for (const rec of records) {
        if (rec?.status === 'succeeded') byPlace.set(placeKey(step, rec.stack, rec.passes), rec);
        else if (rec && loop && step === resumeStep) {
          const key = stackKey(rec.stack);
          const seen = loop.firstFailed.get(key);
          const p = rec.passes ?? [];
          if (!seen || earlierPass(p, seen)) loop.firstFailed.set(key, p);
          loop.depth = rec.stack.length;
        }
      }
    }
    // Inside a loop, only the forward part of the loop after the resume step re-runs in every
    // pass; the passes before the first failed one are cloned (see `find`).
    const rerun = resumeStep ? downstreamOf(graph, resumeStep, !!loop) : new Set<string>();
    return new ClonePlan(originRunId, byPlace, rerun, loop);
  }

  /** The origin task to clone for this place, if any. */
  find(step: string, stack: SplitFrame[], passes: readonly number[], parentsAllCloned: boolean): TaskRecord | undefined {
    if (!parentsAllCloned) return undefined;
    if (this.rerun.has(step) && !this.beforeResumePass(step, stack, passes)) return undefined;
    return this.byPlace.get(placeKey(step, stack, passes));
  }

  /** A task in a pass before the one a resume inside a loop starts from. */
  private beforeResumePass(step: string, stack: SplitFrame[], passes: readonly number[]): boolean {
    const loop = this.loop;
    if (!loop) return false;
    const heads = loop.passes.heads(step);
    // The passes of the loops around the resume step that are also around this step.
    const shared = loop.heads.filter((h) => heads.includes(h)).map((h) => passes[heads.indexOf(h)]);
    if (shared.length === 0) return false;
    const from = loop.firstFailed.get(stackKey(stack.slice(0, loop.depth))) ?? loop.heads.map(() => 1);
    return earlierPass(shared, from.slice(0, shared.length));
  }

  get size(): number {
    return this.byPlace.size;
  }
}
