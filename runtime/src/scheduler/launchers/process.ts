/**
 * The local launcher: every task a `node dist/task.js` child process of the runner. One spare
 * process is kept started ahead (runtime loaded, waiting for its spec on stdin: task/spare.ts),
 * so the next task does not wait for Node to start; it runs that one task only, as any task
 * process. Tasks under the debugger, and tasks whose Node options differ, start their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { SPARE_ARG, TASK_SPEC_ARG, type TaskSpec } from '../../task/spec';
import type { LaunchedTask, LaunchOptions, TaskExit, TaskLauncher } from '../launcher';
import { installedRuntime } from '../taskRuntime';
import { runnerWatchdog } from '../watchdog';
import { startEarly, takeEarlyProcess } from './early';

interface Spare {
  child: ChildProcess;
  /** What it was started with (Node options, runtime, cwd, environment): a task must match. */
  key: string;
  started: Promise<void>;
  exited: Promise<TaskExit>;
}

export class LocalProcessLauncher implements TaskLauncher {
  private spare: Spare | undefined;
  private closed = false;
  /** Tasks started here and not yet ended. */
  private running = 0;

  /** `spares`: keep one process started ahead (off: every task starts its own, as under the debugger). */
  constructor(private readonly spares = false) {}

  async launch(spec: TaskSpec, options: LaunchOptions): Promise<LaunchedTask> {
    const runtime = options.runtime ?? installedRuntime();
    // Under the debugger, the preload makes the flow bundle a parsed script before the break on
    // start, so breakpoints in it bind before it runs (see task/inspectorPreload.ts).
    if (spec.inspector) return this.start([...heapArgs(spec), '--inspect-brk=127.0.0.1:0', '-r', runtime.preload], spec, options);
    const spare = this.take(keyOf(heapArgs(spec), options));
    let task: LaunchedTask | undefined;
    if (spare) {
      try {
        await spare.started;
        spare.child.stdin!.end(JSON.stringify(spec));
        task = launched(spare.child, spare.exited);
      } catch {
        // it could not start: this task starts its own
      }
    }
    task ??= await this.start(heapArgs(spec), spec, options);
    this.running++;
    void task.exited.then(() => this.running--);
    // The next task's process starts now, while this one runs, when a core is free for it: with
    // every core busy (a foreach at --max-workers = cores) it would only compete with the tasks.
    if (!options.last && this.running < availableParallelism()) this.warmFor(heapArgs(spec), options);
    return task;
  }

  /** Starts a spare process for the run's first task, while the run is prepared. */
  warm(options: LaunchOptions): void {
    if (!this.spare) this.warmFor([], options);
  }

  close(): void {
    this.closed = true;
    const spare = this.spare;
    this.spare = undefined;
    if (spare) kill(spare.child, 'SIGKILL');
  }

  private take(key: string): Spare | undefined {
    const spare = this.spare;
    this.spare = undefined;
    if (!spare) return undefined;
    if (spare.key === key && spare.child.exitCode === null && spare.child.signalCode === null) return spare;
    kill(spare.child, 'SIGKILL');
    return undefined;
  }

  private warmFor(nodeArgs: string[], options: LaunchOptions): void {
    if (this.closed || !this.spares) return;
    const runtime = options.runtime ?? installedRuntime();
    // The run's first spare may be the process the CLI's boot started (./early.ts).
    const early = nodeArgs.length ? undefined : takeEarlyProcess('process', options);
    const { child, started, exited } = early ? adopted(early) : spawnTask([...nodeArgs, runtime.entry, SPARE_ARG], options, 'pipe');
    if (early) startEarly(early, { entry: runtime.entry, args: [SPARE_ARG], env: options.env }, false);
    const spare: Spare = { child, key: keyOf(nodeArgs, options), started, exited };
    // A spare that fails to start is simply not used.
    started.catch(() => undefined);
    this.spare = spare;
  }

  private async start(nodeArgs: string[], spec: TaskSpec, options: LaunchOptions): Promise<LaunchedTask> {
    const runtime = options.runtime ?? installedRuntime();
    const { child, started, exited } = spawnTask([...nodeArgs, runtime.entry, TASK_SPEC_ARG, JSON.stringify(spec)], options, 'ignore');
    await started;
    return launched(child, exited);
  }
}

/** @resources({ memoryMb }): locally, the task's heap limit (V8 ends the process when it is reached). */
function heapArgs(spec: TaskSpec): string[] {
  return spec.resources?.memoryMb ? [`--max-old-space-size=${spec.resources.memoryMb}`] : [];
}

function keyOf(nodeArgs: string[], { env, cwd, runtime }: LaunchOptions): string {
  return JSON.stringify([nodeArgs, runtime?.entry ?? '', cwd, env]);
}

function spawnTask(args: string[], { env, cwd }: LaunchOptions, stdin: 'pipe' | 'ignore') {
  const child = spawn(process.execPath, args, {
    cwd,
    env,
    stdio: [stdin, 'pipe', 'pipe'],
    // Its own process group, so Ctrl-C in a terminal reaches the runner, which decides.
    detached: true,
  });
  const started = new Promise<void>((resolve, reject) => {
    child.once('spawn', () => {
      // From here until it exits, the task dies with this runner (see ../watchdog.ts).
      runnerWatchdog().guard(child);
      resolve();
    });
    child.once('error', reject);
  });
  return { child, started, exited: exitOf(child) };
}

/** The early process (./early.ts), already started: guarded from now on. */
function adopted(child: ChildProcess) {
  runnerWatchdog().guard(child);
  return { child, started: Promise.resolve(), exited: exitOf(child) };
}

function exitOf(child: ChildProcess): Promise<TaskExit> {
  // A spare's stdin closes when the runner lets it go; a write to one that already ended is no error of the task's.
  child.stdin?.on('error', () => undefined);
  return new Promise<TaskExit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
}

function launched(child: ChildProcess, exited: Promise<TaskExit>): LaunchedTask {
  return {
    pid: child.pid!,
    stdout: child.stdout!,
    stderr: child.stderr!,
    exited,
    kill: (signal = 'SIGKILL') => kill(child, signal),
  };
}

function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}
