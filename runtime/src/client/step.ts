import type { Datastore } from '../datastore/datastore';
import type { TaskStartRecord, TaskStatus } from '../datastore/types';
import { NotFoundError, nearby } from './errors';
import { TaskClient } from './task';
import { formatTaskPathspec, stepPathspec } from '../pathspec';

export interface StepSummary {
  total: number;
  succeeded: number;
  failed: number;
  running: number;
  killed: number;
  cloned: number;
}

/** One step of a run (a handle: nothing is read until asked). */
export class StepClient {
  constructor(
    private readonly store: Datastore,
    readonly flowName: string,
    readonly runId: string,
    readonly name: string,
    /** Status for unfinished tasks: 'running', or 'killed' once the run is over or dead. */
    private readonly unfinished: () => Promise<TaskStatus>,
  ) {}

  get pathspec(): string {
    return stepPathspec(this.flowName, this.runId, this.name);
  }

  async taskIds(): Promise<string[]> {
    return this.store.listTasks(this.flowName, this.runId, this.name);
  }

  private async load(taskId: string, unfinished: TaskStatus): Promise<TaskClient> {
    try {
      const rec = await this.store.readTask(this.flowName, this.runId, this.name, taskId);
      if (rec) return new TaskClient(this.store, rec);
      const start = await this.store.readTaskStart(this.flowName, this.runId, this.name, taskId);
      if (start) return new TaskClient(this.store, start, unfinished);
      // Neither record: the runner made the task's folder and was killed before its start record
      // was in it (or is writing it now). A task that never started, not a damaged one.
      return new TaskClient(this.store, placeholderStart(this.flowName, this.runId, this.name, taskId), unfinished);
    } catch (err) {
      return damagedTask(this.store, this.flowName, this.runId, this.name, taskId, (err as Error).message);
    }
  }

  /**
   * Tasks in id order (the order they started: for a loop, pass order); `offset`/`limit` page a
   * wide foreach. A damaged task is returned with `damaged` set.
   */
  async tasks(page: { offset?: number; limit?: number } = {}): Promise<TaskClient[]> {
    const ids = await this.taskIds();
    const slice = ids.slice(page.offset ?? 0, page.limit === undefined ? undefined : (page.offset ?? 0) + page.limit);
    const unfinished = await this.unfinished();
    return Promise.all(slice.map((id) => this.load(id, unfinished)));
  }

  /** The step's task (the first one, for a foreach step), or a given task id. */
  async task(taskId?: string): Promise<TaskClient> {
    const ids = await this.taskIds();
    const id = taskId ?? ids[0];
    if (!id || !ids.includes(id)) {
      throw new NotFoundError(
        `${taskId ? `task ${this.pathspec}/${taskId}` : `step ${this.pathspec}`} ${taskId ? 'does not exist' : 'has no tasks'}. ${nearby(`tasks of ${this.pathspec}`, ids)}`,
      );
    }
    return this.load(id, await this.unfinished());
  }

  async summary(): Promise<StepSummary> {
    const tasks = await this.tasks();
    const s: StepSummary = { total: tasks.length, succeeded: 0, failed: 0, running: 0, killed: 0, cloned: 0 };
    for (const t of tasks) {
      if (t.clonedFrom) s.cloned++;
      if (t.damaged) s.failed++;
      else s[t.status]++;
    }
    return s;
  }
}

/** What is known of a task whose start record cannot be read: where it is. */
function placeholderStart(flow: string, runId: string, step: string, taskId: string): TaskStartRecord {
  return {
    flow,
    runId,
    step,
    taskId,
    pathspec: formatTaskPathspec({ flow, runId, step, taskId }),
    parents: [],
    stack: [],
    startedAt: new Date(0).toISOString(),
  };
}

function damagedTask(store: Datastore, flow: string, runId: string, step: string, taskId: string, why: string): TaskClient {
  return new TaskClient(store, placeholderStart(flow, runId, step, taskId), 'failed', why);
}
