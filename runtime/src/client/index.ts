/**
 * The read API over the datastore (`import { Flow } from 'stepwise/client'`), after Metaflow's
 * Metaflow › Flow › Run › Step › Task › artifact. Async throughout; usable from inside a step.
 */
import { NotFoundError, nearby } from './errors';
import { assertFlowExists, FlowClient } from './flow';
import { namespaceFor, storeFor, type ClientOptions } from './context';
import type { Datastore } from '../datastore/datastore';
import type { RunClient } from './run';
import type { StepClient } from './step';
import type { TaskClient } from './task';
import { pathspecParts, runPathspec, stepPathspec } from '../pathspec';

export { FlowClient } from './flow';
export { RunClient, TagError } from './run';
export { StepClient, type StepSummary } from './step';
export { TaskClient, type ArtifactInfo, type AttemptInfo } from './task';
export { NotFoundError } from './errors';
export { namespace, getNamespace, defaultNamespace, NamespaceMismatchError } from './namespace';
export type { ClientOptions } from './context';
export type { Datastore } from '../datastore/datastore';
export type { DatastoreSpec } from '../datastore/spec';
export type { ProjectRecord } from '../datastore/types';

export interface MetaflowClient {
  /** Where the datastore is: a folder or an `s3://` location (also what `root` accepts). */
  readonly root: string;
  /** The datastore itself, to hand to further calls (`{ datastore }`) or to follow logs. */
  readonly datastore: Datastore;
  flows(): Promise<FlowClient[]>;
}

export function Metaflow(o: ClientOptions = {}): MetaflowClient {
  const store = storeFor(o);
  return {
    root: store.location,
    datastore: store,
    flows: async () => {
      const ns = namespaceFor(o);
      const all = (await store.listFlows()).map((n) => new FlowClient(store, n, ns));
      // As in Metaflow, a flow is in a namespace when one of its runs is.
      const seen = await Promise.all(all.map(async (f) => ns === null || (await f.runs({ limit: 1, includeSpins: true })).length > 0));
      return all.filter((_, i) => seen[i]);
    },
  };
}

/** A flow by class name: `await Flow('HelloWorldFlow').latestRun()`. */
export function Flow(name: string, o: ClientOptions = {}): FlowClient {
  return new FlowClient(storeFor(o), name, namespaceFor(o));
}

function parts(pathspec: string, n: number, what: string, example: string): string[] {
  const p = pathspecParts(pathspec);
  if (p.length !== n) throw new NotFoundError(`'${pathspec}' is not a ${what} pathspec: expected ${example}.`);
  return p;
}

/** `await Run('HelloWorldFlow/1769…')` */
export async function Run(pathspec: string, o: ClientOptions = {}): Promise<RunClient> {
  const [flow, runId] = parts(pathspec, 2, 'run', 'Flow/runId');
  const store = storeFor(o);
  await assertFlowExists(store, flow);
  return new FlowClient(store, flow, namespaceFor(o)).run(runId);
}

/** `await Step('HelloWorldFlow/1769…/start')` */
export async function Step(pathspec: string, o: ClientOptions = {}): Promise<StepClient> {
  const [flow, runId, step] = parts(pathspec, 3, 'step', 'Flow/runId/step');
  const run = await Run(runPathspec(flow, runId), o);
  const steps = (await run.steps()).map((s) => s.name);
  if (!steps.includes(step)) throw new NotFoundError(`step ${pathspec} does not exist. ${nearby(`steps of ${run.pathspec}`, steps)}`);
  return run.step(step);
}

/** `await Task('HelloWorldFlow/1769…/start/1')` */
export async function Task(pathspec: string, o: ClientOptions = {}): Promise<TaskClient> {
  const [flow, runId, step, taskId] = parts(pathspec, 4, 'task', 'Flow/runId/step/taskId');
  return (await Step(stepPathspec(flow, runId, step), o)).task(taskId);
}
