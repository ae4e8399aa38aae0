/**
 * The `stepwise` command VS Code's terminals find on their PATH (client/src/terminal/shims.ts):
 * run through a real shell, it starts the chosen installation's CLI with the chosen Node and its
 * environment, arguments intact; one folder per (Node, CLI), written once.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { cmdShim, ensureShimDir } from '../../client/src/terminal/shims';
import { cliPath } from '../support/cli';

describe('the terminal’s `stepwise` shim (real shell)', () => {
  let dir: string;
  let cli: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-shim-'));
    cli = join(dir, 'fake cli.js');
    writeFileSync(cli, `console.log(JSON.stringify({ argv: process.argv.slice(2), marker: process.env.SHIM_MARKER }));\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const sh = (line: string, shims: string) =>
    spawnSync('/bin/sh', ['-c', line], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${shims}${delimiter}${process.env.PATH ?? ''}` },
    });

  it('runs the installation’s CLI with the Node and environment given, arguments intact', () => {
    const shims = ensureShimDir(join(dir, 'storage'), { node: process.execPath, env: { SHIM_MARKER: "it's set" }, cli, label: 'test' });
    assert.ok(statSync(join(shims, 'stepwise')).mode & 0o100, 'the POSIX shim is executable');
    const r = sh(`stepwise run 'my flows/a b.ts' --p "x y"`, shims);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { argv: ['run', 'my flows/a b.ts', '--p', 'x y'], marker: "it's set" });
    assert.match(readFileSync(join(shims, 'stepwise.cmd'), 'utf8'), /^@echo off\r\n/);
  });

  it('the real CLI through the shim: `stepwise --version`', () => {
    const shims = ensureShimDir(join(dir, 'storage'), { node: process.execPath, env: {}, cli: cliPath, label: 'repo' });
    const r = sh('stepwise --version', shims);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\d+\.\d+\.\d+/);
  });

  it('one folder per Node and CLI, reused', () => {
    const storage = join(dir, 'storage');
    const a = ensureShimDir(storage, { node: process.execPath, env: {}, cli, label: 'a' });
    assert.equal(ensureShimDir(storage, { node: process.execPath, env: {}, cli, label: 'a again' }), a);
    assert.notEqual(ensureShimDir(storage, { node: process.execPath, env: {}, cli: cliPath, label: 'b' }), a);
    assert.match(
      cmdShim({ node: 'C:\\node.exe', env: { E: '1' }, cli: 'C:\\p\\cli.js', label: 'w' }),
      /set "E=1"\r\n"C:\\node\.exe" "C:\\p\\cli\.js" %\*/,
    );
  });
});
