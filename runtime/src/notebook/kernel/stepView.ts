/**
 * What a step sees on `this` before it runs, bound on a flow object in the kernel exactly as the
 * task process binds it: parameters and inherited artifacts (lazy), what a join dropped (reading
 * it throws, naming the join), a join's `inputs`, and the foreach item.
 */
import type { FlowSpec } from '../../api';
import type { Datastore } from '../../datastore/datastore';
import type { RunRecord, SplitFrame, TaskRecord, TaskStartRecord } from '../../datastore/types';
import { defineLazy, defineUnavailable, type ArtifactLoader, type Inherited, type Tracked } from '../../task/artifacts';
import { droppedAtJoinMessage, notYetInJoinMessage } from '../../task/dropped';
import type { InputView } from '../../task/host';

export type FlowObject = FlowSpec & Record<string, unknown>;

export interface StepViewInput {
  self: FlowObject;
  run: RunRecord;
  record: TaskRecord | TaskStartRecord;
  parents: TaskRecord[];
  isJoin: boolean;
  loader: ArtifactLoader;
  store: Datastore;
}

export interface StepView {
  tracked: Map<string, Tracked>;
  parameterFields: Set<string>;
  joinViews?: Map<FlowSpec, InputView>;
  inputs?: FlowSpec[];
  foreachItem?: () => unknown;
  index?: number;
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

export async function bindStepView(v: StepViewInput): Promise<StepView> {
  const { self, loader, parents } = v;
  const tracked = new Map<string, Tracked>();
  const parameterFields = new Set(v.run.parameters.map((p) => p.field));
  const out: StepView = { tracked, parameterFields };
  if (parents.length === 0) {
    for (const field of parameterFields) {
      const value = self[field];
      defineParameter(self, field, () => value, tracked);
    }
  } else if (!v.isJoin) {
    const inherited = inheritedOf(parents[0]);
    for (const [name, inh] of Object.entries(inherited)) {
      if (parameterFields.has(name)) defineParameter(self, name, () => loader.load(inh.hash, name), tracked, inh);
      else defineLazy(self, name, inh, loader, tracked);
    }
    for (const [name, join] of Object.entries(parents[0].dropped ?? {})) {
      if (!(name in inherited)) defineUnavailable(self, name, () => droppedAtJoinMessage(name, v.record.step, join));
    }
  } else {
    Object.assign(out, bindJoin(v, tracked, parameterFields));
  }
  const frame = [...v.record.stack].reverse().find((f) => f.kind === 'foreach');
  if (frame) {
    out.foreachItem = await foreachItem(v, frame);
    out.index = frame.index;
  }
  return out;
}

function bindJoin(v: StepViewInput, tracked: Map<string, Tracked>, parameterFields: Set<string>): Partial<StepView> {
  const { self, loader, parents } = v;
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
  const first = inheritedOf(parents[0]);
  for (const field of parameterFields) {
    const inh = first[field];
    if (inh) defineParameter(self, field, () => loader.load(inh.hash, field), tracked, inh);
  }
  const upstream = new Set<string>();
  for (const rec of parents) for (const n of Object.keys(rec.artifacts)) if (!parameterFields.has(n)) upstream.add(n);
  for (const name of upstream) defineUnavailable(self, name, () => notYetInJoinMessage(name, v.record.step));
  const byStep = new Map<string, number>();
  for (const rec of parents) byStep.set(rec.step, (byStep.get(rec.step) ?? 0) + 1);
  parents.forEach((rec, i) => {
    if (byStep.get(rec.step) === 1 && !(rec.step in Array.prototype)) {
      Object.defineProperty(inputs, rec.step, { value: inputs[i], enumerable: false });
    }
  });
  Object.freeze(inputs);
  return { joinViews, inputs };
}

async function foreachItem(v: StepViewInput, frame: SplitFrame): Promise<() => unknown> {
  const { record, parents, store, loader } = v;
  const splitter =
    parents.find((p) => p.runId === record.runId && p.step === frame.step && p.taskId === frame.taskId) ??
    (await store.readTask(record.flow, record.runId, frame.step, frame.taskId));
  const varName = splitter?.transition?.foreach;
  const listRec = varName ? splitter?.artifacts[varName] : undefined;
  if (!splitter || !varName || !listRec)
    throw new Error(`cannot find the foreach list of ${frame.step}/${frame.taskId} for ${record.pathspec}.`);
  return () => (loader.loadShared(listRec.hash, varName) as ArrayLike<unknown>)[frame.index];
}
