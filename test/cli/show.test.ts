import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFlow } from '../../runtime/src/graph';
import { fixtures, runCli } from '../support/cli';
import { expectGolden } from '../lint/golden';

const flows = readdirSync(join(fixtures, 'flows'))
  .filter((f) => f.endsWith('.ts'))
  .sort();

describe('stepwise show (real CLI process)', () => {
  it('hello.ts: lists start -> hello -> end with their doc comments', async () => {
    const r = await runCli(['show', 'test/fixtures/flows/hello.ts']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      [
        'HelloWorldFlow',
        '    The smallest flow: start -> hello -> end.',
        '',
        'Step start',
        '    Starting point',
        '    => hello',
        '',
        'Step hello',
        '    Just saying hi',
        '    => end',
        '',
        'Step end',
        '    Finish line',
        '',
      ].join('\n'),
    );
  });

  it('shows splits, joins, foreach and parameters', async () => {
    const branch = await runCli(['show', 'test/fixtures/flows/counter_branch.ts']);
    assert.match(branch.stdout, /Step start\n {4}=> addOne, addTwo\n/);
    assert.match(branch.stdout, /Step join \(join\)\n {4}=> end\n/);
    const fe = await runCli(['show', 'test/fixtures/flows/foreach.ts']);
    assert.match(fe.stdout, /=> analyzeCreatures \(foreach over creatures\)/);
    const params = await runCli(['show', 'test/fixtures/flows/parameters.ts']);
    assert.match(params.stdout, /Parameters\n {4}--creature \(string, required\) {2}Specify an animal\n {4}--count \(number, default 1\)/);
  });

  for (const name of flows) {
    it(`flows/${name}: matches the golden output`, async () => {
      const r = await runCli(['show', `test/fixtures/flows/${name}`]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      expectGolden(`show/${name.replace(/\.ts$/, '.txt')}`, r.stdout);
    });
  }

  it('--json prints the FlowGraph, the same as parseFlow in process', async () => {
    const file = 'test/fixtures/flows/counter_branch_helper.ts';
    const r = await runCli(['show', '--json', file]);
    assert.equal(r.code, 0);
    const expected = parseFlow(readFileSync(join(fixtures, 'flows', 'counter_branch_helper.ts'), 'utf8'), file);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(expected)));
  });

  it('shows a flow with errors, and says on stderr how to see them', async () => {
    const r = await runCli(['show', 'test/fixtures/invalid/no_end.ts']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Step hello\n {4}=> end\n/);
    assert.equal(
      r.stderr,
      'test/fixtures/invalid/no_end.ts: 2 errors in this flow; run `stepwise check test/fixtures/invalid/no_end.ts` for details.\n',
    );
  });

  it('orders steps by the flow, not the file, with unreachable steps last', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'stepwise-show-'));
    try {
      writeFileSync(
        join(tmp, 'order.ts'),
        "import { FlowSpec, step } from 'stepwise';\nexport default class OrderFlow extends FlowSpec {\n  @step end() {}\n  @step b() { this.next(this.end); }\n  @step orphan() { this.next(this.end); }\n  @step start() { this.next(this.b); }\n}\n",
      );
      const r = await runCli(['show', 'order.ts'], { cwd: tmp });
      assert.deepEqual(
        [...r.stdout.matchAll(/^Step (\w+)/gm)].map((m) => m[1]),
        ['start', 'b', 'end', 'orphan'],
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('bad input: a missing file is one line and exit 2; --help exits 0', async () => {
    const r = await runCli(['show', 'missing.ts']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    assert.match(r.stderr, /^stepwise show: cannot find flow file 'missing\.ts'/);
    const h = await runCli(['show', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /^Usage: stepwise show FILE \[--json\]/);
  });
});
