/**
 * The kill loop in the unit suite (issues 11 and 17): runs of a foreach flow, each runner killed
 * with SIGKILL at a seeded random moment; every run reads, leaves no task process (nor task host)
 * behind and resumes to the right result. Processes and threads of task hosts
 * (--task-isolation thread) alike. CHAOS_SEED replays a failure; CHAOS_RUNS (default 10; 5 for
 * threads) sets how many runs. `npm run chaos` runs more (test/chaos/main.ts).
 */
import { strict as assert } from 'node:assert';
import { chaosSeed } from '../support/random';
import { formatFigures, killLoop } from '../support/chaos';

const ISOLATIONS: Array<['process' | 'thread', number]> = [
  ['process', Number(process.env.CHAOS_RUNS) || 10],
  ['thread', Number(process.env.CHAOS_RUNS) || 5],
];

for (const [isolation, runs] of ISOLATIONS) {
  describe(`kill loop: runners killed with SIGKILL at random moments (--task-isolation ${isolation})`, function () {
    // Bounded: about 8 s a run on a loaded 2-core machine.
    this.timeout(runs * 60_000);

    it(`${runs} runs of a foreach flow: each reads, leaves no task ${isolation === 'thread' ? 'host' : 'process'} 3 s later, and resumes to the right total`, async () => {
      const seed = chaosSeed(11);
      const figures = await killLoop({ runs, seed, isolation });
      const report = formatFigures(figures);
      console.log(report.replace(/^/gm, '      '));
      const problems = figures.details.flatMap((r) => r.problems.map((p) => `run ${r.index} (kill after ${r.killAfterMs} ms): ${p}`));
      assert.deepEqual(problems, [], `${report}\n(replay with CHAOS_SEED=${seed})`);
      assert.equal(figures.runs, runs);
      // A loop whose kills all came too late tests nothing: most must land while the run is going.
      assert.ok(figures.killed >= runs / 2, `only ${figures.killed} of ${runs} runs were killed while going (seed ${seed})`);
    });
  });
}
