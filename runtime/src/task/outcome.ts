/**
 * Running the step and recording what it left: its one transition, its artifacts (an untouched
 * inherited one passed on by hash), what later steps must not read, and the task's record.
 */
import { pauseBeforeStep } from './debugView';
import type { ArtifactRecord, CaughtRecord, SplitFrame, TaskRecord, TransitionRecord } from '../datastore/types';
import type { Datastore } from '../datastore/datastore';
import { hashBytes, serializeArtifact } from '../serialize/codec';
import { preview, typeName } from '../serialize/describe';
import { isUntouchedLazy, type Tracked } from './artifacts';
import type { Bound, FlowObject } from './bind';
import type { TaskContext } from './context';
import { materialiseForeach } from './foreach';
import type { TaskHost } from './host';

/** A `@step` method of the flow class. */
export type StepMethod = (...args: unknown[]) => unknown;

export interface StepOutcome {
  status: TaskRecord['status'];
  exception?: TaskRecord['exception'];
  artifacts: Record<string, ArtifactRecord>;
  transition?: TransitionRecord;
  /** When the step's method returned (setup's end when it threw). */
  stepDone: number;
  /** The step failed and `@catchFailure` caught it. */
  caught?: CaughtRecord;
}

/**
 * Calls the step; a throw (the step's, a wrong transition, an unstorable value) fails the task.
 * What was settled before the throw (the transition) stays in the record.
 */
export async function runStep(
  ctx: TaskContext,
  flow: FlowObject,
  method: StepMethod,
  bound: Bound,
  host: TaskHost,
  setupDone: number,
): Promise<StepOutcome> {
  const { spec, store } = ctx;
  const outcome: StepOutcome = { status: 'succeeded', artifacts: {}, stepDone: setupDone };
  try {
    if (spec.pauseBeforeStep) pauseBeforeStep(spec.step);
    await method.call(flow, ...(spec.isJoin ? [bound.inputs] : []));
    outcome.stepDone = Date.now();
    const transition = (outcome.transition = checkTransition(spec.step, host.transitions));
    if (transition?.foreach) await settleForeach(transition, flow, store, spec.flow, spec.step);
    outcome.artifacts = await collectArtifacts(flow, bound.tracked, store, spec.flow);
  } catch (err) {
    outcome.status = 'failed';
    const e = err instanceof Error ? err : new Error(String(err));
    outcome.exception = { name: errorType(e), message: e.message, stack: userStack(e) };
    process.stderr.write(`${outcome.exception.stack}\n`);
    // Like Metaflow, a failed task keeps what it had when it failed, for dump and the explorer
    // (resume never clones it); a value that cannot be stored is left out.
    outcome.artifacts = await collectArtifacts(flow, bound.tracked, store, spec.flow, true).catch(() => ({}));
  }
  return outcome;
}

/**
 * A foreach's width, and its items when they are not an array: materialised once, here, and
 * stored beside the artifact for the foreach's tasks to index (foreach.ts).
 */
async function settleForeach(
  transition: TransitionRecord,
  flow: FlowObject,
  store: Datastore,
  flowName: string,
  step: string,
): Promise<void> {
  const varName = transition.foreach!;
  const { count, items } = materialiseForeach(flow[varName], varName, step);
  transition.foreachCount = count;
  if (!items) return;
  const bytes = serializeArtifact(items, `the items of this.${varName}`);
  const hash = hashBytes(bytes);
  await store.putBlob(flowName, hash, bytes);
  transition.foreachItems = hash;
}

function checkTransition(step: string, transitions: TransitionRecord[]): TransitionRecord | undefined {
  if (step === 'end') {
    if (transitions.length) throw new Error("the 'end' step must not call this.next(): the flow ends there.");
    return undefined;
  }
  if (transitions.length === 0)
    throw new Error(`step '${step}' finished without calling this.next(...): end it with this.next(this.<step>).`);
  if (transitions.length > 1)
    throw new Error(`step '${step}' called this.next() ${transitions.length} times; call it exactly once, as its last statement.`);
  return transitions[0];
}

