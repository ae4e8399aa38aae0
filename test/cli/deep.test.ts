/**
 * A flow nested deeper than the parser can follow (issue 11): check, show and run each print
 * one message naming the construct and its position, exit 2 — never "internal error" — and
 * run stores nothing.
 */
import { strict as assert } from 'node:assert';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowTooDeepError, parseFlow } from '../../runtime/src/graph';
import { Workspace } from '../support/workspace';

function flowWith(expression: string): string {
  return [
    "import { FlowSpec, step } from 'stepwise';",
    '',
    'export default class DeepFlow extends FlowSpec {',
    '  declare x: unknown;',
    '',
    '  @step start() {',
    `    this.x = ${expression};`,
    '    this.next(this.end);',
    '  }',
    '',
    '  @step end() {}',
    '}',
    '',
  ].join('\n');
}

describe('a flow nested too deeply to parse', function () {
  this.timeout(120_000);
  let ws: Workspace;
  before(() => (ws = new Workspace()));
  after(() => ws.dispose());

  for (const [what, expression, construct] of [
    ['5,000 nested parentheses', `${'('.repeat(5000)}1${')'.repeat(5000)}`, /5000 parentheses nested inside one another/],
    ['5,000 nested arrays', `${'['.repeat(5000)}1${']'.repeat(5000)}`, /5000 square brackets nested inside one another/],
  ] as const) {
    it(`${what}: check, show and run each exit 2 naming the position and the construct`, async () => {
      const file = join(ws.dir, 'deep.ts');
      writeFileSync(file, flowWith(expression));
      for (const command of ['check', 'show', 'run']) {
        const r = await ws.cli([command, file]);
        assert.equal(r.code, 2, `${command}: ${r.stdout}${r.stderr}`);
        assert.doesNotMatch(r.stderr, /internal error|RangeError/);
        assert.match(r.stderr, new RegExp(`^stepwise ${command}: deep\\.ts:7:14: `), r.stderr);
        assert.match(r.stderr, construct);
        assert.match(r.stderr, /Split the expression into smaller ones/);
        assert.equal(r.stderr.trim().split('\n').length, 1);
      }
      assert.ok(!existsSync(join(ws.root, 'DeepFlow')), 'run stored nothing');
    });
  }

  it('1,000 nested parentheses: the message, or (where the parser follows them) a normal result; never a crash', async () => {
    // How deep the recursive parser gets depends on the stack and on how warm the JIT is: about
    // 700 levels in a fresh process here, more once its functions are optimised.
    const file = join(ws.dir, 'deep1000.ts');
    writeFileSync(file, flowWith(`${'('.repeat(1000)}1${')'.repeat(1000)}`));
    const r = await ws.cli(['check', file]);
    assert.doesNotMatch(r.stderr, /internal error|RangeError/);
    if (r.code === 2) assert.match(r.stderr, /^stepwise check: deep1000\.ts:7:14: 1000 parentheses nested inside one another/);
    else assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('a deep chain that is not brackets points at the longest line, and says it is a guess', () => {
    const text = flowWith(`${'!'.repeat(50_000)}1`);
    assert.throws(
      () => parseFlow(text, 'chain.ts'),
      (err: unknown) =>
        err instanceof FlowTooDeepError &&
        err.range.start.line === 6 &&
        /nested too deeply to parse .*probably on line 7, the longest/.test(err.message),
    );
  });

  it('the parser still reads ordinary flows after giving up on a deep one', () => {
    assert.throws(() => parseFlow(flowWith(`${'('.repeat(3000)}1${')'.repeat(3000)}`), 'a.ts'), FlowTooDeepError);
    const g = parseFlow(flowWith('(((1)))'), 'a.ts');
    assert.deepEqual(
      g.steps.map((s) => s.name),
      ['start', 'end'],
    );
    assert.deepEqual(g.syntaxErrors, []);
  });
});
