/**
 * The terminals' `stepwise` (dist/shim.js behind the shim, through a real shell) picks the
 * installation per command line, as the editor picks it per flow: a project's node_modules/stepwise
 * (the packed tarball, installed with npm under a version of its own) for a command typed in the
 * project or naming one of its flows, the extension's own elsewhere; a project Stepwise too old
 * for the extension is one line on stderr naming the fix, and the command still runs.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ensureShimDir } from '../../client/src/terminal/shims';
import { Flow } from '../../runtime/src/client';
import { fixtures, repoRoot } from '../support/cli';
import { packRepository, projectWithTarball, repackAsVersion } from '../support/pack';

const repoVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

describe('the terminal’s `stepwise` picks the project’s installation per command (real npm, real shell)', function () {
  this.timeout(10 * 60_000);
  let dir: string;
  let project: string;
  let older: string;
  let shims: string;
  const version = `${repoVersion}-shim`;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-shimproject-'));
    const packed = packRepository(join(dir, 'pack')).file;
    project = join(dir, 'project');
    projectWithTarball(project, repackAsVersion(packed, version, join(dir, 'pack')));
    mkdirSync(join(project, 'flows'));
    copyFileSync(join(fixtures, 'flows', 'hello.ts'), join(project, 'flows', 'hello.ts'));
    // A Stepwise from before the editor protocol: the extension cannot drive it.
    older = join(dir, 'older');
    projectWithTarball(
      older,
      repackAsVersion(packed, `${repoVersion}-older`, join(dir, 'pack'), (m) => {
        delete m.stepwise;
      }),
    );
    shims = ensureShimDir(join(dir, 'storage'), { node: process.execPath, env: {}, cli: join(repoRoot, 'dist', 'shim.js'), label: 'test' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const sh = (line: string, cwd: string) =>
    spawnSync('/bin/sh', ['-c', line], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', STEPWISE_DATASTORE_ROOT: '', PATH: `${shims}${delimiter}${process.env.PATH ?? ''}` },
    });

  it('in the project (or below it): the project’s; elsewhere: the extension’s own', () => {
    const inProject = sh('stepwise --version', project);
    assert.equal(inProject.status, 0, inProject.stderr);
    assert.equal(inProject.stdout.trim(), version);
    const below = sh('stepwise --version', join(project, 'flows'));
    assert.equal(below.stdout.trim(), version, below.stderr);
    const outside = sh('stepwise --version', dir);
    assert.equal(outside.status, 0, outside.stderr);
    assert.equal(outside.stdout.trim(), repoVersion);
    assert.equal(outside.stderr, '');
  });

  it('`stepwise run <a project’s flow>` typed elsewhere runs with that project’s Stepwise (its run records the version)', async () => {
    const cwd = join(dir, 'elsewhere');
    mkdirSync(cwd);
    const r = sh(`stepwise run ${JSON.stringify(join(project, 'flows', 'hello.ts'))}`, cwd);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const [run] = await Flow('HelloWorldFlow', { root: join(cwd, '.stepwise') }).runs({ limit: 1 });
    assert.equal(run?.stepwiseVersion, version);
  });

  it('a project Stepwise too old for the extension: one line naming it and the fix, and the extension’s own runs the command', () => {
    const r = sh('stepwise --version', older);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), repoVersion);
    const warning = r.stderr.trim().split('\n');
    assert.equal(warning.length, 1, r.stderr);
    assert.match(
      warning[0],
      new RegExp(`^Stepwise: This project's Stepwise ${repoVersion}-older \\(.*node_modules/stepwise\\) is too old for this extension\\.`),
    );
    assert.ok(warning[0].includes(`npm i -D stepwise@${repoVersion}`), warning[0]);
  });
});
