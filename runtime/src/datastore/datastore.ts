/**
 * The storage seam. Everything the runtime stores or reads goes through this interface; only
 * the implementations (`local/`, `s3/`) know where and how things are laid out. Every
 * implementation gives the same guarantees: blobs content-addressed and written whole (a reader
 * never sees part of one), a task readable only once its DONE record exists, run ids that never
 * collide, and logs that can be followed while a task runs.
 */
import type { DatastoreSpec } from './spec';
import type { RunEndRecord, RunRecord, TaskRecord, TaskStartRecord } from './types';

export type LogStream = 'stdout' | 'stderr';

/** One task, by its parts; `attempt` picks one of its attempts' logs (default 0, the first). */
export interface TaskRef {
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  attempt?: number;
}

/** Where a running task's output goes: written as it comes, stored whole once closed. */
export interface LogSink {
  write(text: string): void;
  /** Flushes what is buffered and stores the log; resolves once it is readable. */
  close(): Promise<void>;
}

export interface FollowOptions {
  /** Stops following (the iteration ends) when aborted. */
  signal?: AbortSignal;
  /** How often to look for more output (default: the store's own pace). */
  pollMs?: number;
}

export interface Datastore {
  /** What it is, serialisable: enough for another process (a task, another machine) to open it. */
  readonly spec: DatastoreSpec;
  /** Where it lives, for messages (a folder or an s3:// URL). */
  readonly location: string;

  /**
   * Stores serialised bytes under their hash. When a blob is already there it is kept only if
   * it holds these very bytes (`storedHolds` in serialize/codec.ts); a damaged one is replaced
   * atomically.
   */
  putBlob(flow: string, hash: string, serialized: Buffer): Promise<void>;
  /**
   * Returns the serialised bytes of a blob, verified against its hash (`decodeVerified` in
   * serialize/codec.ts): a changed blob is a CorruptBlobError naming it, never a wrong value.
   */
  getBlob(flow: string, hash: string): Promise<Buffer>;
  hasBlob(flow: string, hash: string): Promise<boolean>;
  /**
   * Synchronous read for lazy artifact access inside a running step (`this.x` cannot await).
   * A remote store serves it from a local cache it fills ahead of the step (`prefetchBlobs`).
   */
  getBlobSync(flow: string, hash: string): Buffer;
  /** Starts fetching blobs a step is about to read into the local cache (no-op for a local store). */
  prefetchBlobs(flow: string, hashes: string[]): Promise<void>;

  /**
   * A folder on this machine for compiled flow bundles (the compiler's cache). The bundle that a
   * run uses is then stored with `putCodePackage`, so that any machine can run its tasks.
   */
  readonly codeCacheDir: string;
  /** Stores the run's code package (the compiled flow, source map inline) under its hash. */
  putCodePackage(flow: string, hash: string, localFile: string): Promise<void>;
  /** A local file holding the code package with this hash (fetched into the cache when remote). */
  codePackagePath(flow: string, hash: string): Promise<string>;

  listFlows(): Promise<string[]>;
  /** Allocates a fresh run id (unique, also across machines) and writes the run record. */
  createRun(record: Omit<RunRecord, 'runId' | 'pathspec'>): Promise<RunRecord>;
  /** The run record; its `tags` are the user tags as they are now (`writeRunTags` changes them). */
  readRun(flow: string, runId: string): Promise<RunRecord>;
  /** Replaces a run's user tags (`stepwise tag`, `run.addTag`); run.json itself stays as written. */
  writeRunTags(flow: string, runId: string, tags: string[]): Promise<void>;
  readRunEnd(flow: string, runId: string): Promise<RunEndRecord | undefined>;
  writeRunEnd(flow: string, runId: string, end: RunEndRecord): Promise<void>;
  /** Run ids, newest first. */
  listRuns(flow: string): Promise<string[]>;
  deleteRun(flow: string, runId: string): Promise<void>;

  listSteps(flow: string, runId: string): Promise<string[]>;
  /** Task ids of a step, in numeric order. */
  listTasks(flow: string, runId: string, step: string): Promise<string[]>;
  writeTaskStart(record: TaskStartRecord): Promise<void>;
  readTaskStart(flow: string, runId: string, step: string, taskId: string): Promise<TaskStartRecord | undefined>;
  /** Writes the final record; the task reads as finished only once this has completed. */
  writeTaskDone(record: TaskRecord): Promise<void>;
  /** The final record, or undefined while the task has no DONE record. */
  readTask(flow: string, runId: string, step: string, taskId: string): Promise<TaskRecord | undefined>;
  /**
   * Stores the record of an attempt that failed while the task may still run again (`@retry`).
   * The task's last attempt is its final record (writeTaskDone), not one of these.
   */
  writeAttempt(record: TaskRecord): Promise<void>;
  /** The record of an earlier attempt (`record.attempt`), or undefined when there is none. */
  readAttempt(flow: string, runId: string, step: string, taskId: string, attempt: number): Promise<TaskRecord | undefined>;

  /** A sink for a running task's output (the runner's, or the task's own on a cluster). */
  openLog(task: TaskRef, stream: LogStream): LogSink;
  /** Stores a whole log at once (a cloned task gets its origin's output). */
  writeLog(task: TaskRef, stream: LogStream, text: string): Promise<void>;
  /** Copies both logs of one task to another (resume's clones). */
  copyLogs(from: TaskRef, to: TaskRef): Promise<void>;
  /** One attempt's log (default: the first attempt's). */
  readLog(flow: string, runId: string, step: string, taskId: string, stream: LogStream, attempt?: number): Promise<string>;
  /**
   * The log as it grows: the text so far, then each new piece, until the task has finished
   * (its DONE record exists and the log has been read to its end) or `signal` aborts.
   */
  followLog(task: TaskRef, stream: LogStream, o?: FollowOptions): AsyncIterable<string>;
  /** A local path a viewer can tail, when the store is local (its fast path). */
  logPath?(flow: string, runId: string, step: string, taskId: string, stream: LogStream, attempt?: number): string;
}
