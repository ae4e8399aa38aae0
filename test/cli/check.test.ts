import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtures, runCli } from '../support/cli';
import { expectGolden } from '../lint/golden';

const invalid = readdirSync(join(fixtures, 'invalid'))
  .filter((f) => f.endsWith('.ts'))
  .sort();
const flows = readdirSync(join(fixtures, 'flows'))
  .filter((f) => f.endsWith('.ts'))
  .sort();

describe('stepwise check (real CLI process)', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'stepwise-check-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  for (const name of flows) {
    it(`flows/${name}: exit 0, no problems`, async () => {
      const r = await runCli(['check', `test/fixtures/flows/${name}`]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /is OK \(\d+ steps, no problems\)\.\n$/);
      assert.equal(r.stdout.split('\n').length, 2, r.stdout);
    });
  }

  for (const name of invalid) {
    it(`invalid/${name}: prints file:line:col findings and a summary, matching the golden file`, async () => {
      const r = await runCli(['check', `test/fixtures/invalid/${name}`]);
      assert.equal(r.stderr, '');
      const expectedCode = name === 'dropped_artifact.ts' ? 0 : 2; // its only finding is a warning
      assert.equal(r.code, expectedCode, r.stdout);
      assert.match(r.stdout, new RegExp(`^test/fixtures/invalid/${name.replace('.', '\\.')}:\\d+:\\d+  (error|warning) +SW\\d{3}  `, 'm'));
      expectGolden(`lint/${name.replace(/\.ts$/, '.check.txt')}`, r.stdout);
    });
  }

  it('--json prints the diagnostics with counts', async () => {
    const r = await runCli(['check', '--json', 'test/fixtures/invalid/no_end.ts']);
    assert.equal(r.code, 2);
    const out = JSON.parse(r.stdout) as {
      file: string;
      flowName: string;
      errors: number;
      warnings: number;
      diagnostics: Array<{ code: string; range: { start: { line: number } } }>;
    };
    assert.equal(out.file, 'test/fixtures/invalid/no_end.ts');
    assert.equal(out.flowName, 'NoEndFlow');
    assert.equal(out.errors, 2);
    assert.equal(out.warnings, 0);
    assert.deepEqual(
      out.diagnostics.map((d) => [d.code, d.range.start.line]),
      [
        ['SW002', 2],
        ['SW003', 4],
      ],
    );
  });

  it('warns (exit 0) that `end` reads `creature`, dropped at the join `join`, when counter_branch.ts loses its assignment', async () => {
    const text = readFileSync(join(fixtures, 'flows', 'counter_branch.ts'), 'utf8');
    const file = join(tmp, 'counter_branch.ts');
    writeFileSync(file, text.replace(/^.*this\.creature = inputs\[0\]\.creature.*\n/m, ''));
    const r = await runCli(['check', 'counter_branch.ts'], { cwd: tmp });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^counter_branch\.ts:32:36  warning  SW017  `end` reads `creature`, dropped at the join `join`/m);
    assert.match(r.stdout, /^ {4}counter_branch\.ts:24:9  note: the join `join` drops `creature`$/m);
    assert.match(r.stdout, /0 errors, 1 warning in CounterBranchFlow\.\n$/);
  });

  it('reports syntax errors (exit 2) and still checks the rest of the flow', async () => {
    const file = join(tmp, 'broken.ts');
    writeFileSync(
      file,
      "import { FlowSpec, step } from 'stepwise';\nexport default class Broken extends FlowSpec {\n  @step start() { const x = ; this.next(this.ned); }\n  @step end() {}\n}\n",
    );
    const r = await runCli(['check', file]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /broken\.ts:3:\d+  error    SW000  Syntax error: Expression expected/);
    assert.match(r.stdout, /SW003  `start` goes to `ned`.*Did you mean `end`\?/);
  });

  describe('bad input: one line naming the file and the fix, exit 2', () => {
    const oneLine = (s: string) => assert.equal(s.trimEnd().split('\n').length, 1, s);

    it('a missing file', async () => {
      const r = await runCli(['check', 'no/such/flow.ts']);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      oneLine(r.stderr);
      assert.match(r.stderr, /^stepwise check: cannot find flow file 'no\/such\/flow\.ts': check the path/);
    });

    it('a file with no flow class', async () => {
      const file = join(tmp, 'plain.ts');
      writeFileSync(file, 'export const answer = 42;\n');
      const r = await runCli(['check', 'plain.ts'], { cwd: tmp });
      assert.equal(r.code, 2);
      oneLine(r.stderr);
      assert.match(
        r.stderr,
        /'plain\.ts' has no flow: no class in it extends FlowSpec\. Add `export default class MyFlow extends FlowSpec/,
      );
      writeFileSync(join(tmp, 'typo.ts'), "import { FlowSpec } from 'stepwise';\nexport default clas Typo extends FlowSpec {}\n");
      const typo = await runCli(['check', 'typo.ts'], { cwd: tmp });
      assert.equal(typo.code, 2);
      oneLine(typo.stderr);
      assert.match(typo.stderr, /'typo\.ts' has no flow: no class in it extends FlowSpec \(line 2 has a syntax error: .+\)\. Add/);
    });

    it('an unreadable file', async () => {
      let target: string;
      if (process.getuid?.() === 0) {
        // root reads any file regardless of its mode: make the path itself unreadable instead.
        writeFileSync(join(tmp, 'afile'), '');
        target = 'afile/flow.ts';
      } else {
        target = 'locked.ts';
        writeFileSync(join(tmp, target), 'x');
        chmodSync(join(tmp, target), 0o000);
      }
      const r = await runCli(['check', target], { cwd: tmp });
      assert.equal(r.code, 2);
      oneLine(r.stderr);
      assert.match(r.stderr, new RegExp(`^stepwise check: cannot read flow file '${target.replace('.', '\\.')}'`));
    });

    it('a directory, no file, or two files', async () => {
      const dir = await runCli(['check', 'test']);
      assert.equal(dir.code, 2);
      assert.match(dir.stderr, /'test' is a directory: name the flow's \.ts file instead\./);
      const none = await runCli(['check']);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /name the flow file/);
      const two = await runCli(['check', 'a.ts', 'b.ts']);
      assert.equal(two.code, 2);
      assert.match(two.stderr, /check takes one flow file, got 2/);
    });

    it('an unknown option', async () => {
      const r = await runCli(['check', '--jsn', 'test/fixtures/flows/hello.ts']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--jsn.*See: stepwise check --help/);
    });
  });

  it('--help explains usage, --json and exit codes', async () => {
    const r = await runCli(['check', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: stepwise check FILE \[--json\]/);
    assert.match(r.stdout, /Exit codes: 0 no errors/);
    const main = await runCli(['--help']);
    assert.match(main.stdout, /check +Check a flow file/);
  });
});
