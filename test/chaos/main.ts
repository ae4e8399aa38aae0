/**
 * `npm run chaos [-- --runs N] [--seed S]` (or CHAOS_RUNS / CHAOS_SEED): the kill loop of
 * test/support/chaos.ts with more runs than the unit suite's, printing its figures (runs killed,
 * unreadable, orphans, failed resumes). Exit 1 when any figure but the kills is not zero.
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
  console.log(`chaos: ${runs} runs, seed ${seed} (replay with --seed ${seed})`);
  const t0 = Date.now();
  const figures = await killLoop({
    runs,
    seed,
    onRun: (r) => {
      const what = r.finishedFirst ? 'finished before the kill' : `killed after ${r.killAfterMs} ms`;
      console.log(
        `  run ${r.index + 1}/${runs} (${r.runId}): ${what}${r.problems.length ? `; PROBLEMS:\n    ${r.problems.join('\n    ')}` : ''}`,
      );
    },
  });
  console.log(formatFigures(figures));
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  process.exitCode = figures.unreadable + figures.orphans + figures.failedResumes ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
