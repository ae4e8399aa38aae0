/**
 * `--task-isolation thread`: each task runs in a fresh `vm` context of a task thread of a pooled
 * task host (task/hostMain.ts, task/contextThread.ts) instead of a process of its own. One host
 * per worker slot (`--max-workers`), started on first use and replaced after RECYCLE_AFTER tasks
 * or when it dies. Under the debugger a task is a process (the inspector attaches to processes),
 * and so is every task after one that cannot run in a thread (a native addon that cannot load in
 * one, a module that calls import()).
 */
import { dirname, join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { TaskSpec } from '../../task/spec';
import type { LaunchedTask, LaunchOptions, TaskExit, TaskLauncher } from '../launcher';
import { configuredHeapMb } from '../memory';
import { installedRuntime } from '../taskRuntime';
import { takeEarlyProcess } from './early';
import { LocalProcessLauncher } from './process';
import { TaskHost, type HostedTask } from './taskHost';

/**
 * Tasks one host runs before it is replaced: threads end cleanly, but a host's native memory
 * (and anything a native addon keeps process-wide) should not grow through a long run.
 */
export const RECYCLE_AFTER = 200;

export class ThreadLauncher implements TaskLauncher {
  private readonly hosts: TaskHost[] = [];
  private starting = 0;
  /** Why tasks now run as processes (a task that cannot run in a thread: a native addon, import()). */
  private processesBecause: string | undefined;
  /** The host warm() started, until it is up. */
  private warming: Promise<unknown> | undefined;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly processes = new LocalProcessLauncher(),
  ) {}

  async launch(spec: TaskSpec, options: LaunchOptions): Promise<LaunchedTask> {
    if (spec.inspector || this.processesBecause) return this.processes.launch(spec, options);
    // The host warm() is starting is this task's (its failure to start is seen again below).
    await this.warming;
    const host = await this.host(options);
    const hosted = host.run(spec, options.env, configuredHeapMb(spec.resources?.memoryMb, options.env));
    if (host.served >= RECYCLE_AFTER) host.retire();
    return this.withProcessFallback(hosted, spec, options);
  }

  /** Starts the first host while the run is prepared: a task host's start is most of a short run's first task. */
  warm(options: LaunchOptions): void {
    if (this.hosts.length || this.warming) return;
    this.warming = this.host(options).then(
      () => (this.warming = undefined),
      () => (this.warming = undefined),
    );
  }

  close(): void {
    this.closed = true;
    for (const h of this.hosts.splice(0)) h.retire();
    this.processes.close();
  }

  /** The least busy live host, or a new one while there are fewer than `size`. */
  private async host(options: LaunchOptions): Promise<TaskHost> {
    const live = this.hosts.filter((h) => h.alive && !h.retiring).sort((a, b) => a.load - b.load);
    if (live[0] && (live[0].load === 0 || live.length + this.starting >= this.size)) return live[0];
    this.starting++;
    try {
      // The host runs dist/task.js from its own folder: the run's copy of the runtime, as a
      // task process would (../taskRuntime.ts).
      const runtime = options.runtime ?? installedRuntime();
      const entry = join(dirname(runtime.entry), 'taskHost.js');
      // The run's first host may be the process the CLI's boot started (./early.ts).
      const early = takeEarlyProcess('thread', options);
      const host = early ? TaskHost.adopt(early, entry, options.env) : await TaskHost.start(entry, options.cwd, options.env);
      // Closed while it started (the run stopped before its first task, say): not needed.
      if (this.closed) host.retire();
      this.hosts.push(host);
      host.whenGone(() => this.hosts.splice(this.hosts.indexOf(host) >>> 0, this.hosts.includes(host) ? 1 : 0));
      return host;
    } finally {
      this.starting--;
    }
  }

  /**
   * The task as the scheduler sees it. When its thread stopped because the task cannot run in one, the same task
   * runs again as a process behind the same streams, and so does every later task of the run.
   */
  private withProcessFallback(hosted: HostedTask, spec: TaskSpec, options: LaunchOptions): LaunchedTask {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    hosted.stdout.pipe(stdout, { end: false });
    hosted.stderr.pipe(stderr, { end: false });
    let current: LaunchedTask = hosted;
    const exited = (async (): Promise<TaskExit> => {
      const exit = await hosted.exited;
      const why = hosted.processOnly;
      if (why) {
        this.processesBecause ??= why.file;
        stderr.write(`stepwise: ${why.file} ${why.why}; this task and the run's later ones run as processes (--task-isolation process).\n`);
        try {
          current = await this.processes.launch(spec, options);
        } catch (err) {
          stderr.write(`could not start the task process: ${(err as Error).message}\n`);
          return end(exit, hosted);
        }
        current.stdout.pipe(stdout, { end: false });
        current.stderr.pipe(stderr, { end: false });
        return end(await current.exited, current);
      }
      return end(exit, hosted);
    })();
    /** Our streams end once everything the task wrote has passed through them. */
    async function end(exit: TaskExit, from: LaunchedTask): Promise<TaskExit> {
      await Promise.all([drained(from.stdout), drained(from.stderr)]);
      stdout.end();
      stderr.end();
      return exit;
    }
    return {
      get pid() {
        return current.pid;
      },
      stdout,
      stderr,
      exited,
      kill: (signal) => current.kill(signal),
    };
  }
}

function drained(stream: Readable): Promise<void> {
  return finished(stream).catch(() => undefined);
}
