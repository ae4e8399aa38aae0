/**
 * `npm run parity [-- CASE…] [--keep] [--record-only]`: runs every parity case (test/parity/cases.ts) under real
 * Metaflow and under Stepwise, records Metaflow's results in test/parity/metaflow/, and reports
 * every difference — kept ones with the reason docs/PARITY.md gives. Without Metaflow (see
 * findMetaflow) it says so and compares Stepwise against the recorded results instead.
 * Exit 0 when every difference is a kept one, 1 otherwise, 2 on bad arguments.
 */
import { cases } from '../cases';
import { compareCase } from './compare';
import { readRecorded, recordedPath, writeRecorded } from './recorded';
import { reportLines, verdict } from './report';
import { findMetaflow, runMetaflow, runStepwise } from './systems';

async function main(argv: string[]): Promise<number> {
  const keep = argv.includes('--keep');
  const recordOnly = argv.includes('--record-only');
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !cases.some((c) => c.name === n));
  if (unknown.length) {
    console.error(`parity: no case named ${unknown.join(', ')}. Cases: ${cases.map((c) => c.name).join(', ')}`);
    return 2;
  }
  const selected = names.length ? cases.filter((c) => names.includes(c.name)) : cases;
  const mf = await findMetaflow();
  if ('missing' in mf) {
    console.log(`parity: SKIPPED running Metaflow: ${mf.missing}`);
    console.log('parity: comparing Stepwise with the results recorded in test/parity/metaflow/ instead.');
  } else {
    console.log(`parity: Metaflow ${mf.version} (${mf.source ?? mf.packageDir}) against Stepwise, ${selected.length} cases`);
  }
  let failures = 0;
  for (const c of selected) {
    const t0 = Date.now();
    let metaflow = readRecorded(c.name);
    if (!('missing' in mf)) {
      metaflow = await runMetaflow(c, mf, keep);
      writeRecorded(metaflow);
    } else if (!metaflow) {
      console.log(`MISSING  ${c.name}: nothing recorded in ${recordedPath(c.name)}; run the harness where Metaflow is present.`);
      failures++;
      continue;
    }
    if (recordOnly) {
      console.log(`recorded ${c.name} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      continue;
    }
    const stepwise = await runStepwise(c, { keep });
    const v = verdict(c, compareCase(c, metaflow, stepwise));
    for (const line of reportLines(c, v)) console.log(line);
    console.log(`    (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    if (v.unexpected.length || v.stale.length) failures++;
  }
  console.log(
    failures
      ? `parity: ${failures} of ${selected.length} cases differ beyond what docs/PARITY.md keeps.`
      : `parity: all ${selected.length} cases agree (kept differences aside).`,
  );
  return failures ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`parity: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
