/** The messages between a runner and its task hosts (task/hostMain.ts), over Node's IPC channel. */
import type { ProcessOnlyMessage, TaskSpec } from './spec';

export type HostRequest =
  /**
   * Run one task in a fresh context of a task thread (task/contextThread.ts). `heapMb`: the
   * thread's heap limit (`@resources({ memoryMb })`).
   */
  | { type: 'run'; id: number; spec: TaskSpec; env: NodeJS.ProcessEnv; heapMb?: number }
  /** End the task's thread now (Ctrl-C, `@timeout`, Stop). */
  | { type: 'kill'; id: number };

export type HostReport =
  | { type: 'started'; id: number; threadId: number }
  | { type: 'output'; id: number; stream: 'stdout' | 'stderr'; data: string }
  | {
      type: 'exit';
      id: number;
      /** The thread's exit code (1 after an uncaught error or a terminate()). */
      code: number;
      /** The thread reached its heap limit. */
      outOfMemory?: boolean;
      /** The task cannot run in a thread (a native addon, import()): it must run as a process. */
      processOnly?: ProcessOnlyMessage['processOnly'];
      /** The thread could not be started. */
      error?: string;
    };

/** Between a task host and one of its task threads (task/contextThread.ts), over the thread's port. */
export type ThreadRequest = { type: 'task'; id: number; spec: TaskSpec; env: NodeJS.ProcessEnv };

export type ThreadReport =
  | { type: 'output'; id: number; stream: 'stdout' | 'stderr'; data: string }
  /**
   * The task ended in its context; the thread takes the next one, unless `retire`: the task
   * changed what the thread's tasks share (task/sharedState.ts), so it must take no other.
   */
  | { type: 'done'; id: number; code: number; retire?: string };
