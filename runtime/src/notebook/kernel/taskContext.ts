/**
 * `taskContext(pathspec)`: the flow object a step saw, rebuilt in the kernel from the datastore —
 * an instance of the flow class (its helper methods work) with the task's inherited artifacts
 * and parameters read lazily, `input`/`index` in a foreach, `inputs` in a join, `mergeArtifacts`
 * as in the task, and `current` set to the task. The flow module is loaded by the kernel (so
 * autoreload applies to it) with its top-level names handed out as `scope`.
 */
import { readFileSync } from 'node:fs';
import type { FlowSpec } from '../../api';
import { Run, Task } from '../../client';
import { storeFor } from '../../client/context';
import type { TaskClient } from '../../client/task';
import type { Datastore } from '../../datastore/datastore';
import type { RunRecord, TaskRecord } from '../../datastore/types';
import { parseFlow } from '../../graph';
import { typescript } from '../../graph/typescript';
import { ArtifactLoader, type Tracked } from '../../task/artifacts';
import { TaskHost } from '../../task/host';
import { moduleScope, scopeNames } from '../moduleScope';
import type { KernelModules } from './modules';
import { bindStepView, type FlowObject } from './stepView';

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
}

export async function openTaskContext(
  pathspec: string,
  modules: KernelModules,
  remember: (self: object, r: Remembered) => void,
): Promise<TaskContext> {
  if (typeof pathspec !== 'string' || pathspec.split('/').filter(Boolean).length !== 4) {
    throw new Error(`taskContext('${String(pathspec)}'): give a task pathspec, Flow/run/step/task.`);
  }
  const store = storeFor();
  const task = await Task(pathspec, { datastore: store });
  if (task.damaged) throw new Error(`task ${pathspec} cannot be opened: ${task.damaged}`);
  const run = (await Run(`${task.flowName}/${task.runId}`, { datastore: store })).record;
  const api = modules.require('stepwise') as SharedApi;
  const { text, exports } = loadFlowModule(run, modules);
  const node = parseFlow(text, run.file, { incremental: false }).steps.find((s) => s.name === task.stepName);
  if (!node) throw new Error(`${run.file} has no step '${task.stepName}' any more: the notebook follows the flow file as it is now.`);
  const FlowClass = flowClassOf(exports, task.flowName, api, run.file);
  const parents = await readParents(store, task);
  const isStart = parents.length === 0;

  api.__internal.setCurrent({
    flowName: task.flowName,
    runId: task.runId,
    stepName: task.stepName,
    taskId: task.id,
    pathspec: task.pathspec,
    originRunId: run.originRunId,
    retryCount: 0,
    parameterNames: run.parameters.map((p) => p.name),
    tags: run.tags,
    username: run.user,
  });
  const loader = new ArtifactLoader(store, task.flowName);
  const self = construct(FlowClass, run, loader, isStart, api);
  const view = await bindStepView({ self, run, record: task.record, parents, isJoin: node.kind === 'join', loader, store });
  const host = new TaskHost(task.stepName, loader, view.tracked, view.joinViews, view.parameterFields, view.foreachItem, view.index);
  Object.defineProperty(self, api.__internal.HOST, { value: host, enumerable: false, configurable: true });
  remember(self, { task, tracked: view.tracked });
  const scope = typeof exports.__stepwiseScope === 'function' ? (exports.__stepwiseScope as () => Record<string, unknown>)() : {};
  return { self, ...(view.inputs ? { inputs: view.inputs } : {}), scope, task };
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

async function readParents(store: Datastore, task: TaskClient): Promise<TaskRecord[]> {
  return Promise.all(
    task.parents.map(async (p) => {
      const [flow, runId, step, taskId] = p.split('/');
      const rec = await store.readTask(flow, runId, step, taskId);
      if (!rec) throw new Error(`parent task ${p} of ${task.pathspec} has no finished record: its inputs cannot be rebuilt.`);
      return rec;
    }),
  );
}

/** The flow's constructor, with `start`'s Parameter and IncludeFile fields resolved from the run's record. */
function construct(FlowClass: new () => FlowObject, run: RunRecord, loader: ArtifactLoader, isStart: boolean, api: SharedApi): FlowObject {
  api.__internal.setParameterResolver({
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
  try {
    return new FlowClass();
  } finally {
    api.__internal.setParameterResolver(undefined);
  }
}
