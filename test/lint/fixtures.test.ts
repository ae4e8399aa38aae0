import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlow } from '../../runtime/src/graph';
import { lintFlow, type FlowDiagnostic } from '../../runtime/src/lint';
import { fixtures } from '../support/cli';
import { expectGolden } from './golden';

const lintFile = (dir: string, name: string, text = readFileSync(join(fixtures, dir, name), 'utf8')) =>
  lintFlow(parseFlow(text, `${dir}/${name}`));

/** code@line (1-based): what each invalid fixture's `// expect` comment asks for, nothing more. */
const EXPECTED: Record<string, string[]> = {
  'crossed_join.ts': ['SW010@9'],
  'cycle_and_orphan.ts': ['SW007@6', 'SW008@7'],
  'dropped_artifact.ts': ['SW017@13'],
  'foreach_unknown_var.ts': ['SW013@5'],
  'join_without_inputs.ts': ['SW011@7', 'SW004@8'],
  'no_end.ts': ['SW002@3', 'SW003@5'],
  'split_without_join.ts': ['SW009@4'],
  'two_flows.ts': ['SW014@7'],
};

const summary = (ds: FlowDiagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line + 1}`);

describe('lint: conformance fixtures', () => {
  const invalid = readdirSync(join(fixtures, 'invalid'))
    .filter((f) => f.endsWith('.ts'))
    .sort();

  it('has an expectation for every invalid fixture', () => {
    assert.deepEqual(invalid, Object.keys(EXPECTED).sort());
  });

  for (const name of invalid) {
    it(`invalid/${name}: reports what its comment names, on the right lines`, () => {
      const ds = lintFile('invalid', name);
      assert.deepEqual(summary(ds), EXPECTED[name]);
      expectGolden(`lint/${name.replace(/\.ts$/, '.json')}`, JSON.stringify(ds, null, 2) + '\n');
    });
  }

  it('names the artifact and the join for dropped_artifact.ts', () => {
    const [d] = lintFile('invalid', 'dropped_artifact.ts');
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /`end` reads `creature`, dropped at the join `join`/);
    assert.deepEqual(d.data, { artifact: 'creature', step: 'end', join: 'join' });
    assert.equal(d.related?.[0].range.start.line, 8);
  });

  it('words the other fixtures so the fix is clear', () => {
    assert.match(lintFile('invalid', 'crossed_join.ts')[0].message, /`x` from the split in `start`, `c` from the split in `b`/);
    assert.match(lintFile('invalid', 'cycle_and_orphan.ts')[0].message, /Cycle a -> b -> a/);
    assert.match(lintFile('invalid', 'cycle_and_orphan.ts')[1].message, /`lonely` is unreachable/);
    assert.match(lintFile('invalid', 'foreach_unknown_var.ts')[0].message, /over `items`, which `start` never assigns/);
    assert.match(lintFile('invalid', 'split_without_join.ts')[0].message, /split in `start` is never joined/);
    const join = lintFile('invalid', 'join_without_inputs.ts')[0];
    assert.match(join.message, /`join` receives 2 branches \(`a` and `b`\) but takes no `inputs`/);
    assert.deepEqual(join.data?.text, 'inputs: Inputs<JoinWithoutInputsFlow>');
  });

  for (const name of readdirSync(join(fixtures, 'flows'))
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    it(`flows/${name}: lints clean`, () => {
      assert.deepEqual(
        lintFile('flows', name).map((d) => `${d.code}@${d.range.start.line + 1} ${d.message}`),
        [],
      );
    });
  }

  it('counter_branch.ts without `this.creature = inputs[0].creature`: warns that `end` reads `creature`, dropped at the join `join`', () => {
    const text = readFileSync(join(fixtures, 'flows', 'counter_branch.ts'), 'utf8');
    const edited = text.replace(/^.*this\.creature = inputs\[0\]\.creature.*\n/m, '');
    assert.notEqual(edited, text);
    const ds = lintFile('flows', 'counter_branch.ts', edited);
    assert.deepEqual(summary(ds), ['SW017@32']);
    assert.equal(ds[0].severity, 'warning');
    assert.match(ds[0].message, /`end` reads `creature`, dropped at the join `join`/);
  });
});
