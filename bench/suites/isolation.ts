/**
 * Task isolation (issue 17): what a task costs as a process and as a thread of a task host,
 * against a bare `node -e 0` measured in the same run. Every figure comes from real CLI
 * processes in a scratch folder.
 *
 * - per-task cost: wall time × workers ÷ tasks of a foreach at --max-workers 2 (1000 tasks as
 *   threads; processes take ~1 s each on a busy machine, so 200 of them give their figure);
 * - per-task breakdown from the task records: setup (open the store, load and construct the
 *   flow, bind this), step, store (persist); the rest of the per-task cost is starting the
 *   process or thread (Node, dist/task.js) and the runner's own work;
 * - the 3-task hello as a whole `stepwise run`, with its parts: CLI start (`stepwise --help`),
 *   preparing the run (lint, compile, the run's record: first event minus CLI start), tasks (the
 *   rest); and right after an edit of the flow (its parse is not cached);
 * - peak RSS of the runner plus its task hosts (sampled from /proc every 100 ms).
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Flow } from '../../runtime/src/client';
import { median, round, type BenchFigure, type BenchSuite } from '../report';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
type Isolation = 'process' | 'thread';

interface Measured {
  ms: number;
  code: number | null;
  /** ms from spawn to the first --json-events line (runStarted). */
  firstEventMs?: number;
  /** Highest sum of RSS over the runner and every process below it. */
  peakTreeMb: number;
}

function treeRssKb(rootPid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      rss.set(pid, Number(fields[21]) * 4);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // gone meanwhile
    }
  }
  let sum = 0;
  const todo = [rootPid];
  while (todo.length) {
    const p = todo.pop()!;
    sum += rss.get(p) ?? 0;
    todo.push(...(children.get(p) ?? []));
  }
  return sum;
}

function runCli(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  const started = Date.now();
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: dir,
    env: { ...process.env, STEPWISE_DATASTORE_ROOT: join(dir, '.stepwise'), ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let firstEventMs: number | undefined;
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRssKb(child.pid!))), 100);
  child.stdout.on('data', (d: Buffer) => {
    if (firstEventMs === undefined && d.includes('{')) firstEventMs = Date.now() - started;
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearInterval(sampler);
      resolve({ ms: Date.now() - started, code, firstEventMs, peakTreeMb: peak / 1024 });
    }),
  );
}

function wholeProcessMs(args: string[], cwd = root): number {
  const t = Date.now();
  spawnSync(process.execPath, args, { cwd, env: { ...process.env, STEPWISE_DATASTORE_ROOT: join(cwd, '.stepwise') } });
  return Date.now() - t;
}

async function taskBreakdown(dir: string, runId: string): Promise<{ setup: number; step: number; store: number }> {
  const run = await Flow('SizedForeachFlow', { root: join(dir, '.stepwise'), namespace: null }).run(runId);
  const tasks = await run.step('multiply').tasks();
  const avg = (k: 'setupMs' | 'stepMs' | 'persistMs') =>
    tasks.reduce((a, t) => a + ('timing' in t.record ? (t.record.timing?.[k] ?? 0) : 0), 0) / tasks.length;
  return { setup: avg('setupMs'), step: avg('stepMs'), store: avg('persistMs') };
}

async function latestRunId(dir: string): Promise<string> {
  return (await Flow('SizedForeachFlow', { root: join(dir, '.stepwise'), namespace: null }).latestRun()).id;
}

