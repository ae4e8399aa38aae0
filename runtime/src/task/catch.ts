/**
 * `@catchFailure` in the task process (Metaflow's `@catch`). On the last attempt `@retry` allows, a
 * step that throws does not fail the task: the flow object is put back as it was before the step
 * (what the step assigned is not kept), the failure goes into the `var` artifact, and the task
 * goes on to the step's successors as if it had called `this.next(...)`. A fallback attempt (the
 * previous one died: a timeout, a crash) does the same without running the step.
 */
import { policyFrom, type StepPolicy } from '../api/decoratorOptions';
import type { CaughtRecord } from '../datastore/types';
import type { Tracked } from './artifacts';
import type { FlowObject } from './bind';
import type { TaskContext } from './context';
import { collectArtifacts, type StepOutcome } from './outcome';

/** The flow object's own properties before the step ran, to put back after a caught failure. */
export interface FlowSnapshot {
  descriptors: PropertyDescriptorMap;
  tracked: Map<string, Tracked>;
}

export function snapshotFlow(flow: FlowObject, tracked: Map<string, Tracked>): FlowSnapshot {
  return { descriptors: Object.getOwnPropertyDescriptors(flow), tracked };
}

function restore(flow: FlowObject, snap: FlowSnapshot): void {
  for (const key of Reflect.ownKeys(flow)) {
    if (!(key in snap.descriptors)) delete (flow as Record<string | symbol, unknown>)[key];
  }
  for (const [key, d] of Object.entries(snap.descriptors)) Object.defineProperty(flow, key, d);
  // The inherited artifacts are untouched again: they pass on by hash.
  for (const t of snap.tracked.values()) t.touched = false;
}

/** Before the step: a `var` is null unless a failure is caught (Metaflow sets it to None). */
export function prepareCatchVar(ctx: TaskContext, flow: FlowObject): void {
  const v = ctx.spec.catchFailure?.var;
  if (v) flow[v] = null;
}

/** The failure a caught record describes: the step's own exception, or the fallback's reason. */
function failureOf(ctx: TaskContext, outcome: StepOutcome): Omit<CaughtRecord, 'attempt' | 'var'> {
  const f = ctx.spec.fallback;
  if (f) return f;
  const e = outcome.exception!;
  return { type: e.name, message: e.message, stack: e.stack };
}

/** Turns a failure on the last attempt into a caught success when the step has `@catchFailure`. */
export async function catchIfDue(ctx: TaskContext, flow: FlowObject, snap: FlowSnapshot, outcome: StepOutcome): Promise<StepOutcome> {
  const { spec, store } = ctx;
  const policy = spec.catchFailure;
  if (outcome.status !== 'failed' || !policy || spec.attempt < spec.retries) return outcome;
  const failure = failureOf(ctx, outcome);
  const caught: CaughtRecord = {
    ...failure,
    attempt: spec.fallback ? spec.attempt - 1 : spec.attempt,
    ...(policy.var ? { var: policy.var } : {}),
  };
  if (policy.printException) {
    const lines = failure.stack.split('\n').map((l) => `>  ${l}`);
    process.stderr.write(`@catchFailure caught a failure of step '${spec.step}':\n${lines.join('\n')}\n`);
  }
  restore(flow, snap);
  if (policy.var) flow[policy.var] = { type: failure.type, message: failure.message, stack: failure.stack };
  try {
    const artifacts = await collectArtifacts(flow, snap.tracked, store, spec.flow);
    return {
      status: 'succeeded',
      artifacts,
      transition: spec.step === 'end' ? undefined : { next: policy.next },
      stepDone: outcome.stepDone,
      caught,
    };
  } catch (err) {
    // Only the artifacts the step started with are stored here; they stored before, so this is the store failing.
    return { ...outcome, exception: { name: 'Error', message: (err as Error).message, stack: (err as Error).stack ?? String(err) } };
  }
}

/**
 * The decorators the code carries must be those the runner read from the source: a decorator
 * applied in a way the source does not show (a wrapper, computed options) would be ignored by
 * the runner, so the task says so instead of running with the wrong retries or timeout.
 */
export function decoratorMismatch(step: string, fromSource: StepPolicy, atRunTime: Parameters<typeof policyFrom>[0]): string | undefined {
  const a = JSON.stringify(fromSource);
  const b = JSON.stringify(policyFrom(atRunTime));
  if (a === b) return undefined;
  return (
    `step '${step}' has decorators at run time (${b}) that differ from what the runner read in the source (${a}). ` +
    `Write @retry, @catchFailure, @timeout and @resources directly on the step, with literal options.`
  );
}
