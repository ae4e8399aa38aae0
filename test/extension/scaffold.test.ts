/** Stepwise: New Flow's files: the flow type-checks against the shipped declarations and runs. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { className, fileName, gitignoreWith, scaffold, tsconfigWith } from '../../client/src/newflow/scaffold';
import { repoRoot, runCli } from '../support/cli';

const typesDir = join(repoRoot, 'dist', 'types');

describe('New Flow scaffold', function () {
  this.timeout(180_000);

  it('names the class and file from what the user typed', () => {
    assert.equal(className('train model'), 'TrainModelFlow');
    assert.equal(className('HelloFlow'), 'HelloFlow');
    assert.equal(className('3d-render'), 'My3dRenderFlow');
    assert.equal(fileName('TrainModelFlow'), 'train_model_flow.ts');
  });

  it('writes a flow that type-checks with the shipped declarations, ignores .stepwise/, and runs', async () => {
    assert.ok(existsSync(join(typesDir, 'api', 'index.d.ts')), 'dist/types is built by scripts/build.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-newflow-'));
    writeFileSync(join(dir, '.gitignore'), 'node_modules/');
    const r = await scaffold(dir, 'Hello', typesDir);
    assert.equal(r.flowFile, join(dir, 'hello_flow.ts'));
    assert.equal(
      readFileSync(join(dir, '.gitignore'), 'utf8'),
      'node_modules/\n# Stepwise datastore (runs, artifacts, logs)\n.stepwise/\n',
    );
    const cfg = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'));
    assert.deepEqual(cfg.compilerOptions.paths.stepwise, [join(typesDir, 'api', 'index.d.ts')]);

    // The TypeScript the editor uses reports nothing on the new flow.
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', dir, '--noEmit'], { encoding: 'utf8' });
    // A mistake is reported, so the check above did type-check the flow against the declarations.
    writeFileSync(join(dir, 'broken.ts'), "import { Parameter } from 'stepwise';\nconst p: string = Parameter('n', { default: 5 });\n");
    const bad = spawnSync(process.execPath, [tsc, '-p', dir, '--noEmit'], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stdout, /broken\.ts\(2,7\): error TS2322/);

    const run = await runCli(['run', r.flowFile], { cwd: dir, env: { STEPWISE_DATASTORE_ROOT: '' } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout + run.stderr, /total: 14/);
    await assert.rejects(scaffold(dir, 'Hello', typesDir), /already exists/);
  });

  it('adds paths to an existing tsconfig and leaves an ignoring .gitignore alone', () => {
    const merged = JSON.parse(tsconfigWith('{"compilerOptions":{"strict":true,"paths":{"x":["y"]}}}', '/ext/dist/types')!);
    assert.deepEqual(merged.compilerOptions.paths, {
      x: ['y'],
      stepwise: ['/ext/dist/types/api/index.d.ts'],
      'stepwise/client': ['/ext/dist/types/client/index.d.ts'],
    });
    assert.equal(merged.compilerOptions.strict, true);
    assert.equal(tsconfigWith('{ // comment\n}', '/t'), undefined);
    assert.equal(gitignoreWith('a\n.stepwise/\n'), undefined);
    assert.equal(gitignoreWith('/.stepwise'), undefined);
  });
});
