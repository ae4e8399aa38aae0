/**
 * Foreach items: turning a split's iterable into its items once, at the split, and finding the
 * item (and every enclosing foreach's item) of a task from its stack. `this.input`,
 * `this.foreachStack()` and a join's `inputs[k].input` all read through here.
 */
import type { ForeachFrame } from '../api/flowspec';
import type { Datastore } from '../datastore/datastore';
import type { SplitFrame, TaskRecord } from '../datastore/types';
import { typeName } from '../serialize/describe';
import type { ArtifactLoader } from './artifacts';
import type { TaskContext } from './context';

/**
 * What a foreach goes over, as the split sees it: an array or typed array is indexed as it is
 * stored; any other iterable (a string — by code point —, a Set, a Map — its `[key, value]`
 * entries —, …) is materialised once, here, into `items`, which the split stores beside it.
 */
export function materialiseForeach(value: unknown, varName: string, step: string): { count: number; items?: unknown[] } {
  if (Array.isArray(value)) return { count: value.length };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return { count: (value as unknown as ArrayLike<unknown>).length };
  if (value !== null && value !== undefined && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function') {
    const items = Array.from(value as Iterable<unknown>);
    return { count: items.length, items };
  }
  const fix =
    value !== null && typeof value === 'object'
      ? `go over Object.keys(this.${varName}) or Object.entries(this.${varName}) (a plain object is not iterable)`
      : `assign an array (or a string, Set, Map or typed array) to this.${varName}`;
  throw new Error(
    `step '${step}' splits with foreach over '${varName}', which is ${value === undefined ? 'not set' : article(typeName(value))}: ` +
      `a foreach needs something iterable. Fix: ${fix} before this.next(…, { foreach: '${varName}' }).`,
  );
}

function article(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

/** The blob holding a split's items: the materialised items when there are some, else the list artifact itself. */
function itemsOf(splitter: TaskRecord): { hash: string; name: string } | undefined {
  const varName = splitter.transition?.foreach;
  if (!varName) return undefined;
  if (splitter.transition?.foreachItems) return { hash: splitter.transition.foreachItems, name: `the items of ${varName}` };
  const rec = splitter.artifacts[varName];
  return rec ? { hash: rec.hash, name: varName } : undefined;
}

/**
 * The records of the tasks that split the foreaches some stacks name, read once each (a foreach
 * join's branches share theirs). Records a task already holds (its parents) are not read again.
 */
export class Splitters {
  private readonly records = new Map<string, TaskRecord>();

  constructor(
    private readonly store: Datastore,
    private readonly flow: string,
    /** The run holding the tasks that stacks name (a spin runs in its own run). */
    private readonly runOfStack: string,
    known: readonly TaskRecord[],
  ) {
    for (const r of known) if (r.runId === runOfStack) this.records.set(`${r.step}/${r.taskId}`, r);
  }

  async load(stacks: ReadonlyArray<readonly SplitFrame[]>): Promise<void> {
    const wanted = new Map<string, SplitFrame>();
    for (const stack of stacks) for (const f of stack) if (f.kind === 'foreach') wanted.set(`${f.step}/${f.taskId}`, f);
    await Promise.all(
      [...wanted]
        .filter(([k]) => !this.records.has(k))
        .map(async ([k, f]) => {
          const rec = await this.store.readTask(this.flow, this.runOfStack, f.step, f.taskId);
          if (rec) this.records.set(k, rec);
        }),
    );
  }

  list(frame: SplitFrame, forTask: string): { hash: string; name: string } {
    const rec = this.records.get(`${frame.step}/${frame.taskId}`);
    const list = rec && itemsOf(rec);
    if (!list) throw new Error(`cannot find the foreach list of ${frame.step}/${frame.taskId} for ${forTask}.`);
    return list;
  }
}

/** The foreaches one stack runs in, outermost first, with their items read on first use. */
export class ForeachStack {
  private readonly frames: SplitFrame[];
  private readonly items = new Map<number, unknown>();

  constructor(
    stack: readonly SplitFrame[],
    private readonly splitters: Splitters,
    private readonly loader: ArtifactLoader,
    private readonly forTask: string,
  ) {
    this.frames = stack.filter((f) => f.kind === 'foreach');
  }

  get depth(): number {
    return this.frames.length;
  }

  /** The innermost foreach's frame, if any. */
  get innermost(): SplitFrame | undefined {
    return this.frames[this.frames.length - 1];
  }

  /** The item of the k-th foreach (0: outermost). */
  item(k: number): unknown {
    if (!this.items.has(k)) {
      const frame = this.frames[k];
      const list = this.splitters.list(frame, this.forTask);
      this.items.set(k, (this.loader.loadShared(list.hash, list.name) as ArrayLike<unknown>)[frame.index]);
    }
    return this.items.get(k);
  }

  /** Metaflow's `foreach_stack()`: one `{ index, count, value }` per foreach, outermost first. */
  frameList(): ForeachFrame[] {
    return this.frames.map((f, k) => ({ index: f.index, count: f.count, value: this.item(k) }));
  }
}

/** A task's foreach values: its own, and for a join each branch's. */
export interface TaskForeach {
  own: ForeachStack;
  /** A join's branches, in `inputs` order. */
  branches: ForeachStack[];
  /** A foreach join: the step whose foreach split it closes. */
  closesForeachOf?: string;
}

/**
 * Reads what a task's foreach values need before its step runs: the records of the splitting
 * tasks, and (for a remote store) the blobs of their lists, so that `this.input` and
 * `foreachStack()` — synchronous — read from the machine's cache.
 */
export async function openForeach(ctx: TaskContext): Promise<TaskForeach> {
  const { spec, store, loader, parents, pathspec } = ctx;
  const stacks = [spec.stack, ...(spec.isJoin ? parents.map((p) => p.stack) : [])];
  const splitters = new Splitters(store, spec.flow, spec.stackRunId ?? spec.runId, parents);
  await splitters.load(stacks);
  const hashes = new Set<string>();
  for (const stack of stacks) for (const f of stack) if (f.kind === 'foreach') hashes.add(splitters.list(f, pathspec).hash);
  await store.prefetchBlobs(spec.flow, [...hashes]);
  const closed = spec.isJoin ? parents[0]?.stack.at(-1) : undefined;
  return {
    own: new ForeachStack(spec.stack, splitters, loader, pathspec),
    branches: spec.isJoin ? parents.map((p) => new ForeachStack(p.stack, splitters, loader, pathspec)) : [],
    ...(closed?.kind === 'foreach' ? { closesForeachOf: closed.step } : {}),
  };
}
