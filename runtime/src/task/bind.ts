/**
 * What a step sees before it runs: parameters and inherited artifacts on `this` (lazy, so an
 * untouched artifact is never read), a join's `inputs`, and `this.input` inside a foreach.
 * One binder per kind of task: the start step, a step after one parent, a join.
 */
import type { FlowSpec } from '../api';
import type { SplitFrame, TaskRecord } from '../datastore/types';
import { defineLazy, defineUnavailable, type Inherited, type Tracked } from './artifacts';
import type { TaskContext } from './context';
import { droppedAtJoinMessage, notYetInJoinMessage } from './dropped';
import type { InputView } from './host';

export type FlowObject = FlowSpec & Record<string, unknown>;

export interface Bound {
  /** Inherited artifacts and parameters, and whether the step touched them. */
  tracked: Map<string, Tracked>;
  /** A join's input views, by the object the step receives. */
  joinViews?: Map<FlowSpec, InputView>;
  /** A join's `inputs` argument. */
  inputs?: FlowSpec[];
}

export function bindArtifacts(ctx: TaskContext, flow: FlowObject): Bound {
  if (ctx.spec.parents.length === 0) return bindStart(ctx, flow);
  return ctx.spec.isJoin ? bindJoin(ctx, flow) : bindAfterOne(ctx, flow);
}

function inheritedOf(rec: TaskRecord): Record<string, Inherited> {
  const out: Record<string, Inherited> = {};
  for (const [name, r] of Object.entries(rec.artifacts)) out[name] = { hash: r.hash, record: r };
  return out;
}

function defineParameter(
  target: object,
  field: string,
  getValue: () => unknown,
  tracked: Map<string, Tracked>,
  inherited?: Inherited,
): void {
  let cached: { value: unknown } | undefined;
  if (inherited) tracked.set(field, { inherited, touched: false });
  Object.defineProperty(target, field, {
    enumerable: true,
    configurable: true,
    get() {
      if (!cached) {
        cached = { value: getValue() };
        const t = tracked.get(field);
        if (t) t.touched = true;
      }
      return cached.value;
    },
    set() {
      throw new Error(`this.${field} is a parameter and cannot be changed; copy it into another artifact to derive a value.`);
    },
  });
}

/** `start`: the parameters the flow's constructor just resolved become immutable. */
function bindStart(ctx: TaskContext, flow: FlowObject): Bound {
  const tracked = new Map<string, Tracked>();
  for (const field of ctx.parameterFields) {
    const value = flow[field];
    defineParameter(flow, field, () => value, tracked);
  }
  return { tracked };
}

/** A step after one parent: everything the parent had, lazily; what a join dropped throws. */
function bindAfterOne(ctx: TaskContext, flow: FlowObject): Bound {
  const { loader, parameterFields, spec } = ctx;
  const tracked = new Map<string, Tracked>();
  const parent = ctx.parents[0];
  const inherited = inheritedOf(parent);
  for (const [name, inh] of Object.entries(inherited)) {
    if (parameterFields.has(name)) defineParameter(flow, name, () => loader.load(inh.hash, name), tracked, inh);
    else defineLazy(flow, name, inh, loader, tracked);
  }
  for (const [name, join] of Object.entries(parent.dropped ?? {})) {
    if (!(name in inherited)) defineUnavailable(flow, name, () => droppedAtJoinMessage(name, spec.step, join));
  }
  return { tracked };
}

/** A join: one view per branch in `inputs`; `this` starts with only the parameters. */
function bindJoin(ctx: TaskContext, flow: FlowObject): Bound {
  const { loader, parameterFields, parents, spec } = ctx;
  const tracked = new Map<string, Tracked>();
  const joinViews = new Map<FlowSpec, InputView>();
  const inputs = parents.map((rec) => {
    const view = Object.create(null) as FlowSpec;
    const inherited = inheritedOf(rec);
    for (const [name, inh] of Object.entries(inherited)) defineLazy(view, name, inh, loader, undefined);
    for (const [name, join] of Object.entries(rec.dropped ?? {})) {
      if (!(name in inherited)) defineUnavailable(view, name, () => droppedAtJoinMessage(name, rec.step, join));
    }
    joinViews.set(view, { step: rec.step, artifacts: inherited });
    return view;
  });
  // Parameters are the same on every branch; they cross joins by themselves.
  const first = inheritedOf(parents[0]);
  for (const field of parameterFields) {
    const inh = first[field];
    if (inh) defineParameter(flow, field, () => loader.load(inh.hash, field), tracked, inh);
  }
  const upstream = new Set<string>();
  for (const rec of parents) for (const n of Object.keys(rec.artifacts)) if (!parameterFields.has(n)) upstream.add(n);
  for (const name of upstream) defineUnavailable(flow, name, () => notYetInJoinMessage(name, spec.step));
  nameBranches(inputs, parents);
  Object.freeze(inputs);
  return { tracked, joinViews, inputs };
}

/** A static split's branches are also reachable by step name: inputs.trainKnn. */
function nameBranches(inputs: FlowSpec[], parents: TaskRecord[]): void {
  const byStep = new Map<string, number>();
  for (const rec of parents) byStep.set(rec.step, (byStep.get(rec.step) ?? 0) + 1);
  parents.forEach((rec, i) => {
    if (byStep.get(rec.step) === 1 && !(rec.step in Array.prototype)) {
      Object.defineProperty(inputs, rec.step, { value: inputs[i], enumerable: false });
    }
  });
}

/** Inside a foreach, `this.input` is the item of the innermost enclosing foreach. */
export async function foreachItemOf(ctx: TaskContext): Promise<{ frame: SplitFrame; item: () => unknown } | undefined> {
  const { spec, store, loader, parents, pathspec } = ctx;
  const frame = [...spec.stack].reverse().find((f) => f.kind === 'foreach');
  if (!frame) return undefined;
  const runOfStack = spec.stackRunId ?? spec.runId;
  // The first task after a foreach split has the splitter as its parent: already read.
  const splitter =
    parents.find((p) => p.runId === runOfStack && p.step === frame.step && p.taskId === frame.taskId) ??
    (await store.readTask(spec.flow, runOfStack, frame.step, frame.taskId));
  const varName = splitter?.transition?.foreach;
  const listRec = varName ? splitter?.artifacts[varName] : undefined;
  if (!splitter || !varName || !listRec) throw new Error(`cannot find the foreach list of ${frame.step}/${frame.taskId} for ${pathspec}.`);
  await store.prefetchBlobs(spec.flow, [listRec.hash]);
  return { frame, item: () => (loader.loadShared(listRec.hash, varName) as ArrayLike<unknown>)[frame.index] };
}
