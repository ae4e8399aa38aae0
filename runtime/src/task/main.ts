/**
 * The task process: runs one step of one flow, then persists what changed. Started by the
 * runner as `node dist/task.js --stepwise-task <json>`; the exit code is 0 on success, 1 when
 * the step failed (its record says why).
 */
import { existsSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { FlowSpec, __internal } from '../api';
import type { Datastore } from '../datastore/datastore';
import { openDatastore } from '../datastore/resolve';
import type { ArtifactRecord, RunRecord, TaskRecord, TransitionRecord } from '../datastore/types';
import { hashBytes, serializeArtifact } from '../serialize/codec';
import { preview, typeName } from '../serialize/describe';
import { ArtifactLoader, defineLazy, defineUnavailable, type Inherited, type Tracked } from './artifacts';
import { droppedAtJoinMessage, notYetInJoinMessage } from './dropped';
import { installResolver, loadFlowClass } from './flowModule';
import { blobsToPrefetch } from './prefetch';
import { TaskHost, type InputView } from './host';
import { TASK_SPEC_ARG, type TaskSpec } from './spec';

const { HOST, stepNameOf, setParameterResolver, setCurrent } = __internal;

function parseSpec(): TaskSpec {
  const i = process.argv.indexOf(TASK_SPEC_ARG);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`task process started without ${TASK_SPEC_ARG}`);
  return JSON.parse(process.argv[i + 1]) as TaskSpec;
}

