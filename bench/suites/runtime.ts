/**
 * The runtime's figures (issue 3): a 1000-task foreach, a small run, resume cloning, a large
 * artifact written once and passed through untouched, and the runner's peak memory.
 * Every figure comes from real CLI processes in a scratch folder.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { Flow } from '../../runtime/src/client';
import { hashBytes } from '../../runtime/src/serialize/codec';
import type { RunEvent } from '../../runtime/src/scheduler/events';
import { median, round, type BenchFigure, type BenchSuite } from '../report';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

/** The longest one CLI process may take (the 1000-task runs take ~1 min on a quiet machine). */
const RUN_TIMEOUT_MS = 15 * 60_000;

interface Timed {
  ms: number;
  code: number | null;
  stdout: string;
  /** Peak RSS of the runner process, from GNU time. */
  maxRssMb: number;
}

function runCli(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Timed {
  const t = Date.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', process.execPath, cli, ...args], {
    cwd: dir,
    // Bounded: a run that hangs fails the group with its command line instead of holding the bench.
    timeout: RUN_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    env: { ...process.env, STEPWISE_DATASTORE_ROOT: join(dir, '.stepwise'), ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Date.now() - t;
  if (r.error) throw new Error(`stepwise ${args.join(' ')}: ${r.error.message} after ${ms} ms`);
  const rss = /MAXRSS (\d+)/.exec(r.stderr ?? '');
  return { ms, code: r.status, stdout: r.stdout, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

function events(stdout: string): RunEvent[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);
}

export const suite: BenchSuite = {
  group: 'runtime',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));
    const figures: BenchFigure[] = [];
    const fig = (name: string, value: number, unit: BenchFigure['unit'], target?: string, ok?: boolean, note?: string) =>
      figures.push({ group: 'runtime', name, value: round(value), unit, target, ok, note });
    try {
      for (const f of ['hello.ts', 'wide_foreach.ts']) cpSync(join(root, 'test', 'fixtures', 'flows', f), join(dir, f));
      for (const f of ['wide_fail_end.ts', 'big_artifact.ts']) cpSync(join(root, 'bench', 'fixtures', f), join(dir, f));

      // (d), measured first: it is quick and the figure most wanted (issue 11); the 1000-task runs
      // below take minutes on a loaded machine.
      // An 80 MB Float64Array written once, then a step that does not touch it, then one that
      // reads it. Every blob read is verified against its sha256, and a write that finds the blob
      // already there compares it with the bytes it has (issue 11).
      const stats = async (len: number) => {
        const r = runCli(dir, ['run', 'big_artifact.ts', '--quiet'], { BIG_LEN: String(len) });
        if (r.code !== 0) throw new Error(r.stdout);
        const run = await Flow('BigArtifactFlow', { root: join(dir, '.stepwise') }).latestRun();
        const timing = async (step: string) => {
          const t = await run.step(step).task();
          return t.record && 'timing' in t.record ? t.record.timing! : { setupMs: NaN, stepMs: NaN, persistMs: NaN };
        };
        const untouched = await run.step('untouched').task();
        return {
          persist: (await timing('start')).persistMs,
          untouched: untouched.durationMs ?? NaN,
          read: (await timing('touched')).stepMs,
        };
      };
      // A fresh write is one sample per run and the disk's write-back makes it jumpy, so three
      // runs each write it anew (the flow's blobs removed before each) and the median counts.
      const fresh: Array<Awaited<ReturnType<typeof stats>>> = [];
      for (let i = 0; i < 3; i++) {
        rmSync(join(dir, '.stepwise', 'BigArtifactFlow', 'data'), { recursive: true, force: true });
        fresh.push(await stats(10_000_000));
      }
      const big = [...fresh].sort((a, b) => a.persist - b.persist)[1];
      const present = await stats(10_000_000);
      const tiny = await stats(10);
      fig(
        '80 MB Float64Array: write time (serialise, hash, store) in the step that sets it, median of 3 fresh writes',
        big.persist,
        'ms',
        '≤ 400 ms',
        big.persist <= 400,
        `samples ${fresh.map((f) => f.persist).join(', ')} ms`,
      );
      fig(
        '… the same write when the blob is already stored (read back and compared before it is kept)',
        present.persist,
        'ms',
        '≤ 400 ms',
        present.persist <= 400,
      );
      fig(
        '… downstream step that does not touch it: task time',
        big.untouched,
        'ms',
        'must not grow with the artifact',
        big.untouched <= tiny.untouched + 50,
        `same step with an 80-byte array: ${tiny.untouched} ms`,
      );
      fig(
        '… a step that reads it: step time (read, verify sha256, deserialise)',
        big.read,
        'ms',
        undefined,
        undefined,
        `80-byte array: ${tiny.read} ms`,
      );
      const bytes = serialize(new Float64Array(10_000_000));
      const sha = [1, 2, 3, 4, 5].map(() => {
        const t = process.hrtime.bigint();
        hashBytes(bytes);
        return Number(process.hrtime.bigint() - t) / 1e6;
      });
      fig('… of which sha256 verification of its 80 MB (in-process, median of 5)', median(sha), 'ms');
      // (b) HelloWorldFlow, whole CLI process, warm (the bundle cache is filled by the first run).
      runCli(dir, ['run', 'hello.ts', '--quiet']);
      const hello = [1, 2, 3, 4, 5].map(() => runCli(dir, ['run', 'hello.ts', '--quiet']).ms);
      fig('HelloWorldFlow run, whole `stepwise run` process (median of 5)', median(hello), 'ms', '≤ 1500 ms', median(hello) <= 1500);

      // (a) + (e) WideForeachFlow, 1000 tasks, 2 workers. CPU-bound (both cores start a Node per
      // task), so it moves with the shared machine's load: the median of 3 runs, range shown.
      const wides = [1, 2, 3].map(() => {
        const w = runCli(dir, ['run', 'wide_foreach.ts', '--max-num-splits', '1000', '--max-workers', '2', '--quiet']);
        if (w.code !== 0) throw new Error(`wide run failed:\n${w.stdout}`);
        return w;
      });
      const wideMs = median(wides.map((w) => w.ms));
      const range = `runs: ${wides.map((w) => (w.ms / 1000).toFixed(1)).join(', ')} s; Metaflow 2.19: 481 s here`;
      fig(
        'WideForeachFlow 1000 tasks, --max-workers 2: total wall time (median of 3)',
        wideMs / 1000,
        's',
        '≤ 45 s',
        wideMs <= 45_000,
        range,
      );
      fig('… per-task overhead (wall time × workers ÷ tasks)', (wideMs * 2) / 1003, 'ms');
      const rss = Math.max(...wides.map((w) => w.maxRssMb));
      fig('runner peak RSS on the 1000-task run (highest of 3)', rss, 'MB', '≤ 200 MB', rss <= 200);

      // (c) resume of a 1000-task run that failed in its final step.
      const failed = runCli(dir, ['run', 'wide_fail_end.ts', '--max-num-splits', '1000', '--max-workers', '2', '--quiet']);
      if (failed.code !== 1) throw new Error(`the failing run should fail:\n${failed.stdout}`);
      const resumed = runCli(dir, ['resume', 'wide_fail_end.ts', '--json-events'], { FIXED: '1' });
      if (resumed.code !== 0) throw new Error(`resume failed:\n${resumed.stdout}`);
      const ev = events(resumed.stdout);
      const cloned = ev.filter((e) => e.type === 'taskFinished' && e.cloned).length;
      const run = await Flow('WideFailEndFlow', { root: join(dir, '.stepwise') }).latestRun();
      const endTask = await run.step('end').task();
      const cloneMs = resumed.ms - (endTask.durationMs ?? 0);
      fig(
        `resume after a failed final step: ${cloned} tasks cloned, whole resume process`,
        resumed.ms,
        'ms',
        undefined,
        undefined,
        'includes lint, compile and the end task',
      );
      fig('… cloning cost (resume wall time minus the re-run end task)', cloneMs, 'ms', '≤ 3000 ms', cloneMs <= 3000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
