/**
 * CLI pathspecs: `Flow/run/step/task`, `Flow/run/step`, or the same without the flow name
 * (`run/step/task`: the run id finds its flow). Unknown parts are errors that list what exists.
 * Like Metaflow's commands, which read the datastore directly, an explicit pathspec is found in
 * any namespace (the client API's namespace applies to code, not to these commands).
 */
import type { Datastore } from '../datastore/datastore';
import { NotFoundError, nearby } from '../client/errors';
import { Flow, Step, Task } from '../client';
import type { RunClient } from '../client/run';
import type { StepClient } from '../client/step';
import type { TaskClient } from '../client/task';
import { pathspecParts, runPathspec } from '../pathspec';

async function flowOfRun(store: Datastore, runId: string): Promise<string> {
  const owners: string[] = [];
  for (const f of await store.listFlows()) if ((await store.listRuns(f)).includes(runId)) owners.push(f);
  if (owners.length === 1) return owners[0];
  if (owners.length > 1)
    throw new NotFoundError(
      `run id ${runId} exists in several flows (${owners.join(', ')}): prefix the flow name, e.g. ${owners[0]}/${runId}/…`,
    );
  const flows = await store.listFlows();
  const recent: string[] = [];
  for (const f of flows) for (const r of (await store.listRuns(f)).slice(0, 3)) recent.push(runPathspec(f, r));
  throw new NotFoundError(`no run with id ${runId} in ${store.location}. ${nearby('recent runs', recent)}`);
}

/** A run by `FLOW/RUN` or `RUN` (the run id finds its flow). */
export async function resolveRun(store: Datastore, spec: string): Promise<RunClient> {
  const p = pathspecParts(spec);
  const isRunId = (s: string | undefined) => !!s && /^\d+$/.test(s);
  if (p.length === 2 && isRunId(p[1])) return Flow(p[0], { datastore: store, namespace: null }).run(p[1]);
  if (p.length === 1 && isRunId(p[0])) return Flow(await flowOfRun(store, p[0]), { datastore: store, namespace: null }).run(p[0]);
  throw new NotFoundError(`'${spec}' is not a run pathspec: use FLOW/RUN or RUN (see \`stepwise runs FLOW\` for run ids).`);
}

export interface Resolved {
  step: StepClient;
  /** Set when the pathspec names one task. */
  task?: TaskClient;
}

export async function resolvePathspec(store: Datastore, spec: string): Promise<Resolved> {
  const p = pathspecParts(spec);
  const isRunId = (s: string | undefined) => !!s && /^\d+$/.test(s);
  let full: string[];
  if (p.length >= 2 && isRunId(p[1])) full = p;
  else if (p.length >= 2 && isRunId(p[0])) full = [await flowOfRun(store, p[0]), ...p];
  else {
    throw new NotFoundError(
      `'${spec}' is not a pathspec: use RUN/STEP[/TASK] or FLOW/RUN/STEP[/TASK] (see \`stepwise runs FLOW\` for run ids).`,
    );
  }
  const o = { datastore: store, namespace: null };
  if (full.length === 2) {
    const run = await Flow(full[0], o).run(full[1]);
    const steps = (await run.steps()).map((s) => s.name);
    throw new NotFoundError(
      `'${spec}' names a run; add a step: ${nearby(
        'steps',
        steps.map((s) => `${full[1]}/${s}`),
      )}`,
    );
  }
  if (full.length === 3) return { step: await Step(full.join('/'), o) };
  if (full.length === 4) {
    const task = await Task(full.join('/'), o);
    return { step: await Step(full.slice(0, 3).join('/'), o), task };
  }
  throw new NotFoundError(`'${spec}' has too many parts: use FLOW/RUN/STEP/TASK.`);
}
