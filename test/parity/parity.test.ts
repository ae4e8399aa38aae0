/**
 * Parity with Metaflow in CI, where Metaflow cannot be fetched: every parity case runs under
 * Stepwise through the real CLI bundle and is compared with Metaflow's results as recorded by
 * `npm run parity` (test/parity/metaflow/). The only differences allowed are those the case
 * keeps, each explained in docs/PARITY.md.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cases } from './cases';
import { compareCase } from './harness/compare';
import { readRecorded } from './harness/recorded';
import { describe as describeDiff, reportLines, verdict } from './harness/report';
import { repoRoot, runStepwise, testRoot } from './harness/systems';

describe('parity with Metaflow: Stepwise against recorded Metaflow results', function () {
  this.timeout(300_000);

  for (const c of cases) {
    it(`${c.name}: ${c.about}`, async () => {
      const recorded = readRecorded(c.name);
      assert.ok(recorded, `nothing recorded for '${c.name}': run \`npm run parity ${c.name}\` where Metaflow is present`);
      const v = verdict(c, compareCase(c, recorded, await runStepwise(c)));
      const report = reportLines(c, v).join('\n');
      assert.deepEqual(v.unexpected.map(describeDiff), [], report);
      assert.deepEqual(v.stale, [], report);
    });
  }

  it('every kept difference names a section of docs/PARITY.md', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'PARITY.md'), 'utf8');
    const headings = new Set([...doc.matchAll(/^#+ (.+)$/gm)].map((m) => m[1].trim()));
    for (const c of cases)
      for (const k of c.kept ?? []) assert.ok(headings.has(k.why), `${c.name} ${k.id}: no heading '${k.why}' in docs/PARITY.md`);
  });

  it('the harness reports a deliberately changed translation', async () => {
    const c = cases.find((x) => x.name === 'foreach')!;
    const recorded = readRecorded(c.name)!;
    const changed = await runStepwise(c, {
      override: new Map([[0, join(testRoot, 'fixtures', 'parity', 'mutants', 'foreach_changed.ts')]]),
    });
    const diffs = compareCase(c, recorded, changed);
    assert.deepEqual(
      diffs.map((d) => `${d.id} ${d.metaflow} ${d.stepwise}`),
      ['0:artifact:analyze_creatures[1].score 5 6', '0:only-stepwise:end.bonus absent 1'],
    );
  });
});
