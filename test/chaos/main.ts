/**
 * `npm run chaos [-- --runs N] [--seed S] [--task-isolation process|thread]` (or CHAOS_RUNS /
 * CHAOS_SEED): the kill loop of test/support/chaos.ts with more runs than the unit suite's, with
 * task processes and then with threads of task hosts (or only the isolation given), printing its
 * figures (runs killed, unreadable, orphans, failed resumes). Exit 1 when any figure but the
 * kills is not zero.
 */
import { formatFigures, killLoop } from '../support/chaos';
import { chaosSeed } from '../support/random';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`chaos: --${name} must be a whole number, not '${value}'.`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const runs = integer('runs', option('runs') ?? process.env.CHAOS_RUNS, 50);
  const seed = integer('seed', option('seed'), chaosSeed(Date.now() % 100_000));
  const given = option('task-isolation');
  if (given !== undefined && given !== 'process' && given !== 'thread') {
    console.error(`chaos: --task-isolation must be process or thread, not '${given}'.`);
    process.exit(2);
  }
  const isolations: Array<'process' | 'thread'> = given ? [given] : ['process', 'thread'];
  let bad = 0;
  for (const isolation of isolations) {
    console.log(
      `chaos: ${runs} runs, --task-isolation ${isolation}, seed ${seed} (replay with --seed ${seed} --task-isolation ${isolation})`,
    );
    const t0 = Date.now();
    const figures = await killLoop({
      runs,
      seed,
      isolation,
      onRun: (r) => {
        const what = r.finishedFirst ? 'finished before the kill' : `killed after ${r.killAfterMs} ms`;
        console.log(
          `  run ${r.index + 1}/${runs} (${r.runId}): ${what}${r.problems.length ? `; PROBLEMS:\n    ${r.problems.join('\n    ')}` : ''}`,
        );
      },
    });
    console.log(formatFigures(figures));
    console.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    bad += figures.unreadable + figures.orphans + figures.failedResumes;
  }
  process.exitCode = bad ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
