/**
 * The storage seam. The local implementation keeps everything under one folder; another
 * implementation (an object store) must provide the same operations with the same
 * guarantees: blobs written once and atomically, a task readable only once DONE exists.
 */
import type { RunEndRecord, RunRecord, TaskRecord, TaskStartRecord } from './types';

export type LogStream = 'stdout' | 'stderr';

export interface Datastore {
  /** Where it lives, for messages (a folder or a URL). */
  readonly location: string;

  /** Stores serialised bytes under their hash (no-op when present). */
  putBlob(flow: string, hash: string, serialized: Buffer): Promise<void>;
  /** Returns the serialised bytes of a blob. */
  getBlob(flow: string, hash: string): Promise<Buffer>;
  hasBlob(flow: string, hash: string): Promise<boolean>;
  /**
   * Synchronous read for lazy artifact access inside a running step (`this.x` cannot await).
   * A remote store serves it from a local cache it fills ahead of the step.
   */
  getBlobSync(flow: string, hash: string): Buffer;

  listFlows(): Promise<string[]>;
  /** Allocates a fresh run id and writes the run record. */
  createRun(record: Omit<RunRecord, 'runId' | 'pathspec'>): Promise<RunRecord>;
  readRun(flow: string, runId: string): Promise<RunRecord>;
  readRunEnd(flow: string, runId: string): Promise<RunEndRecord | undefined>;
  writeRunEnd(flow: string, runId: string, end: RunEndRecord): Promise<void>;
  /** Run ids, newest first. */
  listRuns(flow: string): Promise<string[]>;
  deleteRun(flow: string, runId: string): Promise<void>;

  listSteps(flow: string, runId: string): Promise<string[]>;
  listTasks(flow: string, runId: string, step: string): Promise<string[]>;
  writeTaskStart(record: TaskStartRecord): Promise<void>;
  readTaskStart(flow: string, runId: string, step: string, taskId: string): Promise<TaskStartRecord | undefined>;
  /** Writes the final record, then the DONE marker. */
  writeTaskDone(record: TaskRecord): Promise<void>;
  /** The final record, or undefined while the task has no DONE marker. */
  readTask(flow: string, runId: string, step: string, taskId: string): Promise<TaskRecord | undefined>;

  appendLog(flow: string, runId: string, step: string, taskId: string, stream: LogStream, text: string): Promise<void>;
  readLog(flow: string, runId: string, step: string, taskId: string, stream: LogStream): Promise<string>;
  /** A local path a viewer can tail, when the store is local. */
  logPath?(flow: string, runId: string, step: string, taskId: string, stream: LogStream): string;
}