function splitPathspec(p: string): { flow: string; runId: string; step: string; taskId: string } {
  const [flow, runId, step, taskId] = p.split('/');
  return { flow, runId, step, taskId };
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

async function runTask(spec: TaskSpec): Promise<number> {
  const started = Date.now();
  const store = openDatastore(spec.datastore);
  const run: RunRecord = await store.readRun(spec.flow, spec.runId);
  const loader = new ArtifactLoader(store, spec.flow);
  const pathspec = `${spec.flow}/${spec.runId}/${spec.step}/${spec.taskId}`;

  const parents: TaskRecord[] = [];
  for (const p of spec.parents) {
    const s = splitPathspec(p);
    const rec = await store.readTask(s.flow, s.runId, s.step, s.taskId);
    if (!rec) throw new Error(`parent task ${p} has no finished record; cannot start ${pathspec}.`);
    parents.push(rec);
  }
  await store.prefetchBlobs(spec.flow, blobsToPrefetch(spec, parents, run));

  setCurrent({
    flowName: spec.flow,
    runId: spec.runId,
    stepName: spec.step,
    taskId: spec.taskId,
    pathspec,
    originRunId: run.originRunId,
    retryCount: 0,
    parameterNames: run.parameters.map((p) => p.name),
    tags: run.tags,
    username: run.user || safeUser(),
  });

  const isStart = spec.parents.length === 0;
  setParameterResolver({
    parameter(name, options) {
      if (!isStart) return undefined;
      const rec = run.parameters.find((p) => p.name === name && p.kind === 'parameter');
      if (rec && rec.value !== undefined) return rec.value;
      const d = options.default;
      return options.type === Symbol.for('stepwise.JSONType') && typeof d === 'string' ? JSON.parse(d) : d;
    },
    includeFile(name) {
      if (!isStart) return undefined;
      const rec = run.parameters.find((p) => p.name === name && p.kind === 'includeFile');
      return rec?.hash ? loader.load(rec.hash, name) : undefined;
    },
  });

  const bundle = await codePackage(store, spec);
  installResolver(bundle, spec.flowFile);
  const FlowClass = loadFlowClass(bundle, spec.flow);
  const flow = new FlowClass() as FlowSpec & Record<string, unknown>;
  setParameterResolver(undefined);

  const tracked = new Map<string, Tracked>();
  const parameterFields = new Set(run.parameters.map((p) => p.field));
  let joinViews: Map<FlowSpec, InputView> | undefined;
  let inputs: FlowSpec[] | undefined;

  if (isStart) {
    for (const field of parameterFields) {
      const value = flow[field];
      defineParameter(flow, field, () => value, tracked);
    }
  } else if (!spec.isJoin) {
    const parent = parents[0];
    const inherited = inheritedOf(parent);
    for (const [name, inh] of Object.entries(inherited)) {
      if (parameterFields.has(name)) defineParameter(flow, name, () => loader.load(inh.hash, name), tracked, inh);
      else defineLazy(flow, name, inh, loader, tracked);
    }
    for (const [name, join] of Object.entries(parent.dropped ?? {})) {
      if (!(name in inherited)) defineUnavailable(flow, name, () => droppedAtJoinMessage(name, spec.step, join));
    }
  } else {
    joinViews = new Map();
    inputs = parents.map((rec) => {
      const view = Object.create(null) as FlowSpec;
      const inherited = inheritedOf(rec);
      for (const [name, inh] of Object.entries(inherited)) defineLazy(view, name, inh, loader, undefined);
      for (const [name, join] of Object.entries(rec.dropped ?? {})) {
        if (!(name in inherited)) defineUnavailable(view, name, () => droppedAtJoinMessage(name, rec.step, join));
      }
      joinViews!.set(view, { step: rec.step, artifacts: inherited });
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
    // A static split's branches are also reachable by step name: inputs.trainKnn.
    const byStep = new Map<string, number>();
    for (const rec of parents) byStep.set(rec.step, (byStep.get(rec.step) ?? 0) + 1);
    parents.forEach((rec, i) => {
      if (byStep.get(rec.step) === 1 && !(rec.step in Array.prototype)) {
        Object.defineProperty(inputs, rec.step, { value: inputs![i], enumerable: false });
      }
    });
    Object.freeze(inputs);
  }

  // Inside a foreach, `this.input` is the item of the innermost enclosing foreach.
  const frame = [...spec.stack].reverse().find((f) => f.kind === 'foreach');
  let foreachItem: (() => unknown) | undefined;
  if (frame) {
    const runOfStack = spec.stackRunId ?? spec.runId;
    // The first task after a foreach split has the splitter as its parent: already read.
    const splitter =
      parents.find((p) => p.runId === runOfStack && p.step === frame.step && p.taskId === frame.taskId) ??
      (await store.readTask(spec.flow, runOfStack, frame.step, frame.taskId));
    const varName = splitter?.transition?.foreach;
    const listRec = varName ? splitter?.artifacts[varName] : undefined;
    if (!splitter || !varName || !listRec)
      throw new Error(`cannot find the foreach list of ${frame.step}/${frame.taskId} for ${pathspec}.`);
    await store.prefetchBlobs(spec.flow, [listRec.hash]);
    foreachItem = () => (loader.loadShared(listRec.hash, varName) as ArrayLike<unknown>)[frame.index];
  }

  const host = new TaskHost(spec.step, loader, tracked, joinViews, parameterFields, foreachItem, frame?.index);
  Object.defineProperty(flow, HOST, { value: host, enumerable: false });

  const method = (Object.getPrototypeOf(flow) as Record<string, unknown>)[spec.step];
  if (typeof method !== 'function' || stepNameOf(method) !== spec.step) {
    throw new Error(`${spec.flow} has no @step method '${spec.step}'. Was the file changed since the run started?`);
  }

  let status: TaskRecord['status'] = 'succeeded';
  let exception: TaskRecord['exception'];
  let artifacts: Record<string, ArtifactRecord> = {};
  let transition: TransitionRecord | undefined;
  const setupDone = Date.now();
  let stepDone = setupDone;
  try {
    await (method as (...a: unknown[]) => unknown).call(flow, ...(spec.isJoin ? [inputs] : []));
    stepDone = Date.now();
    transition = checkTransition(spec.step, host.transitions);
    if (transition?.foreach) transition.foreachCount = foreachLength(flow, transition.foreach, spec.step);
    artifacts = await collectArtifacts(flow, tracked, store, spec.flow);
  } catch (err) {
    status = 'failed';
    const e = err instanceof Error ? err : new Error(String(err));
    exception = { name: e.name, message: e.message, stack: userStack(e) };
    process.stderr.write(`${exception.stack}\n`);
  }

  const dropped: Record<string, string> = {};
  if (status === 'succeeded') {
    if (spec.isJoin) {
      for (const rec of parents) {
        for (const [n, j] of Object.entries(rec.dropped ?? {})) dropped[n] = j;
        for (const n of Object.keys(rec.artifacts)) if (!parameterFields.has(n)) dropped[n] = spec.step;
      }
    } else if (parents[0]) {
      Object.assign(dropped, parents[0].dropped ?? {});
    }
    for (const n of Object.keys(artifacts)) delete dropped[n];
  }

  const record: TaskRecord = {
    flow: spec.flow,
    runId: spec.runId,
    step: spec.step,
    taskId: spec.taskId,
    pathspec,
    parents: spec.parents,
    stack: spec.stack,
    startedAt: new Date(started).toISOString(),
    pid: process.pid,
    status,
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    timing: { setupMs: setupDone - started, stepMs: stepDone - setupDone, persistMs: status === 'succeeded' ? Date.now() - stepDone : 0 },
    artifacts,
    dropped,
    ...(transition ? { transition } : {}),
    ...(exception ? { exception } : {}),
    ...(frame ? { foreachIndex: frame.index } : {}),
  };
  await store.writeTaskDone(record);
  return status === 'succeeded' ? 0 : 1;
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

function foreachLength(flow: Record<string, unknown>, varName: string, step: string): number {
  const list = flow[varName];
  if (Array.isArray(list)) return list.length;
  if (ArrayBuffer.isView(list) && 'length' in list) return (list as unknown as { length: number }).length;
  throw new Error(
    `step '${step}' splits with foreach over '${varName}', which is ${list === undefined ? 'not set' : `a ${typeName(list)}`}; ` +
      `assign a list (an array) to this.${varName} before this.next(…, { foreach: '${varName}' }).`,
  );
}

async function collectArtifacts(
  flow: Record<string, unknown>,
  tracked: Map<string, Tracked>,
  store: Datastore,
  flowName: string,
): Promise<Record<string, ArtifactRecord>> {
  const out: Record<string, ArtifactRecord> = {};
  for (const name of Object.keys(flow)) {
    if (name.startsWith('_')) continue;
    const t = tracked.get(name);
    const d = Object.getOwnPropertyDescriptor(flow, name);
    if (t && !t.touched && d?.get) {
      out[name] = t.inherited.record;
      continue;
    }
    const value = flow[name];
    if (typeof value === 'function') continue;
    const bytes = serializeArtifact(value, `this.${name}`);
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

/** The flow bundle: where the runner has it when that is this machine, else the run's code package from the store. */
async function codePackage(store: Datastore, spec: TaskSpec): Promise<string> {
  if (existsSync(spec.bundle)) return spec.bundle;
  return store.codePackagePath(spec.flow, spec.codeHash);
}

/** The stack as the user should see it: their frames (source-mapped), not the task runner's. */
function userStack(e: Error): string {
  const stack = e.stack ?? `${e.name}: ${e.message}`;
  const lines = stack.split('\n');
  const kept = lines.filter((l, i) => i === 0 || !/^\s+at /.test(l) || !l.includes(__filename));
  return kept.join('\n');
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return hostname();
  }
}

async function main(): Promise<void> {
  process.setSourceMapsEnabled(true);
  const spec = parseSpec();
  // Under the debugger, a process that exits with a client attached waits for it to disconnect,
  // forever if it never does: close the inspector on every way out, the step's own
  // process.exit() included. node:inspector is loaded only here (it pulls in worker_threads and
  // streams, ~10 ms per task).
  if (spec.inspector) {
    const inspector = require('node:inspector') as typeof import('node:inspector');
    process.once('exit', () => inspector.close());
  }
  let code = 1;
  try {
    code = await runTask(spec);
  } catch (err) {
    process.stderr.write(`stepwise task ${spec.step}/${spec.taskId}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    code = 1;
  }
  process.exit(code);
}

void main();