/** `TypeError`, or the class of a subclass that kept the default name (`class Bad extends Error {}` → `Bad`). */
export function errorType(e: Error): string {
  if (e.name !== 'Error') return e.name;
  const ctor = (e as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof ctor === 'string' && ctor ? ctor : 'Error';
}

/** Every artifact on the flow object; `skipUnstorable` (a failed task) leaves out what cannot be stored. */
export async function collectArtifacts(
  flow: Record<string, unknown>,
  tracked: Map<string, Tracked>,
  store: Datastore,
  flowName: string,
  skipUnstorable = false,
): Promise<Record<string, ArtifactRecord>> {
  const out: Record<string, ArtifactRecord> = {};
  for (const name of Object.keys(flow)) {
    if (name.startsWith('_')) continue;
    const t = tracked.get(name);
    if (t && isUntouchedLazy(flow, name, tracked)) {
      out[name] = t.inherited.record;
      continue;
    }
    let value: unknown;
    let bytes: Buffer;
    try {
      value = flow[name];
      if (typeof value === 'function') continue;
      bytes = serializeArtifact(value, `this.${name}`);
    } catch (err) {
      if (skipUnstorable) continue;
      throw err;
    }
    const hash = hashBytes(bytes);
    if (t && t.inherited.hash === hash) {
      out[name] = t.inherited.record;
      continue;
    }
    await store.putBlob(flowName, hash, bytes);
    out[name] = { hash, size: bytes.length, type: typeName(value), preview: preview(value) };
  }
  return out;
}

/**
 * The stack as the user should see it: their frames (source-mapped), not the task runner's nor
 * Node's module loader's (which an error thrown while the flow file is imported passes through).
 */
export function userStack(e: Error): string {
  const stack = e.stack ?? `${e.name}: ${e.message}`;
  const lines = stack.split('\n');
  const runtimeFrame = (l: string) => l.includes(__filename) || l.includes('(node:internal/modules/');
  const kept = lines.filter((l, i) => i === 0 || !/^\s+at /.test(l) || !runtimeFrame(l));
  return kept.join('\n');
}

/** What later steps must not read, by artifact: the join that dropped it. */
function droppedAfter(ctx: TaskContext, outcome: StepOutcome): Record<string, string> {
  const { spec, parents, parameterFields } = ctx;
  const dropped: Record<string, string> = {};
  if (outcome.status !== 'succeeded') return dropped;
  if (spec.isJoin) {
    for (const rec of parents) {
      for (const [n, j] of Object.entries(rec.dropped ?? {})) dropped[n] = j;
      for (const n of Object.keys(rec.artifacts)) if (!parameterFields.has(n)) dropped[n] = spec.step;
    }
  } else if (parents[0]) {
    Object.assign(dropped, parents[0].dropped ?? {});
  }
  for (const n of Object.keys(outcome.artifacts)) delete dropped[n];
  return dropped;
}

export function taskRecord(
  ctx: TaskContext,
  outcome: StepOutcome,
  times: { started: number; setupDone: number },
  frame: SplitFrame | undefined,
): TaskRecord {
  const { spec } = ctx;
  const { status, artifacts, transition, exception, stepDone, caught } = outcome;
  const dropped = droppedAfter(ctx, outcome);
  return {
    flow: spec.flow,
    runId: spec.runId,
    step: spec.step,
    taskId: spec.taskId,
    pathspec: ctx.pathspec,
    parents: spec.parents,
    stack: spec.stack,
    ...(spec.passes?.length ? { passes: spec.passes } : {}),
    startedAt: new Date(times.started).toISOString(),
    pid: process.pid,
    attempt: spec.attempt,
    ...(spec.resources ? { resources: spec.resources } : {}),
    status,
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - times.started,
    timing: {
      setupMs: times.setupDone - times.started,
      stepMs: stepDone - times.setupDone,
      persistMs: status === 'succeeded' ? Date.now() - stepDone : 0,
    },
    artifacts,
    dropped,
    ...(transition ? { transition } : {}),
    ...(exception && !caught ? { exception } : {}),
    ...(caught ? { caught } : {}),
    ...(frame ? { foreachIndex: frame.index } : {}),
  };
}
