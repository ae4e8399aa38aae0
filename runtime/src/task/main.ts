/**
 * The task process: runs one step of one flow, then persists what changed. Started by the
 * runner as `node dist/task.js --stepwise-task <json>`; the exit code is 0 on success, 1 when
 * the step failed (its record says why).
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { FlowSpec, __internal } from '../api';
import { exposeForDebugger } from './debugGlobals';
import { showValuesToDebugger } from './debugView';
import { catchIfDue, decoratorMismatch, prepareCatchVar, snapshotFlow } from './catch';
import type { Datastore } from '../datastore/datastore';
import { runnerGone } from '../datastore/liveness';
import { hostTask, type FlowObject } from './bind';
import { openTask, type TaskContext } from './context';
import { openForeach } from './foreach';
import { installResolver, loadFlowClass } from './flowModule';
import { errorType, runStep, taskRecord, userStack, type StepMethod } from './outcome';
import type { TaskRecord } from '../datastore/types';
import { startParameters } from './parameters';
import { DEFAULTS_ARG, defaultsMain, type DefaultsRequest } from './functionDefaults';
import { REMOTE_TASK_ARG, SPARE_ARG, TASK_SPEC_ARG, type TaskSpec } from './spec';
import { username } from '../util/username';
import { spareSpec } from './spare';
import { taskContextHook } from './contextHook';

const { HOST, stepNameOf, setParameterResolver, setCurrent, decoratorsOf } = __internal;

function parseSpec(): TaskSpec {
  const i = process.argv.indexOf(TASK_SPEC_ARG);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`task process started without ${TASK_SPEC_ARG}`);
  return JSON.parse(process.argv[i + 1]) as TaskSpec;
}

async function runTask(spec: TaskSpec): Promise<number> {
  const started = Date.now();
  const ctx = await openTask(spec);
  setCurrent({
    flowName: spec.flow,
    runId: spec.runId,
    stepName: spec.step,
    taskId: spec.taskId,
    pathspec: ctx.pathspec,
    originRunId: ctx.run.originRunId,
    retryCount: spec.attempt,
    parameterNames: ctx.run.parameters.map((p) => p.name),
    tags: ctx.run.tags,
    username: ctx.run.user || username(),
    passes: spec.passes ?? [],
    ...(ctx.run.project ? { project: ctx.run.project } : {}),
  });
  let flow: FlowObject;
  try {
    flow = await instantiateFlow(ctx);
  } catch (err) {
    return recordImportError(ctx, err, started);
  }
  const { foreach, bound, host } = await hostTask(ctx, flow, spec.step);
  Object.defineProperty(flow, HOST, { value: host, enumerable: false });
  if (spec.inspector) showValuesToDebugger(flow, ctx.parameterFields, bound.inputs);
  const method = stepMethod(flow, spec);
  const setupDone = Date.now();
  const mismatch = decoratorMismatch(spec.step, spec.decorators, decoratorsOf(method));
  if (mismatch) {
    // Running again would not help: the task's record is final.
    const exception = { name: 'DecoratorMismatch', message: mismatch, stack: mismatch };
    process.stderr.write(`${mismatch}\n`);
    await ctx.store.writeTaskDone(
      taskRecord(ctx, { status: 'failed', exception, artifacts: {}, stepDone: setupDone }, { started, setupDone }, foreach.own.innermost),
    );
    return 1;
  }
  prepareCatchVar(ctx, flow);
  const snapshot = snapshotFlow(flow, bound.tracked);
  const ran = spec.fallback
    ? { status: 'failed' as const, artifacts: {}, stepDone: setupDone }
    : await runStep(ctx, flow, method, bound, host, setupDone);
  const outcome = await catchIfDue(ctx, flow, snapshot, ran);
  await writeRecord(ctx, taskRecord(ctx, outcome, { started, setupDone }, foreach.own.innermost));
  return outcome.status === 'succeeded' ? 0 : 1;
}

/** Writes the attempt's record: the task's, or one attempt's when `@retry` will follow a failure. */
async function writeRecord(ctx: TaskContext, record: TaskRecord): Promise<void> {
  // The run of a dead runner already reads as killed: its tasks must not add results to it.
  if (runnerGone(ctx.run)) throw new Error(`the runner (pid ${ctx.run.runner.pid}) is gone; not recording this task's result.`);
  if (record.status === 'failed' && ctx.spec.attempt < ctx.spec.retries) await ctx.store.writeAttempt(record);
  else await ctx.store.writeTaskDone(record);
}

/**
 * The flow module threw while it was imported (its top-level code) or constructed: the step
 * never ran. Recorded like a step's error, with its TypeScript location, so the run's summary
 * and `dump` say what went wrong instead of only that the process exited.
 */
