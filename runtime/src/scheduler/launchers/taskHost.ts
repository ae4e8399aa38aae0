/**
 * The runner's side of one task host (task/hostMain.ts): the process, and the tasks running in
 * its threads, each seen by the scheduler as a LaunchedTask like a task process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import type { HostReport, HostRequest } from '../../task/hostProtocol';
import type { ProcessOnlyMessage, TaskSpec } from '../../task/spec';
import type { LaunchedTask, TaskExit } from '../launcher';
import { runnerWatchdog } from '../watchdog';
import { startEarly } from './early';

/** A task in a host's thread. */
export interface HostedTask extends LaunchedTask {
  stdout: PassThrough;
  stderr: PassThrough;
  /** Set when the thread stopped because the task cannot run in a thread (a native addon, import()). */
  processOnly?: ProcessOnlyMessage['processOnly'];
}

interface InFlight {
  task: HostedTask;
  resolve(exit: TaskExit): void;
  /** The runner asked for the thread to end (Ctrl-C, @timeout, Stop). */
  killed?: NodeJS.Timeout;
}

/** How long a thread may take to end after terminate() before its host counts as in trouble. */
const KILL_GRACE_MS = 3000;

export class TaskHost {
  readonly pid: number;
  /** Tasks sent to this host, ever (it is recycled after a number of them). */
  served = 0;
  /** Takes no more tasks; closed once its last one ends. */
  retiring = false;
  private readonly tasks = new Map<number, InFlight>();
  private nextId = 1;
  private gone: string | undefined;
  /** Why the runner killed the host itself. */
  private troubled: string | undefined;
  /** The host's own stderr (never a task's): the last of it explains a host that died. */
  private ownOutput = '';
  private readonly onGone: Array<() => void> = [];

  private constructor(private readonly child: ChildProcess) {
    this.pid = child.pid!;
    // The host and its threads die with this runner, even if the IPC channel's close goes unseen.
    runnerWatchdog().guard(child);
    child.on('message', (r: HostReport) => this.receive(r));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.ownOutput = (this.ownOutput + d).slice(-2000)));
    child.stdout!.resume();
    child.on('exit', (code, signal) => this.died(code, signal));
    this.idle();
  }

  /** Starts a host running `entry` (dist/taskHost.js). */
  static async start(entry: string, cwd: string, env: NodeJS.ProcessEnv): Promise<TaskHost> {
    const child = spawn(process.execPath, [entry], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group, as a task process: Ctrl-C in a terminal reaches the runner only.
      detached: true,
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return new TaskHost(child);
  }

  /** The early process (./early.ts) as a host running `entry` (the run's dist/taskHost.js). */
  static adopt(child: ChildProcess, entry: string, env: NodeJS.ProcessEnv): TaskHost {
    // Guarded by the watchdog (in the constructor) before it is told to start anything.
    const host = new TaskHost(child);
    startEarly(child, { entry, args: [], env }, true);
    return host;
  }

  get alive(): boolean {
    return this.gone === undefined;
  }

  get load(): number {
    return this.tasks.size;
  }

  whenGone(f: () => void): void {
    if (this.gone !== undefined) f();
    else this.onGone.push(f);
  }

  run(spec: TaskSpec, env: NodeJS.ProcessEnv, heapMb: number | undefined): HostedTask {
    const id = this.nextId++;
    this.served++;
    let resolve!: (e: TaskExit) => void;
    const exited = new Promise<TaskExit>((r) => (resolve = r));
    const task: HostedTask = {
      pid: this.pid,
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      exited,
      kill: () => this.kill(id),
    };
    const entry: InFlight = { task, resolve };
    this.tasks.set(id, entry);
    this.busy();
    this.send({ type: 'run', id, spec, env, ...(heapMb ? { heapMb } : {}) });
    return task;
  }

  /** No more tasks: the host exits now if idle, else when its last task ends. */
  retire(): void {
    this.retiring = true;
    if (!this.tasks.size) this.close();
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
  }

  private kill(id: number): void {
    const t = this.tasks.get(id);
    if (!t || t.killed) return;
    this.send({ type: 'kill', id });
    // A thread that does not end (stuck in native code) takes its host down: the host is
    // replaced, and the other tasks it held fail with that reason.
    t.killed = setTimeout(() => this.terminate(`a thread did not end within ${KILL_GRACE_MS / 1000} s of being killed`), KILL_GRACE_MS);
  }

  /** Kills the host (trouble): `why` is what its tasks' records will say. */
  private terminate(why: string): void {
    this.troubled ??= why;
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  private send(r: HostRequest): void {
    if (this.child.connected) this.child.send(r);
  }

  private receive(r: HostReport): void {
    const t = this.tasks.get(r.id);
    if (!t) return;
    if (r.type === 'output') (r.stream === 'stdout' ? t.task.stdout : t.task.stderr).write(r.data);
    else if (r.type === 'exit') {
      if (r.error) t.task.stderr.write(`${r.error}\n`);
      if (r.processOnly) t.task.processOnly = r.processOnly;
      // A thread ended on request reads as a process killed by SIGKILL would.
      const exit: TaskExit = t.killed ? { code: null, signal: 'SIGKILL' } : { code: r.code, signal: null };
      this.finish(r.id, r.outOfMemory ? { ...exit, outOfMemory: true } : exit);
    }
  }

  private finish(id: number, exit: TaskExit): void {
    const t = this.tasks.get(id)!;
    this.tasks.delete(id);
    if (t.killed) clearTimeout(t.killed);
    t.task.stdout.end();
    t.task.stderr.end();
    t.resolve(exit);
    if (!this.tasks.size) {
      this.idle();
      if (this.retiring) this.close();
    }
  }

  /** The host process ended: every task still in it ends, with the reason. */
  private died(code: number | null, signal: NodeJS.Signals | null): void {
    const last = this.ownOutput.trim().split('\n').slice(-3).join(' ').trim();
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    this.gone = this.troubled ? `was replaced: ${this.troubled}` : `${how}${last ? ` (${last})` : ''}`;
    for (const [id, t] of [...this.tasks]) {
      // A task the runner was killing anyway ended as asked; any other died with its host.
      if (t.killed && !this.troubled) this.finish(id, { code: null, signal: 'SIGKILL' });
      else this.finish(id, { code, signal, reason: `the task's host process (pid ${this.pid}) ${this.gone}` });
    }
    for (const f of this.onGone.splice(0)) f();
  }

  /** An idle host does not keep the runner alive; one running tasks does. */
  private idle(): void {
    this.child.unref();
    (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
  }

  private busy(): void {
    this.child.ref();
    (this.child.channel as { ref?: () => void } | undefined)?.ref?.();
  }
}
