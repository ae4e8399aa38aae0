import type { Datastore } from '../datastore/datastore';
import type { RunState } from '../datastore/liveness';
import type { ProjectRecord, RunEndRecord, RunRecord } from '../datastore/types';
import { NotFoundError, nearby } from './errors';
import { StepClient } from './step';
import { systemTagsOf, userTagProblem } from '../run/tags';

/** One run of a flow: its record, its state, its steps. */
export class RunClient {
  constructor(
    private readonly store: Datastore,
    readonly record: RunRecord,
    readonly end: RunEndRecord | undefined,
    /** Decided when the run was read, with `end` (datastore/liveness.ts settledRunState): one snapshot. */
    readonly state: RunState,
  ) {}

  get pathspec(): string {
    return this.record.pathspec;
  }
  get id(): string {
    return this.record.runId;
  }
  get flowName(): string {
    return this.record.flow;
  }
  get status(): RunState['status'] {
    return this.state.status;
  }
  get successful(): boolean {
    return this.status === 'succeeded';
  }
  get finished(): boolean {
    return this.status !== 'running';
  }
  /**
   * The user tags (`--tag`, `stepwise tag`, `addTag`). Unlike Metaflow's `run.tags`, system tags are
   * not included (`allTags` has both), so that what this returned before system tags existed stays.
   */
  get tags(): string[] {
    return this.record.tags;
  }
  /** The version of Stepwise that ran it, when recorded. */
  get stepwiseVersion(): string | undefined {
    return this.record.stepwiseVersion;
  }
  /** Same as `tags` (Metaflow's `run.user_tags`). */
  get userTags(): string[] {
    return this.record.tags;
  }
  /** Tags the runtime set: `user:<name>`, `runtime:stepwise`, `project:…`, `project_branch:…`. */
  get systemTags(): string[] {
    return systemTagsOf(this.record);
  }
  /** The flow's `@project` and this run's branch (`project:`/`project_branch:` tags); undefined without `@project`. */
  get project(): ProjectRecord | undefined {
    return this.record.project;
  }
  /** System tags, then user tags (Metaflow's `run.tags`). */
  get allTags(): string[] {
    return [...new Set([...this.systemTags, ...this.userTags])];
  }

  /** Adds user tags (Metaflow's `run.add_tag(s)`); a system tag is refused. */
  async addTag(...tags: string[]): Promise<void> {
    await this.setUserTags([...this.userTags, ...checked(tags)]);
  }
  /** Removes user tags; a system tag cannot be removed. */
  async removeTag(...tags: string[]): Promise<void> {
    const gone = new Set(checked(tags));
    await this.setUserTags(this.userTags.filter((t) => !gone.has(t)));
  }
  /** Replaces a user tag by another, in one write. */
  async replaceTag(oldTag: string, newTag: string): Promise<void> {
    checked([oldTag, newTag]);
    await this.setUserTags([...this.userTags.filter((t) => t !== oldTag), newTag]);
  }

  private async setUserTags(tags: string[]): Promise<void> {
    const next = [...new Set(tags)];
    await this.store.writeRunTags(this.flowName, this.id, next);
    this.record.tags = next;
  }
  get createdAt(): Date {
    return new Date(this.record.startedAt);
  }
  get finishedAt(): Date | undefined {
    return this.end ? new Date(this.end.finishedAt) : undefined;
  }
  get durationMs(): number | undefined {
    return this.end ? Date.parse(this.end.finishedAt) - Date.parse(this.record.startedAt) : undefined;
  }
  get originRunId(): string | null {
    return this.record.originRunId;
  }
  get kind(): RunRecord['kind'] {
    return this.record.kind;
  }
  get file(): string {
    return this.record.file;
  }
  /** Parameter values by name, as the run recorded them (IncludeFile: the path). */
  get parameters(): Record<string, unknown> {
    return Object.fromEntries(this.record.parameters.map((p) => [p.name, p.value]));
  }

  private unfinished = async () => (this.status === 'running' ? 'running' : 'killed') as 'running' | 'killed';

  /** A handle on one step; `await run.step('end').task()`. */
  step(name: string): StepClient {
    return new StepClient(this.store, this.flowName, this.id, name, async () => {
      const steps = await this.store.listSteps(this.flowName, this.id);
      if (!steps.includes(name))
        throw new NotFoundError(`step ${this.pathspec}/${name} does not exist. ${nearby(`steps of ${this.pathspec}`, steps)}`);
      return this.unfinished();
    });
  }

  /** Steps that have at least one task, in the order they started. */
  async steps(): Promise<StepClient[]> {
    const names = await this.store.listSteps(this.flowName, this.id);
    const firstStart = new Map<string, string>();
    for (const n of names) {
      const first = (await this.store.listTasks(this.flowName, this.id, n))[0];
      const start = first ? await this.store.readTaskStart(this.flowName, this.id, n, first).catch(() => undefined) : undefined;
      firstStart.set(n, `${start?.startedAt ?? '9'}|${first?.padStart(10, '0') ?? ''}`);
    }
    names.sort((a, b) => firstStart.get(a)!.localeCompare(firstStart.get(b)!));
    return names.map((n) => new StepClient(this.store, this.flowName, this.id, n, this.unfinished));
  }
}

function checked(tags: string[]): string[] {
  for (const t of tags) {
    const problem = userTagProblem(t);
    if (problem) throw new TagError(problem);
  }
  return tags;
}

/** A tag that cannot be added or removed (a system tag, an empty one). */
export class TagError extends Error {
  override name = 'TagError';
}
