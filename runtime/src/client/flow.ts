import type { Datastore } from '../datastore/datastore';
import { DatastoreError } from '../datastore/files';
import { settledRunState } from '../datastore/liveness';
import { NotFoundError, nearby } from './errors';
import { RunClient } from './run';
import { NamespaceMismatchError } from './namespace';

export class FlowClient {
  constructor(
    private readonly store: Datastore,
    readonly name: string,
    /** The namespace tag its runs must carry; null sees every run. Fixed when the object is made, as in Metaflow. */
    readonly namespace: string | null = null,
  ) {}

  get pathspec(): string {
    return this.name;
  }

  async runIds(): Promise<string[]> {
    return this.store.listRuns(this.name);
  }

  /** One run by id; a run outside the namespace is a NamespaceMismatchError that says how to widen it. */
  async run(runId: string): Promise<RunClient> {
    const ids = await this.runIds();
    if (!ids.includes(runId)) throw new NotFoundError(`run ${this.name}/${runId} does not exist. ${nearby(`runs of ${this.name}`, ids)}`);
    const run = await this.load(runId);
    if (!this.inNamespace(run)) throw new NamespaceMismatchError(run.pathspec, this.namespace!, run.allTags);
    return run;
  }

  private inNamespace(run: RunClient): boolean {
    return this.namespace === null || run.allTags.includes(this.namespace);
  }

  /** Where the runs were looked for, for "no runs" messages. */
  private where(): string {
    return this.namespace === null
      ? `in ${this.store.location}`
      : `in the namespace '${this.namespace}' in ${this.store.location} (namespace(null) sees every run)`;
  }

  private async load(runId: string): Promise<RunClient> {
    const readEnd = () => this.store.readRunEnd(this.name, runId);
    const [record, first] = await Promise.all([this.store.readRun(this.name, runId), readEnd()]);
    const { end, state } = await settledRunState(record, first, readEnd);
    return new RunClient(this.store, record, end, state);
  }

  /**
   * Runs in the namespace, newest first (spins only when asked); `tag` keeps runs carrying it (a
   * user or a system tag); `limit` stops early. A damaged run record is skipped, not fatal.
   */
  async runs(opts: { limit?: number; tag?: string; includeSpins?: boolean } = {}): Promise<RunClient[]> {
    const out: RunClient[] = [];
    for (const id of await this.runIds()) {
      try {
        const run = await this.load(id);
        if (opts.tag && !run.allTags.includes(opts.tag)) continue;
        if (!this.inNamespace(run)) continue;
        if (run.kind === 'spin' && !opts.includeSpins) continue;
        out.push(run);
      } catch (err) {
        if (!(err instanceof DatastoreError)) throw err;
      }
      if (opts.limit && out.length >= opts.limit) break;
    }
    return out;
  }

  /** Removes a run's records and logs (its artifacts stay: other runs may share them). */
  async deleteRun(runId: string): Promise<void> {
    const ids = await this.runIds();
    if (!ids.includes(runId)) throw new NotFoundError(`run ${this.name}/${runId} does not exist. ${nearby(`runs of ${this.name}`, ids)}`);
    await this.store.deleteRun(this.name, runId);
  }

  async latestRun(): Promise<RunClient> {
    const [run] = await this.runs({ limit: 1 });
    if (!run) throw new NotFoundError(`${this.name} has no runs ${this.where()}.`);
    return run;
  }

  async latestSuccessfulRun(): Promise<RunClient> {
    for (const run of await this.runs()) if (run.successful) return run;
    throw new NotFoundError(`${this.name} has no successful run ${this.where()}.`);
  }
}

export async function assertFlowExists(store: Datastore, name: string): Promise<void> {
  const flows = await store.listFlows();
  if (!flows.includes(name)) throw new NotFoundError(`flow ${name} has no runs in ${store.location}. ${nearby('flows with runs', flows)}`);
}
