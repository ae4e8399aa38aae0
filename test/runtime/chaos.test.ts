/**
 * The kill loop in the unit suite (issue 11): runs of a foreach flow, each runner killed with
 * SIGKILL at a seeded random moment; every run reads, leaves no task process behind and resumes
 * to the right result. CHAOS_SEED replays a failure; CHAOS_RUNS (default 10) sets how many runs.
 * `npm run chaos` runs more (test/chaos/main.ts).
 */
import { strict as assert } from 'node:assert';
import { chaosSeed } from '../support/random';
import { formatFigures, killLoop } from '../support/chaos';

const RUNS = Number(process.env.CHAOS_RUNS) || 10;

describe('kill loop: runners killed with SIGKILL at random moments', function () {
  // Bounded: about 8 s a run on a loaded 2-core machine.
  this.timeout(RUNS * 60_000);

  it(`${RUNS} runs of a foreach flow: each reads, leaves no task process 3 s later, and resumes to the right total`, async () => {
    const seed = chaosSeed(11);
    const figures = await killLoop({ runs: RUNS, seed });
    const report = formatFigures(figures);
    console.log(report.replace(/^/gm, '      '));
    const problems = figures.details.flatMap((r) => r.problems.map((p) => `run ${r.index} (kill after ${r.killAfterMs} ms): ${p}`));
    assert.deepEqual(problems, [], `${report}\n(replay with CHAOS_SEED=${seed})`);
    assert.equal(figures.runs, RUNS);
    // A loop whose kills all came too late tests nothing: most must land while the run is going.
    assert.ok(figures.killed >= RUNS / 2, `only ${figures.killed} of ${RUNS} runs were killed while going (seed ${seed})`);
  });
});