export const suite: BenchSuite = {
  group: 'isolation',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));
    const figures: BenchFigure[] = [];
    const fig = (name: string, value: number, unit: BenchFigure['unit'], target?: string, ok?: boolean, note?: string) =>
      figures.push({ group: 'isolation', name, value: round(value, unit === 'ratio' ? 2 : 1), unit, target, ok, note });
    try {
      cpSync(join(root, 'test', 'fixtures', 'flows', 'hello.ts'), join(dir, 'hello.ts'));
      cpSync(join(root, 'bench', 'fixtures', 'sized_foreach.ts'), join(dir, 'sized_foreach.ts'));
      const nodeStart = () => median([1, 2, 3, 4, 5, 6, 7].map(() => wholeProcessMs(['-e', '0'])));
      const bare = nodeStart();
      fig('bare `node -e 0`, whole process (median of 7)', bare, 'ms');

      // The 3-task hello, whole process, warm (the first run fills the bundle and parse caches).
      // Its parts: CLI start (`stepwise --help`: Node plus the CLI bundle), preparing the run (lint,
      // compile, the run's record; a thread run's first host starts meanwhile): first event minus
      // CLI start; tasks: the rest. Then the same after an edit of the flow (the parse cache
      // misses: the TypeScript compiler is loaded to parse it again).
      const cliStart = median([1, 2, 3, 4, 5].map(() => wholeProcessMs([cli, '--help'])));
      fig('CLI start (`stepwise --help`, whole process, median of 5)', cliStart, 'ms');
      let edits = 0;
      for (const isolation of ['process', 'thread'] as Isolation[]) {
        const args = ['run', 'hello.ts', '--json-events', '--task-isolation', isolation];
        await runCli(dir, args);
        const runs: Measured[] = [];
        for (let i = 0; i < 5; i++) runs.push(await runCli(dir, args));
        const total = median(runs.map((r) => r.ms));
        const first = median(runs.map((r) => r.firstEventMs ?? NaN));
        const ratio = total / bare;
        const parts = `CLI start ${cliStart} ms, lint + compile + run record ${Math.round(first - cliStart)} ms, tasks ${Math.round(total - first)} ms`;
        fig(`3-task hello, whole \`stepwise run\` (${isolation}), median of 5`, total, 'ms', undefined, undefined, parts);
        fig(`… as a multiple of \`node -e 0\` (${isolation})`, ratio, 'ratio', '≤ 4×', ratio <= 4);
        const edited: Measured[] = [];
        for (let i = 0; i < 3; i++) {
          appendFileSync(join(dir, 'hello.ts'), `// edit ${++edits}\n`);
          edited.push(await runCli(dir, args));
        }
        const afterEdit = median(edited.map((r) => r.ms));
        fig(
          `… the same right after an edit of the flow (parse cache miss) (${isolation}), median of 3`,
          afterEdit,
          'ms',
          undefined,
          undefined,
          `${round(afterEdit / bare, 2)} × \`node -e 0\``,
        );
      }

      // The foreach: threads with 1000 tasks (the figure), processes with 200.
      for (const [isolation, n] of [
        ['thread', 1000],
        ['process', 200],
      ] as Array<[Isolation, number]>) {
        const r = await runCli(
          dir,
          ['run', 'sized_foreach.ts', '--max-num-splits', String(n), '--max-workers', '2', '--quiet', '--task-isolation', isolation],
          { FOREACH_N: String(n) },
        );
        if (r.code !== 0) throw new Error(`the ${isolation} foreach failed (exit ${r.code})`);
        const perTask = (r.ms * 2) / (n + 3);
        const parts = await taskBreakdown(dir, await latestRunId(dir));
        const inTask = parts.setup + parts.step + parts.store;
        fig(`${n}-task foreach, --max-workers 2 (${isolation}): total wall time`, r.ms / 1000, 's');
        fig(
          `… per-task cost (wall × workers ÷ tasks) (${isolation})`,
          perTask,
          'ms',
          undefined,
          undefined,
          `in the task: setup ${round(parts.setup)} ms, step ${round(parts.step)} ms, store ${round(parts.store)} ms; ` +
            `starting the ${isolation} and the runner's work: ${round(perTask - inTask)} ms`,
        );
        const ratio = perTask / bare;
        fig(
          `… per-task cost as a multiple of \`node -e 0\` (${isolation})`,
          ratio,
          'ratio',
          isolation === 'thread' ? '≤ 0.5×' : undefined,
          isolation === 'thread' ? ratio <= 0.5 : undefined,
        );
        if (isolation === 'thread') {
          fig('… peak RSS of the runner plus its task hosts (1000 tasks)', r.peakTreeMb, 'MB', '≤ 300 MB', r.peakTreeMb <= 300);
        }
      }
      const bareAfter = nodeStart();
      fig('bare `node -e 0` again at the end (the machine’s drift)', bareAfter, 'ms');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
