/** A notebook kernel (the shipped dist/kernel.js) driven over its process protocol, outputs collected per cell. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelClient, type ExecuteOutcome, type KernelClientOptions } from '../../runtime/src/notebook/client';
import type { CellError, OutputItem } from '../../runtime/src/notebook/protocol';
import { repoRoot } from '../support/cli';

export interface CellRun extends ExecuteOutcome {
  stdout: string;
  stderr: string;
  /** In arrival order: streams as `stdout:<text>`, outputs as their first MIME type. */
  order: string[];
  results: OutputItem[][];
  displays: OutputItem[][];
  errors: CellError[];
  /** The text/plain of the cell's value, if it had one. */
  text?: string;
}

export class KernelSession {
  readonly dir: string;
  readonly kernel: KernelClient;
  private count = 0;
  /** Every stream's text so far, across cells: readiness signals for tests. */
  private seen = '';

  constructor(o: Partial<KernelClientOptions> & { dir?: string } = {}) {
    this.dir = o.dir ?? mkdtempSync(join(tmpdir(), 'stepwise-kernel-'));
    this.kernel = new KernelClient({
      cwd: this.dir,
      notebookDir: this.dir,
      entry: join(repoRoot, 'dist', 'kernel.js'),
      ...o,
    });
  }

  /** Runs a cell; `label` defaults to `Cell N` in the order cells were run. */
  async run(code: string, label = `Cell ${++this.count}`, language?: 'typescript' | 'javascript'): Promise<CellRun> {
    const r: Omit<CellRun, keyof ExecuteOutcome> = { stdout: '', stderr: '', order: [], results: [], displays: [], errors: [] };
    const outcome = await this.kernel.execute(
      code,
      label,
      {
        stream: (name, text) => {
          this.seen += text;
          r[name] += text;
          r.order.push(`${name}:${text}`);
        },
        output: (kind, items) => {
          (kind === 'result' ? r.results : r.displays).push(items);
          r.order.push(`${kind}:${items[0]?.mime}`);
        },
        error: (e) => {
          r.errors.push(e);
          r.order.push(`error:${e.name}`);
        },
      },
      language,
    );
    const text = r.results[0]?.find((i) => i.mime === 'text/plain')?.data;
    return { ...outcome, ...r, ...(text !== undefined ? { text } : {}) };
  }

  /** Resolves once a cell has printed `text` (the signal that it got there). */
  async printed(text: string): Promise<void> {
    while (!this.seen.includes(text)) await new Promise((r) => setTimeout(r, 20));
  }

  async dispose(): Promise<void> {
    await this.kernel.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
