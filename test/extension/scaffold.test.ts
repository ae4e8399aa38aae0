/**
 * Stepwise: New Flow's files: only the flow (and `.stepwise/` in an existing .gitignore), no path
 * of this machine anywhere; the flow type-checks against the shipped declarations and runs; the
 * project it lands in is found, with the command that adds Stepwise to it.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addStepwiseCommand,
  className,
  fileName,
  findPackageJson,
  gitignoreWith,
  listsStepwise,
  scaffold,
} from '../../client/src/newflow/scaffold';
import { repoRoot, runCli } from '../support/cli';

const typesDir = join(repoRoot, 'dist', 'types');

describe('New Flow scaffold', function () {
  // tsc and a run of the flow: 12 s of CPU, 165 s of wall time on the shared 2-core machine under load.
  this.timeout(600_000);

  it('names the class and file from what the user typed', () => {
    assert.equal(className('train model'), 'TrainModelFlow');
    assert.equal(className('HelloFlow'), 'HelloFlow');
    assert.equal(className('3d-render'), 'My3dRenderFlow');
    assert.equal(fileName('TrainModelFlow'), 'train_model_flow.ts');
  });

  it('writes the flow and nothing else (no tsconfig, no absolute path); it type-checks with the shipped declarations and runs', async () => {
    assert.ok(existsSync(join(typesDir, 'api', 'index.d.ts')), 'dist/types is built by scripts/build.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-newflow-'));
    writeFileSync(join(dir, '.gitignore'), 'node_modules/');
    const r = await scaffold(dir, 'Hello');
    assert.equal(r.flowFile, join(dir, 'hello_flow.ts'));
    assert.deepEqual(readdirSync(dir).sort(), ['.gitignore', 'hello_flow.ts']);
    assert.equal(
      readFileSync(join(dir, '.gitignore'), 'utf8'),
      'node_modules/\n# Stepwise datastore (runs, artifacts, logs)\n.stepwise/\n',
    );
    assert.ok(!readFileSync(r.flowFile, 'utf8').includes(repoRoot), 'no path of this machine in the flow');
    assert.equal(r.project, undefined, 'no package.json: no project');

    // Type-checked the way the editor resolves it (the TypeScript server plugin's answer,
    // here as paths in a tsconfig the test writes elsewhere).
    const check = mkdtempSync(join(tmpdir(), 'stepwise-newflow-check-'));
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'preserve',
        lib: ['ES2023', 'DOM'],
        paths: { stepwise: [join(typesDir, 'api', 'index.d.ts')], 'stepwise/client': [join(typesDir, 'client', 'index.d.ts')] },
      },
      files: [r.flowFile],
    };
    writeFileSync(join(check, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', check], { encoding: 'utf8' });
    // A mistake is reported, so the check above did type-check the flow against the declarations.
    writeFileSync(join(dir, 'broken.ts'), "import { Parameter } from 'stepwise';\nconst p: string = Parameter('n', { default: 5 });\n");
    writeFileSync(join(check, 'tsconfig.json'), JSON.stringify({ ...tsconfig, files: [r.flowFile, join(dir, 'broken.ts')] }));
    const bad = spawnSync(process.execPath, [tsc, '-p', check], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stdout, /broken\.ts\(2,7\): error TS2322/);

    const run = await runCli(['run', r.flowFile], { cwd: dir, env: { STEPWISE_DATASTORE_ROOT: '' } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout + run.stderr, /total: 14/);
    await assert.rejects(scaffold(dir, 'Hello'), /already exists/);
  });

  it('finds the project the flow lands in, whether it lists Stepwise, and the command that adds it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-newflow-project-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', devDependencies: { typescript: '^5' } }));
    mkdirSync(join(dir, 'flows'));
    const r = await scaffold(join(dir, 'flows'), 'Train', dir);
    assert.deepEqual(r.project, { dir, hasStepwise: false, addCommand: 'npm i -D stepwise' });
    assert.equal(findPackageJson(join(dir, 'flows'), join(dir, 'flows')), undefined, 'not above the workspace folder');
    assert.equal(listsStepwise('{"devDependencies":{"stepwise":"^0.1.0"}}'), true);
    assert.equal(listsStepwise('{"dependencies":{"stepwise-x":"1"}}'), false);
    assert.equal(listsStepwise('not json'), false);
    writeFileSync(join(dir, 'pnpm-lock.yaml'), '');
    assert.equal(addStepwiseCommand(dir), 'pnpm add -D stepwise');
  });

  it('leaves an ignoring .gitignore alone', () => {
    assert.equal(gitignoreWith('a\n.stepwise/\n'), undefined);
    assert.equal(gitignoreWith('/.stepwise'), undefined);
  });
});
