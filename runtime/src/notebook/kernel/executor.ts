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

export class Executor {
  private queue: Promise<void> = Promise.resolve();
  private running: Running | undefined;

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
    if (this.running?.id === id) this.running.interrupt();
  }

  private emit(m: KernelMessage): void {
    this.streams.flush();
    this.send(m);
  }

  private async run(m: Execute): Promise<void> {
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
      if ((err as NodeJS.ErrnoException)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') status = 'interrupted';
      else {
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
