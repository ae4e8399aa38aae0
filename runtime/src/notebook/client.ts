/**
 * The client side of a notebook kernel: starts the process, runs cells, interrupts, restarts,
 * and notices when it dies. Used by the VS Code controller and by the tests alike; it knows
 * nothing of VS Code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { packageRoot } from '../paths';
import {
  KERNEL_OPTIONS_ARG,
  type CellError,
  type ClientMessage,
  type ExecuteStatus,
  type KernelMessage,
  type KernelOptions,
  type OutputItem,
} from './protocol';

export interface KernelClientOptions extends KernelOptions {
  /** The kernel's working folder (where the client API finds `.stepwise/`). */
  cwd: string;
  /** Node 20 or later; default: this process's. */
  nodePath?: string;
  env?: NodeJS.ProcessEnv;
  /** How long an interrupted cell may take to stop before the kernel is restarted. */
  interruptGraceMs?: number;
  /** dist/kernel.js; default: the package's. */
  entry?: string;
}

/** Where one execution's outputs go, as they happen. */
export interface ExecutionSink {
  stream?(name: 'stdout' | 'stderr', text: string): void;
  output?(kind: 'result' | 'display', items: OutputItem[]): void;
  error?(error: CellError): void;
}

export interface ExecuteOutcome {
  /** `died`: the kernel process ended during the cell (see `message`). */
  status: ExecuteStatus | 'died';
  ms: number;
  /** Set when the kernel had to be restarted to stop the cell: its state is gone. */
  restarted?: boolean;
  message?: string;
}

export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the process wrote to stderr outside any cell (a crash report). */
  stderr: string;
}

interface Pending {
  id: number;
  sink: ExecutionSink;
  resolve(o: ExecuteOutcome): void;
  started: number;
}

export function kernelEntry(): string {
  return join(packageRoot(), 'dist', 'kernel.js');
}

export class KernelClient {
  private proc: ChildProcess | undefined;
  private starting: Promise<void> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Output that arrived between executions goes to the last one's sink (late console output). */
  private last: Pending | undefined;
  private crash = '';
  private expectingExit = false;
  private readonly exitListeners = new Set<(e: KernelExit) => void>();
  pid: number | undefined;

  constructor(private readonly o: KernelClientOptions) {}

