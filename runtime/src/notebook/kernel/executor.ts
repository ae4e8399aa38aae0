/**
 * Runs cells one after another. A cell's synchronous part (up to its first real `await`) runs
 * under `breakOnSigint`, so SIGINT stops a loop there and the kernel keeps its state. A cell
 * that is waiting (on a timer, a promise, I/O) is stopped by the `interrupt` message: it is
 * abandoned, and its late output goes to whichever cell runs then. A cell busy in code after
 * an `await` cannot be stopped by Node without risking the process (V8's terminate leaves
 * Node's own bookkeeping broken), so the client restarts the kernel then (see client.ts).
 */
import { Script } from 'node:vm';
import type { ClientMessage, KernelMessage } from '../protocol';
import { DisplayError, resultItems } from '../outputs';
import { CellSyntaxError } from './cellRewrite';
import { compileCell } from './compile';
import type { KernelModules } from './modules';
import { cellFile, type CellScripts } from './stack';
import type { StreamCapture } from './streams';

type Execute = Extract<ClientMessage, { type: 'execute' }>;

interface Running {
  id: number;
  interrupt(): void;
}

/** How long a cell waits for the SIGINT of an earlier interrupt before it starts anyway. */
const SIGINT_WAIT_MS = 1000;

export class Executor {
  private queue: Promise<void> = Promise.resolve();
  private running: Running | undefined;
  /**
   * The client follows each `interrupt` message with a SIGINT (it stops a synchronous loop,
   * which cannot read messages). The signal can arrive after the message has already ended the
   * cell; had the next cell started, vm's breakOnSigint would stop it instead. So the next cell
   * waits until every such signal has arrived: interrupt messages minus signals seen (either
   * may come first).
   */
  private signalsOwed = 0;
  private onSignal: (() => void) | undefined;
  /** Cells a SIGINT already stopped (their own interrupt message may still be on its way). */
  private readonly stoppedBySigint = new Set<number>();

  constructor(
    private readonly send: (m: KernelMessage) => void,
    private readonly streams: StreamCapture,
    private readonly modules: KernelModules,
    private readonly scripts: CellScripts,
  ) {}

  /** The execution now running, for output that is not a cell's return value. */
  get currentId(): number | null {
    return this.running?.id ?? null;
  }

  enqueue(m: Execute): void {
    // A macrotask, never inside the IPC channel's own callback: stopping a cell must not
    // unwind through Node's message handling.
    this.queue = this.queue.then(() => new Promise<void>((resolve) => setImmediate(() => void this.run(m).then(resolve))));
  }

  interrupt(id: number): void {
    if (!this.stoppedBySigint.delete(id)) this.signalsOwed++;
    if (this.running?.id === id) this.running.interrupt();
  }

  /** A SIGINT outside a cell's synchronous part (which vm's breakOnSigint handles). */
  sigint(): void {
    this.signalsOwed--;
    this.onSignal?.();
  }

  private async sigintSettled(): Promise<void> {
    const deadline = Date.now() + SIGINT_WAIT_MS;
    while (this.signalsOwed > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.onSignal = resolve;
        timer = setTimeout(resolve, deadline - Date.now());
      });
      clearTimeout(timer);
      this.onSignal = undefined;
    }
    // A signal that never came (or one that came unasked) must not hold later cells.
    this.signalsOwed = 0;
  }

  private emit(m: KernelMessage): void {
    this.streams.flush();
    this.send(m);
  }

  private async run(m: Execute): Promise<void> {
    await this.sigintSettled();
    const t0 = Date.now();
    let interrupt!: () => void;
    const interrupted = new Promise<'interrupted'>((resolve) => (interrupt = () => resolve('interrupted')));
    this.running = { id: m.id, interrupt };
    let status: 'ok' | 'error' | 'interrupted' = 'ok';
    try {
      this.reload();
      const language = m.language ?? 'typescript';
      const file = cellFile(m.id, language);
      const compiled = compileCell(m.code, { file, language, importStyle: (s) => this.modules.importStyle(s) });
      this.scripts.add(m.id, m.label, compiled);
      const script = new Script(compiled.js, { filename: file });
      const promise = script.runInThisContext({ breakOnSigint: true, displayErrors: false }) as Promise<unknown>;
      const outcome = await Promise.race([promise.then((value) => ({ value })), interrupted]);
      if (outcome === 'interrupted') {
        status = 'interrupted';
        promise.catch(() => undefined); // abandoned: its failure is no longer anyone's
      } else {
        const items = resultItems(outcome.value);
        if (items.length) this.emit({ type: 'output', id: m.id, kind: 'result', items });
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') {
        status = 'interrupted';
        this.stoppedBySigint.add(m.id);
      } else {
        status = 'error';
        this.emit({ type: 'error', id: m.id, error: this.toError(err, m.label) });
      }
    } finally {
      this.running = undefined;
    }
    this.emit({ type: 'done', id: m.id, status, ms: Date.now() - t0 });
  }

  private toError(err: unknown, label: string) {
    if (err instanceof CellSyntaxError) {
      const { line, column, message } = err.problem;
      return { name: 'SyntaxError', message, stack: `SyntaxError: ${message}\n    at ${label}:${line}:${column}`, line, column };
    }
    if (err instanceof DisplayError) return { name: err.name, message: err.message, stack: `${err.name}: ${err.message}` };
    return this.scripts.toCellError(err);
  }

  /** Autoreload, said in one line so the user knows which code the cell will run. */
  private reload(): void {
    const { reloaded, failed } = this.modules.autoreload();
    if (reloaded.length) this.streams.write('stdout', `autoreload: ${reloaded.join(', ')} changed: reloaded\n`);
    for (const f of failed) this.streams.write('stderr', `autoreload: could not reload ${f}\n`);
  }
}
