/** The messages between a runner and its task hosts (task/hostMain.ts), over Node's IPC channel. */
import type { NativeAddonMessage, TaskSpec } from './spec';

export type HostRequest =
  /**
   * Run one task in a fresh thread. `heapMb`: the thread's heap limit (`@resources({ memoryMb })`).
   * `spare`: start the next task's thread now (a core is free for it).
   */
  | { type: 'run'; id: number; spec: TaskSpec; env: NodeJS.ProcessEnv; heapMb?: number; spare?: boolean }
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
      /** A native addon could not load in the thread: the task must run as a process. */
      nativeAddon?: NativeAddonMessage['nativeAddon'];
      /** The thread could not be started. */
      error?: string;
    };
