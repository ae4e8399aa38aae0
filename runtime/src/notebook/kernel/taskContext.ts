/**
 * `taskContext(pathspec)`: the flow object a step saw, rebuilt in the kernel from the datastore —
 * an instance of the flow class (its helper methods work) with the task's inherited artifacts
 * and parameters read lazily, `input`/`index` in a foreach, `inputs` in a join, `mergeArtifacts`
 * as in the task, and `current` set to the task — bound by the task process's own code
 * (task/context.ts, task/bind.ts), so the notebook follows the task's rules as they change. The
 * flow module is loaded by the kernel (so autoreload applies to it) with its top-level names
 * handed out as `scope`.
 */
import { readFileSync } from 'node:fs';
import type { FlowSpec } from '../../api';
import { Run, Task } from '../../client';
import { storeFor } from '../../client/context';
import type { TaskClient } from '../../client/task';
import type { Datastore } from '../../datastore/datastore';
import type { RunRecord } from '../../datastore/types';
import { parseFlow, type StepNode } from '../../graph';
import { typescript } from '../../graph/typescript';
import type { Tracked } from '../../task/artifacts';
import { hostTask, type FlowObject } from '../../task/bind';
import { parseTaskPathspec, runPathspec } from '../../pathspec';
import { openTask, type TaskContext as TaskProcessContext } from '../../task/context';
import { startParameters } from '../../task/parameters';
import type { TaskSpec } from '../../task/spec';
import { moduleScope, scopeNames } from '../moduleScope';
import type { KernelModules } from './modules';

/** The flow API as flows get it (dist/api.js): the kernel's bundled copy is another instance. */
interface SharedApi {
  FlowSpec: abstract new () => FlowSpec;
  __internal: typeof import('../../api/internal');
}

export interface TaskContext {
  self: FlowObject;
  /** A join's inputs: by index, and by step name after a static split. */
  inputs?: readonly FlowSpec[];
  /** The flow file's top-level values by name (its imports and its own declarations). */
  scope: Record<string, unknown>;
  task: TaskClient;
}

/** What compareWithTask needs to know about a `self` it is given. */
export interface Remembered {
  task: TaskClient;
  tracked: Map<string, Tracked>;
  /** The store the task was read from: the comparison reads blobs by hash. */
  store: Datastore;
}

export async function openTaskContext(
  pathspec: string,
  modules: KernelModules,
  remember: (self: object, r: Remembered) => void,
): Promise<TaskContext> {
  if (typeof pathspec !== 'string' || !parseTaskPathspec(pathspec)) {
    throw new Error(`taskContext('${String(pathspec)}'): give a task pathspec, Flow/run/step/task.`);
  }
  const store = storeFor();
  const task = await Task(pathspec, { datastore: store });
  if (task.damaged) throw new Error(`task ${pathspec} cannot be opened: ${task.damaged}`);
  const run = (await Run(runPathspec(task.flowName, task.runId), { datastore: store })).record;
  const api = modules.require('stepwise') as SharedApi;
  const { text, exports } = loadFlowModule(run, modules);
  const node = parseFlow(text, run.file, { incremental: false }).steps.find((s) => s.name === task.stepName);
  if (!node) throw new Error(`${run.file} has no step '${task.stepName}' any more: the notebook follows the flow file as it is now.`);
  const FlowClass = flowClassOf(exports, task.flowName, api, run.file);

  // What the task process starts from, read and bound by the task process's own code.
  const ctx = await openTask(specOf(task, run, node, store.spec));
  api.__internal.setCurrent({
    flowName: task.flowName,
    runId: task.runId,
    stepName: task.stepName,
    taskId: task.id,
    pathspec: task.pathspec,
    originRunId: run.originRunId,
    retryCount: task.currentAttempt,
    passes: task.passes,
    parameterNames: run.parameters.map((p) => p.name),
    tags: run.tags,
    username: run.user,
  });
  const self = construct(FlowClass, ctx, api);
  const { bound, host } = await hostTask(ctx, self, task.stepName);
  Object.defineProperty(self, api.__internal.HOST, { value: host, enumerable: false, configurable: true });
  remember(self, { task, tracked: bound.tracked, store });
  const scope = typeof exports.__stepwiseScope === 'function' ? (exports.__stepwiseScope as () => Record<string, unknown>)() : {};
  return { self, ...(bound.inputs ? { inputs: bound.inputs } : {}), scope, task };
}

/** The spec the runner gave the task (what openTask and the binders read of it). */
function specOf(task: TaskClient, run: RunRecord, node: StepNode, datastore: TaskSpec['datastore']): TaskSpec {
  return {
    datastore,
    flow: task.flowName,
    runId: task.runId,
    step: task.stepName,
    taskId: task.id,
    bundle: '',
    codeHash: '',
    reads: node.reads.map((r) => r.name),
    flowFile: run.file,
    parents: task.parents,
    stack: task.record.stack,
    isJoin: node.kind === 'join',
    inspector: false,
    // The attempt the notebook shows; the step's decorators (retries, timeout) do not apply to cells.
    attempt: task.currentAttempt,
    retries: 0,
    decorators: {},
    ...(task.passes.length ? { passes: task.passes } : {}),
  };
}

function loadFlowModule(run: RunRecord, modules: KernelModules): { text: string; exports: Record<string, unknown> } {
  let text: string;
  try {
    text = readFileSync(run.file, 'utf8');
  } catch {
    throw new Error(`the flow file of run ${run.pathspec}, ${run.file}, is not there any more: restore it to debug this task.`);
  }
  const t = typescript();
  const sf = t.createSourceFile(run.file, text, t.ScriptTarget.Latest, false, t.ScriptKind.TS);
  modules.exposeScope(run.file, scopeNames(moduleScope(sf)));
  return { text, exports: modules.require(run.file) as Record<string, unknown> };
}

function flowClassOf(exports: Record<string, unknown>, name: string, api: SharedApi, file: string): new () => FlowObject {
  const isFlow = (v: unknown): v is new () => FlowObject => typeof v === 'function' && v.prototype instanceof api.FlowSpec;
  if (isFlow(exports.default)) return exports.default;
  if (isFlow(exports[name])) return exports[name];
  const flows = Object.values(exports).filter(isFlow);
  if (flows.length === 1) return flows[0];
  throw new Error(`${file} does not export the flow class ${name}: export it (export default class ${name} extends FlowSpec).`);
}

/** The flow's constructor, with `start`'s Parameter and IncludeFile fields resolved as in the task. */
function construct(FlowClass: new () => FlowObject, ctx: TaskProcessContext, api: SharedApi): FlowObject {
  api.__internal.setParameterResolver(startParameters(ctx));
  try {
    return new FlowClass();
  } finally {
    api.__internal.setParameterResolver(undefined);
  }
}
