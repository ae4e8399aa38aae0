/** The local launcher: every task a `node dist/task.js` child process of the runner. */
import { spawn } from 'node:child_process';
import { TASK_SPEC_ARG, type TaskSpec } from '../../task/spec';
import type { LaunchedTask, LaunchOptions, TaskExit, TaskLauncher } from '../launcher';
import { installedRuntime } from '../taskRuntime';
import { runnerWatchdog } from '../watchdog';

export class LocalProcessLauncher implements TaskLauncher {
  async launch(spec: TaskSpec, { env, cwd, runtime = installedRuntime() }: LaunchOptions): Promise<LaunchedTask> {
    // Under the debugger, the preload makes the flow bundle a parsed script before the break on
    // start, so breakpoints in it bind before it runs (see task/inspectorPreload.ts).
    const inspect = spec.inspector ? ['--inspect-brk=127.0.0.1:0', '-r', runtime.preload] : [];
    // @resources({ memoryMb }): locally, the task's heap limit (V8 ends the process when it is reached).
    const heap = spec.resources?.memoryMb ? [`--max-old-space-size=${spec.resources.memoryMb}`] : [];
    const args = [...heap, ...inspect, runtime.entry, TASK_SPEC_ARG, JSON.stringify(spec)];
    const child = spawn(process.execPath, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so Ctrl-C in a terminal reaches the runner, which decides.
      detached: true,
    });
    const watchdog = runnerWatchdog();
    const exited = new Promise<TaskExit>((resolve) => {
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => {
        // From here until it exits, the task dies with this runner (see ../watchdog.ts).
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
