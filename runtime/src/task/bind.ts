/**
 * What a step sees before it runs: parameters and inherited artifacts on `this` (lazy, so an
 * untouched artifact is never read), and a join's `inputs`. One binder per kind of task: the
 * start step, a step after one parent, a join. (`this.input` and its kin: foreach.ts.)
 */
import { HOST, type FlowSpec } from '../api/flowspec';
import type { TaskRecord } from '../datastore/types';
import { defineLazy, defineUnavailable, type Inherited, type Tracked } from './artifacts';
import type { TaskContext } from './context';
import { droppedAtJoinMessage, notYetInJoinMessage } from './dropped';
import { openForeach, type TaskForeach } from './foreach';
import { BranchHost } from './foreachValues';
import { TaskHost, type InputView } from './host';

export type FlowObject = FlowSpec & Record<string, unknown>;

export interface Bound {
  /** Inherited artifacts and parameters, and whether the step touched them. */
  tracked: Map<string, Tracked>;
  /** A join's input views, by the object the step receives. */
  joinViews?: Map<FlowSpec, InputView>;
  /** A join's `inputs` argument. */
  inputs?: FlowSpec[];
}

export function bindArtifacts(ctx: TaskContext, flow: FlowObject, foreach: TaskForeach): Bound {
  if (ctx.spec.parents.length === 0) return bindStart(ctx, flow);
  return ctx.spec.isJoin ? bindJoin(ctx, flow, foreach) : bindAfterOne(ctx, flow);
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

/**
 * A join: one view per branch in `inputs`; `this` starts with only the parameters. A view is an
 * object of the flow's class (its methods and getters work, as on Metaflow's inputs) holding that
 * branch's artifacts, whose `input`, `index` and `foreachStack()` are the branch's.
 */
function bindJoin(ctx: TaskContext, flow: FlowObject, foreach: TaskForeach): Bound {
  const { loader, parameterFields, parents, spec } = ctx;
  const tracked = new Map<string, Tracked>();
  const joinViews = new Map<FlowSpec, InputView>();
  const inputs = parents.map((rec, k) => {
    const view = Object.create(Object.getPrototypeOf(flow) as object) as FlowSpec;
    Object.defineProperty(view, HOST, { value: new BranchHost(k, rec.step, foreach.branches[k]), enumerable: false });
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

/**
 * Everything a step's `this` needs: its foreach values, the artifacts it sees bound onto the flow
 * object, and the host behind `this.next`/`this.input`. A task process and a task notebook bind
 * through here alike, so a notebook's `self` is what the step saw.
 */
export async function hostTask(
  ctx: TaskContext,
  flow: FlowObject,
  step: string,
): Promise<{ foreach: TaskForeach; bound: Bound; host: TaskHost }> {
  const foreach = await openForeach(ctx);
  const bound = bindArtifacts(ctx, flow, foreach);
  const host = new TaskHost(step, ctx.loader, bound.tracked, bound.joinViews, ctx.parameterFields, foreach.own, foreach.closesForeachOf);
  return { foreach, bound, host };
}
