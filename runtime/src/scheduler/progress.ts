/**
 * Foreach progress per step, as the console, the status bar and the DAG overlay show it: tasks
 * done out of all the tasks the splits so far asked for. In a foreach nested in another, each
 * outer item splits on its own, so the total grows as they do; `outer` says how many of the
 * outer items have split so far, and the total is final once all have.
 */
import type { SplitFrame } from '../datastore/types';

export interface ForeachProgressState {
  done: number;
  /** Tasks asked for by the splits so far (every outer item's, summed). */
  total: number;
  /** A nested foreach: how many outer items (tasks of the splitting step) have split, of how many. */
  outer?: { split: number; of: number };
}

interface StepCount {
  done: number;
  total: number;
  splits: number;
  /** The stack of a task of the splitting step: where its foreach sits. */
  splitterStack: readonly SplitFrame[];
}

export class ForeachProgress {
  private readonly steps = new Map<string, StepCount>();
  /** A splitting step → the step its foreach fans out into. */
  private readonly bodyOf = new Map<string, string>();

  /** A task of `splitter`, whose stack is `splitterStack`, split into `count` tasks of `step`. */
  split(step: string, count: number, splitter: string, splitterStack: readonly SplitFrame[]): ForeachProgressState {
    this.bodyOf.set(splitter, step);
    const c = this.steps.get(step) ?? { done: 0, total: 0, splits: 0, splitterStack };
    c.total += count;
    c.splits++;
    this.steps.set(step, c);
    return this.state(step)!;
  }

  /** A task of `step` (a foreach body) finished; undefined when `step` is not one. */
  finished(step: string): ForeachProgressState | undefined {
    const c = this.steps.get(step);
    if (!c) return undefined;
    c.done++;
    return this.state(step);
  }

  state(step: string): ForeachProgressState | undefined {
    const c = this.steps.get(step);
    if (!c) return undefined;
    const of = this.instances(c.splitterStack);
    return { done: c.done, total: c.total, ...(of > 1 ? { outer: { split: c.splits, of } } : {}) };
  }

  /**
   * How many tasks the splitting step has, known so far: one outside any foreach; inside one,
   * as many as the body of its innermost foreach (every item runs the body once).
   */
  private instances(stack: readonly SplitFrame[]): number {
    const frame = [...stack].reverse().find((f) => f.kind === 'foreach');
    if (!frame) return 1;
    const body = this.bodyOf.get(frame.step);
    return (body && this.steps.get(body)?.total) || frame.count;
  }
}

/** A nested foreach whose outer items are not all split yet: its total will still grow. */
export function outerPending(p: ForeachProgressState): boolean {
  return !!p.outer && p.outer.split < p.outer.of;
}

/** True once every task of the step is done and no outer item is still to split. */
export function progressComplete(p: ForeachProgressState): boolean {
  return p.done >= p.total && !outerPending(p);
}

/** `inner 4/6 done, 1 running`, and while outer items are still splitting `(1 of 2 outer items split so far)`. */
export function progressText(step: string, p: ForeachProgressState & { running: number }): string {
  const pending = p.outer && outerPending(p) ? ` (${p.outer.split} of ${p.outer.of} outer items split so far)` : '';
  return `${step} ${p.done}/${p.total} done, ${p.running} running${pending}`;
}
