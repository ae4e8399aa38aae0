/**
 * The compute seam: how a task gets a process. The local launcher spawns `node dist/task.js`;
 * a cluster launcher would submit the same TaskSpec elsewhere.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { taskEntry } from '../paths';
import { TASK_SPEC_ARG, type TaskSpec } from '../task/spec';
import { runnerWatchdog } from './watchdog';

export interface LaunchedTask {
  pid: number;
  stdout: Readable;
  stderr: Readable;
  /** Resolves when the process has exited and its output streams have closed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
  /**
   * The task writes its output into the datastore itself (it runs on another machine); `stdout`
   * and `stderr` then follow those logs, and the runner does not store them again.
   */
  storesOwnLogs?: boolean;
}

/** Where and with what environment a task process runs. */
export interface LaunchOptions {
  env: NodeJS.ProcessEnv;
  /** The task's working directory: the one the run was started from. */
  cwd: string;
}

export interface TaskLauncher {
  launch(spec: TaskSpec, options: LaunchOptions): Promise<LaunchedTask>;
}

export class LocalProcessLauncher implements TaskLauncher {
  async launch(spec: TaskSpec, { env, cwd }: LaunchOptions): Promise<LaunchedTask> {
    // Under the debugger, the preload makes the flow bundle a parsed script before the break on
    // start, so breakpoints in it bind before it runs (see task/inspectorPreload.ts).
    const inspect = spec.inspector ? ['--inspect-brk=127.0.0.1:0', '-r', join(dirname(taskEntry()), 'inspectorPreload.js')] : [];
    // @resources({ memoryMb }): locally, the task's heap limit (V8 ends the process when it is reached).
    const heap = spec.resources?.memoryMb ? [`--max-old-space-size=${spec.resources.memoryMb}`] : [];
    const args = [...heap, ...inspect, taskEntry(), TASK_SPEC_ARG, JSON.stringify(spec)];
    const child = spawn(process.execPath, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so Ctrl-C in a terminal reaches the runner, which decides.
      detached: true,
    });
    const watchdog = runnerWatchdog();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => {
        // From here until it exits, the task dies with this runner (see ./watchdog.ts).
        watchdog.started(child.pid!);
        child.once('exit', () => watchdog.exited(child.pid!));
        resolve();
      });
      child.once('error', reject);
    });
    return {
      pid: child.pid!,
      stdout: child.stdout!,
      stderr: child.stderr!,
      exited,
      kill: (signal = 'SIGKILL') => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          child.kill(signal);
        }
      },
    };
  }
}
