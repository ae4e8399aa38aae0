/**
 * The notebook kernel and the task notebook, on a real failed run of the notebook fixture
 * (test/fixtures/notebook: a foreach whose third item fails): the kernel's start, a cell's round
 * trip, the binding cell (taskContext) in a fresh kernel, a table-sized value, a cell that
 * imports a local module (the autoreload check runs before each cell), and `stepwise notebook`
 * as a whole process. Every kernel is the shipped dist/kernel.js driven over its protocol.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelClient } from '../../runtime/src/notebook/client';
import { median, round, timeMany, type BenchFigure, type BenchSuite } from '../report';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'dist', 'cli.js');

function stepwise(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env: { ...process.env, STEPWISE_DATASTORE_ROOT: '' }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A folder with the fixture and one failed run of it; the failed task's pathspec. */
function failedRun(dir: string): string {
  cpSync(join(repo, 'test', 'fixtures', 'notebook'), dir, { recursive: true });
  const r = stepwise(['run', 'orders.ts', '--max-workers', '2'], dir);
  if (r.status !== 1) throw new Error(`the fixture run should fail (exit 1), exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const runId = /run-id (\d+)/.exec(r.stdout)![1];
  const failed = /\[\d+\/priceLine\/(\d+)[^\]]*\] Task failed\./.exec(r.stdout);
  if (!failed) throw new Error(`no failed priceLine task in:\n${r.stdout}`);
  return `OrdersFlow/${runId}/priceLine/${failed[1]}`;
}

function kernel(dir: string, notebookDir: string): KernelClient {
  return new KernelClient({
    cwd: dir,
    notebookDir,
    entry: join(repo, 'dist', 'kernel.js'),
    env: { ...process.env, STEPWISE_DATASTORE_ROOT: '' },
  });
}

/** Runs a cell; throws if it did not succeed (a figure of a failing cell would measure nothing). */
async function ok(k: KernelClient, code: string): Promise<void> {
  const errors: string[] = [];
  const o = await k.execute(code, 'Cell', { error: (e) => errors.push(e.message) });
  if (o.status !== 'ok') throw new Error(`cell ${JSON.stringify(code.slice(0, 80))} ended ${o.status}: ${errors.join('; ')}`);
}

const fig = (name: string, xs: number[]): BenchFigure => ({ group: 'notebook', name, value: round(median(xs)), unit: 'ms' });

export const suite: BenchSuite = {
  group: 'notebook',
  async run(): Promise<BenchFigure[]> {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-notebook-'));
    const kernels: KernelClient[] = [];
    try {
      const pathspec = failedRun(dir);
      const cliTimes = await timeMany(
        5,
        () => {
          const r = stepwise(['notebook', pathspec, '--force', '--json'], dir);
          if (r.status !== 0) throw new Error(`stepwise notebook exited ${r.status}: ${r.stderr}`);
        },
        1,
      );
      const path = (JSON.parse(stepwise(['notebook', pathspec, '--json'], dir).stdout) as { path: string }).path;
      const cells = (JSON.parse(readFileSync(path, 'utf8')) as { cells: Array<{ cell_type: string; source: string[] }> }).cells
        .filter((c) => c.cell_type === 'code')
        .map((c) => c.source.join(''));
      const notebookDir = join(dir, '.stepwise', 'notebooks');

      // A fresh kernel each time: spawn to ready, then the binding cell (loads the flow file and
      // binds self: what a user waits for after opening a task notebook).
      const starts: number[] = [];
      const binds: number[] = [];
      for (let i = 0; i < 5; i++) {
        const k = kernel(dir, notebookDir);
        kernels.push(k);
        let t = process.hrtime.bigint();
        await k.start();
        starts.push(Number(process.hrtime.bigint() - t) / 1e6);
        t = process.hrtime.bigint();
        await ok(k, cells[0]);
        binds.push(Number(process.hrtime.bigint() - t) / 1e6);
        await k.dispose();
      }

      const k = kernel(dir, notebookDir);
      kernels.push(k);
      await ok(k, cells[0]);
      const trivial = await timeMany(30, () => ok(k, '1 + 1'));
      const typed = await timeMany(30, () =>
        ok(
          k,
          'interface P { x: number }\nconst ps: P[] = Array.from({ length: 100 }, (_, x) => ({ x }));\nawait Promise.resolve(ps.length)',
        ),
      );
      const lazy = await timeMany(30, () => ok(k, 'self.lines.length'));
      const table = await timeMany(10, () => ok(k, 'Array.from({ length: 1000 }, (_, i) => ({ i, name: `row ${i}`, ok: i % 2 === 0 }))'));
      await ok(k, "import { parsePrice } from '../../lib/prices';");
      const withModule = await timeMany(30, () => ok(k, "parsePrice('2.5')"));
      return [
        fig('stepwise notebook PATHSPEC --force, whole process (median of 5)', cliTimes),
        fig('kernel start, spawn to ready (median of 5)', starts),
        fig('binding cell (taskContext) in a fresh kernel (median of 5)', binds),
        fig('cell round trip: 1 + 1 (median of 30)', trivial),
        fig('cell round trip: a TypeScript cell with a type and top-level await (median of 30)', typed),
        fig('cell round trip: self.lines.length, an artifact already read (median of 30)', lazy),
        fig('cell round trip: 1,000 plain objects rendered (value + table) (median of 10)', table),
        fig('cell round trip with a local module imported (autoreload check) (median of 30)', withModule),
      ];
    } finally {
      for (const k of kernels) await k.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
