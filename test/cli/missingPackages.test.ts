/**
 * A flow importing an npm package that is not installed: `stepwise run` says which package, from
 * which file and line, and the install command for the flow's folder, before any task starts
 * (not Node's `Cannot find module` with a stack through dist/task.js); `stepwise check` warns the
 * same (SW100); a package required by a computed name inside a step names itself the same way.
 * Real CLI processes on flows in a scratch project.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';

const flow = (imports: string, body = '') => `import { FlowSpec, step } from 'stepwise';
${imports}

export default class ImportsFlow extends FlowSpec {
  @step start() {
    ${body}
    this.next(this.end);
  }

  @step end() {}
}
`;

describe('a flow importing a package that is not installed (real CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-missing-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0' }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = () => ({ STEPWISE_DATASTORE_ROOT: join(dir, '.stepwise') });

  it('run: names the package, the file and line, and the npm command; nothing is recorded', async () => {
    writeFileSync(
      join(dir, 'flow.ts'),
      flow(`import { chunk } from 'not-installed-lib';\nimport { helper } from './helper';`, 'helper(chunk);'),
    );
    writeFileSync(
      join(dir, 'helper.ts'),
      `import scoped from '@acme/also-missing/sub';\nexport function helper(x: unknown) { return [x, scoped]; }\n`,
    );
    const r = await runCli(['run', 'flow.ts'], { cwd: dir, env: env() });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const first = r.stderr.split('\n')[0];
    assert.match(first, /^stepwise run: cannot run \S*flow\.ts: 2 packages it imports are not installed: /);
    assert.ok(first.includes('not-installed-lib') && first.includes('@acme/also-missing'), first);
    assert.ok(
      first.endsWith(
        `(npm install ${first.includes(': @acme') ? '@acme/also-missing not-installed-lib' : 'not-installed-lib @acme/also-missing'} in ${dir})`,
      ),
      first,
    );
    assert.ok(r.stderr.includes(`${join(dir, 'flow.ts')}:2:24: the package 'not-installed-lib' is not installed`), r.stderr);
    assert.ok(r.stderr.includes(`${join(dir, 'helper.ts')}:1:21: the package '@acme/also-missing' is not installed`), r.stderr);
    assert.ok(r.stderr.includes(`Install it in ${dir}: npm install not-installed-lib`), r.stderr);
    assert.ok(r.stderr.includes(`npm install @acme/also-missing`), r.stderr);
    assert.doesNotMatch(r.stderr, /task\.js|Cannot find module/);
    assert.ok(!existsSync(join(dir, '.stepwise', 'ImportsFlow')), 'no run was recorded');
  });

  it('run: a package only imported for its types is not needed at run time', async () => {
    writeFileSync(
      join(dir, 'flow.ts'),
      flow(`import type { Options } from 'types-only-missing';\nconst o: Options | undefined = undefined;`, 'void o;'),
    );
    const r = await runCli(['run', 'flow.ts'], { cwd: dir, env: env() });
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('run: the install command follows the project’s package manager (its lockfile)', async () => {
    writeFileSync(join(dir, 'pnpm-lock.yaml'), 'lockfileVersion: 9.0\n');
    mkdirSync(join(dir, 'flows'));
    writeFileSync(join(dir, 'flows', 'flow.ts'), flow(`import left from 'not-installed-lib';`, 'void left;'));
    const r = await runCli(['run', 'flows/flow.ts'], { cwd: dir, env: env() });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(
      r.stderr.split('\n')[0],
      `stepwise run: cannot run ${join(dir, 'flows', 'flow.ts')}: the package 'not-installed-lib' it imports is not installed (pnpm add not-installed-lib in ${dir})`,
    );
    assert.ok(r.stderr.includes(`Install it in ${dir}: pnpm add not-installed-lib`), r.stderr);
  });

  it('run: a package required by a computed name inside a step fails that task with the same advice', async () => {
    writeFileSync(join(dir, 'flow.ts'), flow('', `const name = ['computed', 'missing'].join('-');\n    require(name);`));
    const r = await runCli(['run', 'flow.ts'], { cwd: dir, env: env() });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const out = r.stdout + r.stderr;
    assert.ok(
      out.includes(
        `the package 'computed-missing' (required by flow.ts or a module it imports) is not installed. Install it in ${dir}: npm install computed-missing`,
      ),
      out,
    );
  });

  it('check: SW100 warning at the import, with the command; an installed package is not reported', async () => {
    mkdirSync(join(dir, 'node_modules', 'present-lib'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'present-lib', 'package.json'), JSON.stringify({ name: 'present-lib', version: '1.0.0' }));
    writeFileSync(
      join(dir, 'flow.ts'),
      flow(`import present from 'present-lib';\nimport { chunk } from 'not-installed-lib';`, 'void [present, chunk];'),
    );
    const r = await runCli(['check', 'flow.ts'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr); // a warning only
    assert.match(
      r.stdout,
      /^flow\.ts:3:24 {2}warning +SW100 {2}The package 'not-installed-lib' is not installed, so a run would fail to load this flow\./m,
    );
    assert.ok(r.stdout.includes(`Install it in ${dir}: npm install not-installed-lib`), r.stdout);
    assert.doesNotMatch(r.stdout, /present-lib/);
  });
});
