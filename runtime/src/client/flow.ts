import type { Datastore } from '../datastore/datastore';
import { DatastoreError } from '../datastore/files';
import { NotFoundError, nearby } from './errors';
import { RunClient } from './run';

export class FlowClient {
  constructor(
    private readonly store: Datastore,
    readonly name: string,
  ) {}

  get pathspec(): string {
    return this.name;
  }

  async runIds(): Promise<string[]> {
    return this.store.listRuns(this.name);
  }

  /** One run by id. */
  async run(runId: string): Promise<RunClient> {
    const ids = await this.runIds();
    if (!ids.includes(runId)) throw new NotFoundError(`run ${this.name}/${runId} does not exist. ${nearby(`runs of ${this.name}`, ids)}`);
    return this.load(runId);
  }

  private async load(runId: string): Promise<RunClient> {
    const [record, end] = await Promise.all([this.store.readRun(this.name, runId), this.store.readRunEnd(this.name, runId)]);
    return new RunClient(this.store, record, end);
  }

  /**
   * Runs, newest first (spins only when asked); `tag` keeps runs carrying it (a user or a system
   * tag); `limit` stops early. A damaged run record is skipped, not fatal.
   */
  async runs(opts: { limit?: number; tag?: string; includeSpins?: boolean } = {}): Promise<RunClient[]> {
    const out: RunClient[] = [];
    for (const id of await this.runIds()) {
      try {
        const run = await this.load(id);
        if (opts.tag && !run.allTags.includes(opts.tag)) continue;
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
    if (!run) throw new NotFoundError(`${this.name} has no runs in ${this.store.location}.`);
    return run;
  }

  async latestSuccessfulRun(): Promise<RunClient> {
    for (const run of await this.runs()) if (run.successful) return run;
    throw new NotFoundError(`${this.name} has no successful run in ${this.store.location}.`);
  }
}

export async function assertFlowExists(store: Datastore, name: string): Promise<void> {
  const flows = await store.listFlows();
  if (!flows.includes(name)) throw new NotFoundError(`flow ${name} has no runs in ${store.location}. ${nearby('flows with runs', flows)}`);
}