  /** Called when the kernel process ends without being asked to (not on restart or dispose). */
  onDidDie(listener: (e: KernelExit) => void): { dispose(): void } {
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
  }

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Starts the kernel if it is not running; resolves once it is ready. */
  start(): Promise<void> {
    if (this.running && this.starting) return this.starting;
    const entry = this.o.entry ?? kernelEntry();
    if (!existsSync(entry)) return Promise.reject(new Error(`${entry} is missing: build Stepwise first (npm run build).`));
    // The kernel resolves imports from this folder: absolute, whatever the caller passed.
    const opts: KernelOptions = { notebookDir: resolvePath(this.o.cwd, this.o.notebookDir) };
    const proc = spawn(this.o.nodePath ?? process.execPath, [entry, KERNEL_OPTIONS_ARG, JSON.stringify(opts)], {
      cwd: this.o.cwd,
      env: { ...(this.o.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.proc = proc;
    this.crash = '';
    this.expectingExit = false;
    this.starting = new Promise<void>((resolve, reject) => {
      const onReady = (m: KernelMessage) => {
        if (m.type !== 'ready') return;
        this.pid = m.pid;
        proc.off('message', onReady);
        resolve();
      };
      proc.on('message', onReady);
      proc.once('exit', (code, signal) =>
        reject(new Error(`the kernel exited while starting (${describeExit(code, signal)}): ${this.crash.trim()}`)),
      );
      proc.once('error', reject);
    });
    this.starting.catch(() => undefined);
    proc.on('message', (m: KernelMessage) => this.onMessage(m));
    // Output written straight to the process's descriptors (a child process, native code).
    proc.stdout!.on('data', (b: Buffer) => this.raw('stdout', b.toString()));
    proc.stderr!.on('data', (b: Buffer) => this.raw('stderr', b.toString()));
    proc.on('exit', (code, signal) => this.onExit(proc, code, signal));
    return this.starting;
  }

  /** Runs one cell; outputs go to `sink` as they come. Never rejects for the cell's own failure. */
  async execute(code: string, label: string, sink: ExecutionSink = {}, language?: 'typescript' | 'javascript'): Promise<ExecuteOutcome> {
    await this.start();
    const id = this.nextId++;
    return new Promise<ExecuteOutcome>((resolve) => {
      const p: Pending = { id, sink, resolve, started: Date.now() };
      this.pending.set(id, p);
      this.last = p;
      this.post({ type: 'execute', id, code, label, ...(language ? { language } : {}) });
    });
  }

  /**
   * Stops the running cell. The kernel keeps its state when Node allows it; if the cell has not
   * stopped within the grace period, the kernel is restarted, and the cell's outcome says so.
   */
  async interrupt(): Promise<'idle' | 'interrupted' | 'restarted'> {
    const current = [...this.pending.values()][0];
    if (!current || !this.proc) return 'idle';
    const done = new Promise<void>((resolve) => {
      const original = current.resolve;
      current.resolve = (o) => {
        original(o);
        resolve();
      };
    });
    this.post({ type: 'interrupt', id: current.id });
    if (process.platform !== 'win32') this.proc.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.o.interruptGraceMs ?? 3000)));
    const r = await Promise.race([done.then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    if (r === 'done') return 'interrupted';
    const message =
      'The cell did not stop, so the kernel was restarted: it was busy in code after an `await`, which Node cannot stop ' +
      'without ending the process. Variables and imports from earlier cells are gone: run them again.';
    await this.kill();
    this.settleAll({ status: 'interrupted', restarted: true, message });
    await this.start();
    return 'restarted';
  }

  /** A fresh kernel: the old one's state is gone. */
  async restart(): Promise<void> {
    await this.kill();
    this.settleAll({ status: 'interrupted', restarted: true, message: 'The kernel was restarted.' });
    await this.start();
  }

  async dispose(): Promise<void> {
    if (this.running) this.post({ type: 'shutdown' });
    await this.kill(1000);
    this.settleAll({ status: 'died', message: 'The kernel was shut down.' });
  }

  private post(m: ClientMessage): void {
    if (this.proc?.connected) this.proc.send(m);
  }

  private onMessage(m: KernelMessage): void {
    if (m.type === 'ready') return;
    const p = m.id === null ? this.last : (this.pending.get(m.id) ?? (this.last?.id === m.id ? this.last : undefined));
    switch (m.type) {
      case 'stream':
        p?.sink.stream?.(m.name, m.text);
        return;
      case 'output':
        p?.sink.output?.(m.kind, m.items);
        return;
      case 'error':
        p?.sink.error?.(m.error);
        return;
      case 'done': {
        const done = this.pending.get(m.id);
        if (!done) return;
        this.pending.delete(m.id);
        done.resolve({ status: m.status, ms: m.ms });
        return;
      }
    }
  }

  private raw(name: 'stdout' | 'stderr', text: string): void {
    const p = [...this.pending.values()][0] ?? this.last;
    if (p) p.sink.stream?.(name, text);
    if (name === 'stderr') this.crash = (this.crash + text).slice(-4000);
  }

  private onExit(proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (proc !== this.proc) return;
    this.proc = undefined;
    this.starting = undefined;
    if (this.expectingExit) return;
    const exit: KernelExit = { code, signal, stderr: this.crash.trim() };
    this.settleAll({ status: 'died', message: deathMessage(exit) });
    for (const l of this.exitListeners) l(exit);
  }

  private settleAll(o: Omit<ExecuteOutcome, 'ms'>): void {
    for (const p of this.pending.values()) p.resolve({ ...o, ms: Date.now() - p.started });
    this.pending.clear();
  }

  private async kill(graceMs = 0): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    this.expectingExit = true;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    if (graceMs > 0) {
      const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    } else {
      proc.kill('SIGKILL');
      await exited;
    }
    this.proc = undefined;
    this.starting = undefined;
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

export function deathMessage(e: KernelExit): string {
  const why = e.signal === 'SIGKILL' ? ' (killed: out of memory, or by another process)' : '';
  const tail = e.stderr ? `\n${e.stderr.split('\n').slice(-8).join('\n')}` : '';
  return `The kernel died (${describeExit(e.code, e.signal)}${why}). Its variables are gone; the next cell you run starts a new kernel.${tail}`;
}