async function recordImportError(ctx: TaskContext, err: unknown, started: number): Promise<number> {
  const e = err instanceof Error ? err : new Error(String(err));
  const exception = { name: errorType(e), message: e.message, stack: userStack(e) };
  process.stderr.write(`Importing ${basename(ctx.spec.flowFile)} failed: ${exception.stack}\n`);
  const failedAt = Date.now();
  const foreach = await openForeach(ctx).catch(() => undefined);
  const outcome = { status: 'failed' as const, exception, artifacts: {}, stepDone: failedAt };
  await writeRecord(ctx, taskRecord(ctx, outcome, { started, setupDone: failedAt }, foreach?.own.innermost));
  return 1;
}

/**
 * Loads the flow class and constructs it. In `start`, its Parameter and IncludeFile fields
 * resolve from the run's record while the constructor runs; elsewhere they are inherited.
 */
async function instantiateFlow(ctx: TaskContext): Promise<FlowObject> {
  const { spec, store } = ctx;
  setParameterResolver(startParameters(ctx));
  const bundle = await codePackage(store, spec);
  installResolver(bundle, spec.flowFile);
  const FlowClass = loadFlowClass(bundle, spec.flow);
  const flow = new FlowClass() as FlowSpec & Record<string, unknown>;
  setParameterResolver(undefined);
  return flow;
}

/** The flow bundle: where the runner has it when that is this machine, else the run's code package from the store. */
async function codePackage(store: Datastore, spec: TaskSpec): Promise<string> {
  if (existsSync(spec.bundle)) return spec.bundle;
  return store.codePackagePath(spec.flow, spec.codeHash);
}

function stepMethod(flow: FlowObject, spec: TaskSpec): StepMethod {
  const method = (Object.getPrototypeOf(flow) as Record<string, unknown>)[spec.step];
  if (typeof method !== 'function' || stepNameOf(method) !== spec.step) {
    throw new Error(`${spec.flow} has no @step method '${spec.step}'. Was the file changed since the run started?`);
  }
  return method as StepMethod;
}

/**
 * A task whose parent (the runner) is gone exits: it has nobody to report to. The runner's
 * watchdog (scheduler/watchdog.ts) kills it in any case, even in a busy loop; this covers a task
 * the watchdog never heard of (its runner died while starting it). The ppid of an orphan changes.
 */
function exitWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(1);
  }, 500).unref();
}

async function main(): Promise<void> {
  process.setSourceMapsEnabled(true);
  // In a task thread's context, the thread hands over the task (./contextThread.ts); a spare
  // process learns its task once it is needed (./spare.ts).
  const hook = taskContextHook();
  const spec = hook ? hook.spec : process.argv.includes(SPARE_ARG) ? await spareSpec() : parseSpec();
  if (!spec) process.exit(0);
  // Under the debugger, a process that exits with a client attached waits for it to disconnect,
  // forever if it never does: close the inspector on every way out, the step's own
  // process.exit() included. node:inspector is loaded only here: it pulls in worker_threads and
  // streams, which every task would pay for (the per-task overhead figure of `npm run bench -- runtime`).
  if (spec.inspector) {
    const inspector = require('node:inspector') as typeof import('node:inspector');
    process.once('exit', () => inspector.close());
    exposeForDebugger();
  }
  // A task thread's context (--task-isolation thread): see task/thread.ts, required here, not
  // imported, so that a task process never loads node:worker_threads. It ends with its host,
  // which ends with the runner; a task process watches its parent itself.
  if (hook) (require('./thread') as typeof import('./thread')).guardNativeAddons();
  else exitWithParent();
  let code = 1;
  try {
    code = await runTask(spec);
  } catch (err) {
    process.stderr.write(`stepwise task ${spec.step}/${spec.taskId}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    code = 1;
  }
  // A task thread runs the next task in a fresh context: only this task ends.
  if (hook) hook.done(code);
  else process.exit(code);
}

/** The runner's child that computes function defaults (task/functionDefaults.ts), answering over IPC. */
function defaultsChild(): void {
  process.setSourceMapsEnabled(true);
  const request = JSON.parse(process.argv[process.argv.indexOf(DEFAULTS_ARG) + 1]) as DefaultsRequest;
  const reply = defaultsMain(request);
  process.send!(reply, () => process.exit(0));
}

// On a cluster node the same bundle is first the task's wrapper (task/remote.ts). Required only
// there: it pulls in the process launcher and node:child_process, which every local task (a
// thread above all, where each task loads the runtime anew) would otherwise load for nothing.
if (process.argv.includes(REMOTE_TASK_ARG)) (require('./remote') as typeof import('./remote')).remoteMain();
else if (process.argv.includes(DEFAULTS_ARG)) defaultsChild();
else void main();
