/**
 * The kill loop (issue 11): runs of a foreach flow, each runner killed with SIGKILL at a seeded
 * random moment, then checked the way a user would find it. Used by test/runtime/chaos.test.ts
 * (a bounded number of runs in the unit suite) and by `npm run chaos` (test/chaos/main.ts, more).
 *
 * After each kill:
 * - `runs --json` lists the run and `dump RUN/STEP` reads every step it reached (exit 0);
 * - no task process of the run is alive 3 s later (/proc, by the run's datastore in their spec),
 *   nor, with `--task-isolation thread`, any task host (its threads die with it);
 * - `resume` of the run finishes with the right total (a run the kill came too late for must
 *   have succeeded with it).
 */
import { allGone, exited, startUntil } from './background';
import { Random } from './random';
import { Workspace } from './workspace';
import { earlyProcesses, processesWhere } from './early';

export interface ChaosOptions {
  runs: number;
  seed: number;
  /** How the runs' tasks are isolated (--task-isolation): processes, or threads of task hosts. */
  isolation?: 'process' | 'thread';
  /** Called after each run (for a progress line). */
  onRun?: (r: ChaosRun) => void;
}

export interface ChaosRun {
  index: number;
  runId: string;
  /** How long after the run was created the runner was killed. */
  killAfterMs: number;
  slowMs: number;
  /** The run had already finished when the kill came. */
  finishedFirst: boolean;
  /** What went wrong, if anything (each also counted in the figures). */
  problems: string[];
}

export interface ChaosFigures {
  seed: number;
  isolation: 'process' | 'thread';
  runs: number;
  /** Runs whose runner was killed while the run was going. */
  killed: number;
  /** Runs that finished before the kill came (checked all the same). */
  finishedFirst: number;
  /** Runs that `runs` or `dump` could not read. */
  unreadable: number;
  /** Task processes (or task hosts) still alive 3 s after their runner was killed. */
  orphans: number;
  /** Resumes that failed or gave a wrong total. */
  failedResumes: number;
  details: ChaosRun[];
}

const FLOW = 'SlowForeachFlow';
/** SlowForeachFlow's items are 1..4, doubled and summed. */
const TOTAL = 20;
const ORPHAN_GRACE_MS = 3000;

/**
 * The pids of live task processes whose spec names this datastore, and of spare task processes
 * and task hosts started from this datastore's runtime copy (`<root>/.cache/runtime/…`), and
 * early task processes of its CLIs (./early.ts).
 */
function taskProcesses(root: string): number[] {
  const tasks = processesWhere(
    (argv) =>
      (argv.includes('--stepwise-task') || argv.includes('--stepwise-spare') || argv.includes('taskHost.js')) && argv.includes(root),
  );
  return [...tasks, ...earlyProcesses(root)];
}

export async function killLoop(o: ChaosOptions): Promise<ChaosFigures> {
  const rng = new Random(o.seed);
  const figures: ChaosFigures = {
    seed: o.seed,
    isolation: o.isolation ?? 'process',
    runs: 0,
    killed: 0,
    finishedFirst: 0,
    unreadable: 0,
    orphans: 0,
    failedResumes: 0,
    details: [],
  };
  const ws = new Workspace();
  try {
    const file = ws.copy('runtime/slow_foreach.ts');
    const env = { STEPWISE_TASK_ISOLATION: figures.isolation };
    const overheadMs = await runOverhead(ws, file, env);
    for (let index = 0; index < o.runs; index++) {
      const r = await oneRun(ws, file, index, rng, figures, overheadMs, env);
      figures.runs++;
      figures.details.push(r);
      o.onRun?.(r);
    }
  } finally {
    ws.dispose();
  }
  return figures;
}

/** Calibration SLOW_MS: the work step's sleep in the one uncut run. */
const CALIBRATION_SLOW_MS = 300;

/**
 * How long a run of the flow takes on this machine now, beyond its work step's sleep: one uncut
 * run, timed from its run id to its exit. The kills are drawn within that span, so they land
 * while the run is going on a fast machine as on a loaded one (a fixed span was all "too late"
 * on a quiet machine and all "in start" on a busy one).
 */
async function runOverhead(ws: Workspace, file: string, isolation: NodeJS.ProcessEnv): Promise<number> {
  const { child } = await startUntil(ws, ['run', file, '--max-workers', '4'], /run-id (\d+)/, {
    ...isolation,
    SLOW_MS: String(CALIBRATION_SLOW_MS),
  });
  const t0 = Date.now();
  await exited(child);
  return Math.max(0, Date.now() - t0 - CALIBRATION_SLOW_MS);
}

