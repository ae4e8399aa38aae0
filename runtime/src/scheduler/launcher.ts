/**
 * The compute seam: how a task gets a process. The launchers are in ./launchers: the local one
 * spawns `node dist/task.js` (the run's copy of it, ./taskRuntime.ts); the Slurm one submits the same TaskSpec as a batch job.
 */
import type { Readable } from 'node:stream';
import type { Datastore } from '../datastore/datastore';
import type { TaskSpec } from '../task/spec';
import type { TaskRuntime } from './taskRuntime';

export interface TaskExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why the task ended, as its compute says (e.g. "Slurm job 12 was cancelled"), when it ended abnormally. */
  reason?: string;
  /** The task reached its heap limit (a thread's resourceLimits; a process says so on its stderr). */
  outOfMemory?: boolean;
}

export interface LaunchedTask {
  pid: number;
  stdout: Readable;
  stderr: Readable;
  /** Resolves when the process has exited and its output streams have closed. */
  exited: Promise<TaskExit>;
  kill(signal?: NodeJS.Signals): void;
  /**
   * The task writes its output into the datastore itself (it runs on another machine); `stdout`
   * and `stderr` then follow those logs, and the runner does not store them again.
   */
  storesOwnLogs?: boolean;
  /** Where it runs, for people (e.g. "Slurm job 12"); a local process is its pid. */
  where?: string;
}

/** Where and with what environment a task process runs. */
export interface LaunchOptions {
  env: NodeJS.ProcessEnv;
  /** The task's working directory: the one the run was started from. */
  cwd: string;
  /** The files the task process starts from: the run's copy (./taskRuntime.ts); default the installation. */
  runtime?: TaskRuntime;
  /**
   * No task of the run can follow this one (the end step's, a spin's): nothing is started ahead
   * for a next task (a spare process or thread would only compete with this one, then be killed).
   */
  last?: boolean;
}

export interface TaskLauncher {
  /** Called once before the run is created: check what the launcher needs (a UsageError stops the run). */
  prepare?(store: Datastore): Promise<void>;
  launch(spec: TaskSpec, options: LaunchOptions): Promise<LaunchedTask>;
  /**
   * Called while the run is being prepared (compiled, recorded), when its first task will run
   * here: start now what that task will need (a task host), so the two overlap.
   */
  warm?(options: LaunchOptions): void;
  /** Called once the run is over: let go of what the launcher keeps between tasks (task hosts). */
  close?(): void;
}

export { LocalProcessLauncher } from './launchers/process';
