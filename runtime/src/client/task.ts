import type { Datastore, FollowOptions } from '../datastore/datastore';
import type { Resources } from '../api/decoratorOptions';
import type { ArtifactRecord, CaughtRecord, ExceptionRecord, TaskRecord, TaskStartRecord, TaskStatus } from '../datastore/types';
import { deserializeArtifact } from '../serialize/codec';
import { NotFoundError, nearby } from './errors';

export interface ArtifactInfo extends ArtifactRecord {
  name: string;
}

/** One attempt of a task (`@retry` gives a task several): how it ended. */
export interface AttemptInfo {
  attempt: number;
  /** 'running' for the attempt under way. */
  status: TaskStatus;
  startedAt: Date;
  finishedAt?: Date;
  durationMs?: number;
  exception?: ExceptionRecord;
  /** The last attempt's failure, when `@catchFailure` caught it. */
  caught?: CaughtRecord;
}

/** One task of a run: its status, artifacts and logs. */
export class TaskClient {
  constructor(
    private readonly store: Datastore,
    readonly record: TaskRecord | TaskStartRecord,
    /** Set when the task is not finished: 'running', or 'killed' when its run's runner died. */
    private readonly unfinishedStatus: TaskStatus = 'running',
    /** Set when the task's files could not be read: names the file. */
    readonly damaged?: string,
  ) {}

  get pathspec(): string {
    return this.record.pathspec;
  }
  get id(): string {
    return this.record.taskId;
  }
  get stepName(): string {
    return this.record.step;
  }
  get runId(): string {
    return this.record.runId;
  }
  get flowName(): string {
    return this.record.flow;
  }
  private get final(): TaskRecord | undefined {
    return 'status' in this.record ? (this.record as TaskRecord) : undefined;
  }
  get finished(): boolean {
    return !!this.final;
  }
  get status(): TaskStatus {
    return this.final?.status ?? this.unfinishedStatus;
  }
  get successful(): boolean {
    return this.final?.status === 'succeeded';
  }
  get exception(): ExceptionRecord | undefined {
    return this.final?.exception;
  }
  get startedAt(): Date {
    return new Date(this.record.startedAt);
  }
  get finishedAt(): Date | undefined {
    return this.final ? new Date(this.final.finishedAt) : undefined;
  }
  get durationMs(): number | undefined {
    return this.final?.durationMs;
  }
  get clonedFrom(): string | undefined {
    return this.final?.clonedFrom;
  }
  get foreachIndex(): number | undefined {
    const top = this.record.stack[this.record.stack.length - 1];
    return top?.kind === 'foreach' ? top.index : undefined;
  }
  get parents(): string[] {
    return this.record.parents;
  }
  /** Which pass of the innermost loop around the step this task is (1 = the first); undefined outside loops. */
  get pass(): number | undefined {
    const passes = this.record.passes ?? [];
    return passes[passes.length - 1];
  }
  /** The pass of every loop around the step, outermost first (empty outside loops). */
  get passes(): number[] {
    return [...(this.record.passes ?? [])];
  }
  /** For a switch step: the case it took (`String()` of its condition's value), and the condition. */
  get switchCase(): { condition: string; case: string } | undefined {
    return this.final?.transition?.switch;
  }
  get pid(): number | undefined {
    return this.record.pid;
  }
  /** The task's last attempt so far (0 when it ran once): Metaflow's `current_attempt`. */
  get currentAttempt(): number {
    return this.record.attempt ?? 0;
  }
  /** The failure `@catchFailure` caught (the task succeeded without the step's artifacts). */
  get caught(): CaughtRecord | undefined {
    return this.final?.caught;
  }
  /** What `@resources` asked for. */
  get resources(): Resources | undefined {
    return this.record.resources;
  }

  /** Every attempt, first to last (the last one is the task's own record). */
  async attempts(): Promise<AttemptInfo[]> {
    const out: AttemptInfo[] = [];
    for (let n = 0; n < this.currentAttempt; n++) {
      const r = await this.store.readAttempt(this.flowName, this.runId, this.stepName, this.id, n);
      if (r) out.push(attemptInfo(r));
    }
    out.push(this.final ? attemptInfo(this.final) : { attempt: this.currentAttempt, status: this.status, startedAt: this.startedAt });
    return out;
  }

  /** Name, type, size and a short preview of every artifact, without loading any value. */
  artifacts(): ArtifactInfo[] {
    return Object.entries(this.final?.artifacts ?? {})
      .map(([name, r]) => ({ name, ...r }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  hasData(name: string): boolean {
    return !!this.final?.artifacts[name];
  }

  /** The value of artifact `name` (a fresh copy each call). */
  async data<T = unknown>(name: string): Promise<T> {
    const rec = this.final?.artifacts[name];
    if (!rec) {
      const state = this.final ? '' : ` (the task is ${this.status}: it has no artifacts yet)`;
      throw new NotFoundError(
        `task ${this.pathspec} has no artifact '${name}'${state}. ${nearby('artifacts', Object.keys(this.final?.artifacts ?? {}).sort())}`,
      );
    }
    const bytes = await this.store.getBlob(this.flowName, rec.hash);
    return deserializeArtifact(bytes, `artifact ${name} of ${this.pathspec}`) as T;
  }

  /** Raw serialised size and hash of an artifact, for viewers that decide how much to render. */
  artifactRecord(name: string): ArtifactRecord | undefined {
    return this.final?.artifacts[name];
  }

  /** The last attempt's output (`log()` reads any attempt's). */
  get stdout(): Promise<string> {
    return this.log('stdout');
  }
  get stderr(): Promise<string> {
    return this.log('stderr');
  }
  /** One attempt's output (default: the last attempt's). */
  log(stream: 'stdout' | 'stderr', attempt = this.currentAttempt): Promise<string> {
    return this.store.readLog(this.flowName, this.runId, this.stepName, this.id, stream, attempt);
  }
  /**
   * The log as it grows: what is there, then each new piece until the task has finished (or
   * `signal` aborts). Works on every store (a remote one is polled).
   */
  followLog(stream: 'stdout' | 'stderr', o: FollowOptions = {}): AsyncIterable<string> {
    return this.store.followLog(this.record, stream, o);
  }
  /** A local file holding the log, when the store is a local folder (else undefined: use followLog). */
  logPath(stream: 'stdout' | 'stderr', attempt = this.currentAttempt): string | undefined {
    return this.store.logPath?.(this.flowName, this.runId, this.stepName, this.id, stream, attempt);
  }
}

function attemptInfo(r: TaskRecord): AttemptInfo {
  return {
    attempt: r.attempt ?? 0,
    status: r.status,
    startedAt: new Date(r.startedAt),
    finishedAt: new Date(r.finishedAt),
    durationMs: r.durationMs,
    ...(r.exception ? { exception: r.exception } : {}),
    ...(r.caught ? { caught: r.caught } : {}),
  };
}