async function oneRun(
  ws: Workspace,
  file: string,
  index: number,
  rng: Random,
  figures: ChaosFigures,
  overheadMs: number,
  isolation: NodeJS.ProcessEnv,
): Promise<ChaosRun> {
  // Each run draws its own timing: a work step of 50–600 ms, the kill anywhere from the run's
  // creation to just before its expected end (so kills land in start, the foreach, the join, end).
  const slowMs = rng.int(50, 600);
  const killAfterMs = rng.int(0, Math.round(0.95 * (overheadMs + slowMs)));
  const env = { ...isolation, SLOW_MS: String(slowMs) };
  const { child, match } = await startUntil(ws, ['run', file, '--max-workers', '4'], /run-id (\d+)/, env);
  const runId = match[1];
  const run: ChaosRun = { index, runId, killAfterMs, slowMs, finishedFirst: false, problems: [] };
  await new Promise((r) => setTimeout(r, killAfterMs));
  run.finishedFirst = child.exitCode !== null;
  child.kill('SIGKILL');
  await exited(child);
  if (run.finishedFirst) figures.finishedFirst++;
  else figures.killed++;

  // No task process of the run is left (the watchdog kills them; each also checks its runner).
  try {
    await allGone(taskProcesses(ws.root), ORPHAN_GRACE_MS);
  } catch (err) {
    const left = taskProcesses(ws.root);
    figures.orphans += left.length;
    run.problems.push(`${(err as Error).message}`);
    for (const pid of left) process.kill(pid, 'SIGKILL');
  }

  // The store reads: the run is listed, every step it reached dumps.
  if (!(await readable(ws, runId, run))) figures.unreadable++;

  // The run completes: a resume of a killed run, or the finished run's own result.
  const status = (await ws.flow(FLOW).run(runId)).status;
  if (status === 'succeeded') {
    const total = await joinTotal(ws, runId);
    if (total !== TOTAL) {
      figures.failedResumes++;
      run.problems.push(`the run succeeded with total ${String(total)}, not ${TOTAL}`);
    }
  } else {
    const resumed = await ws.cli(['resume', file, '--origin-run-id', runId, '--max-workers', '4'], { ...isolation, SLOW_MS: '10' });
    // The stored result, not a printed line: a run killed after its end task finished (before
    // its end record) resumes with every task cloned, end's `total` line included.
    const resumedId = /run-id (\d+)/.exec(resumed.stdout)?.[1];
    const total = resumed.code === 0 && resumedId ? String(await joinTotal(ws, resumedId)) : undefined;
    if (resumed.code !== 0 || total !== String(TOTAL)) {
      figures.failedResumes++;
      run.problems.push(`resume of ${runId} (${status}) exit ${resumed.code}, total ${total}:\n${resumed.stdout}${resumed.stderr}`);
    }
  }
  return run;
}

async function joinTotal(ws: Workspace, runId: string): Promise<number | undefined> {
  return (await (await ws.flow(FLOW).run(runId)).step('join').task()).data<number>('total');
}

async function readable(ws: Workspace, runId: string, run: ChaosRun): Promise<boolean> {
  const runs = await ws.cli(['runs', FLOW, '--json']);
  let listed = false;
  try {
    listed = (JSON.parse(runs.stdout) as Array<{ runId: string }>).some((r) => r.runId === runId);
  } catch {
    // reported below
  }
  if (runs.code !== 0 || !listed) {
    run.problems.push(`runs ${FLOW} --json: exit ${runs.code}, run ${runId} ${listed ? 'listed' : 'not listed'}\n${runs.stderr}`);
    return false;
  }
  const steps = (await (await ws.flow(FLOW).run(runId)).steps()).map((s) => s.name);
  for (const step of steps) {
    const dump = await ws.cli(['dump', `${runId}/${step}`]);
    if (dump.code !== 0) {
      run.problems.push(`dump ${runId}/${step}: exit ${dump.code}\n${dump.stderr}`);
      return false;
    }
  }
  return true;
}

export function formatFigures(f: ChaosFigures): string {
  return [
    `kill loop (--task-isolation ${f.isolation}), seed ${f.seed}: ${f.runs} runs (${f.killed} killed mid-run, ${f.finishedFirst} finished before the kill)`,
    `  unreadable: ${f.unreadable}`,
    `  orphans (task processes${f.isolation === 'thread' ? ' or hosts' : ''} alive 3 s after the kill): ${f.orphans}`,
    `  failed resumes: ${f.failedResumes}`,
  ].join('\n');
}
