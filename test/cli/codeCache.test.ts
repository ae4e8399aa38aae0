/**
 * The code-cache loader (runtime/src/boot/codeCache.ts) that dist/cli.js and dist/server.js go
 * through, in real child processes: a second start hits the cache, a rebuilt bundle never runs
 * from a stale cache, a damaged cache or a cache folder that cannot be written only costs the
 * speed-up, and the shipped CLI works from a cold and from a warm cache.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../support/cli';

const loader = join(__dirname, '..', '..', 'runtime', 'src', 'boot', 'codeCache.js');
const node20 = !(require('node:module') as { enableCompileCache?: unknown }).enableCompileCache;

interface Loaded {
  value: string;
  outcome: string;
}

function load(bundle: string, cacheDir: string): Loaded {
  const script = `const c = require(${JSON.stringify(loader)}); const m = c.loadBundle(${JSON.stringify(bundle)}, module); console.log(JSON.stringify({ value: m.value, outcome: c.lastLoadOutcome() }));`;
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, STEPWISE_CODE_CACHE_DIR: cacheDir }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Loaded;
}

function writeBundle(file: string, value: string, mtime: Date): void {
  writeFileSync(
    file,
    `#!/usr/bin/env node\n'use strict';\nconst path = require('node:path');\nexports.value = ${JSON.stringify(value)} + path.basename(__filename);\n`,
  );
  utimesSync(file, mtime, mtime);
}

describe('code cache for the big bundles', function () {
  let dir: string;
  let cache: string;
  let bundle: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-codecache-'));
    cache = join(dir, 'cache');
    bundle = join(dir, 'big.bundle.js');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the bundle as require would (exports, require, __filename), then from the cache on the next start', function () {
    if (!node20) this.skip();
    writeBundle(bundle, 'one:', new Date(2026, 0, 1));
    assert.deepEqual(load(bundle, cache), { value: 'one:big.bundle.js', outcome: 'miss' });
    assert.equal(readdirSync(cache).length, 1, 'the cache is written when the process exits');
    assert.deepEqual(load(bundle, cache), { value: 'one:big.bundle.js', outcome: 'hit' });
  });

  it('never runs a rebuilt bundle from the old cache, even when its length is unchanged, and drops the old cache', function () {
    if (!node20) this.skip();
    writeBundle(bundle, 'one:', new Date(2026, 0, 1));
    load(bundle, cache);
    writeBundle(bundle, 'two:', new Date(2026, 0, 2));
    assert.deepEqual(load(bundle, cache), { value: 'two:big.bundle.js', outcome: 'miss' });
    assert.equal(readdirSync(cache).length, 1);
    assert.deepEqual(load(bundle, cache), { value: 'two:big.bundle.js', outcome: 'hit' });
  });

  it('a damaged cache file is rejected and rewritten; the bundle still loads', function () {
    if (!node20) this.skip();
    writeBundle(bundle, 'one:', new Date(2026, 0, 1));
    load(bundle, cache);
    const [file] = readdirSync(cache);
    writeFileSync(join(cache, file), Buffer.from('not a V8 code cache at all'));
    assert.deepEqual(load(bundle, cache), { value: 'one:big.bundle.js', outcome: 'rejected' });
    assert.deepEqual(load(bundle, cache), { value: 'one:big.bundle.js', outcome: 'hit' });
  });

  it('a cache folder that cannot be created only costs the speed-up', () => {
    writeBundle(bundle, 'one:', new Date(2026, 0, 1));
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    assert.equal(load(bundle, join(blocked, 'cache')).value, 'one:big.bundle.js');
    assert.equal(load(bundle, join(blocked, 'cache')).value, 'one:big.bundle.js');
  });

  it('the shipped CLI lints a flow from a cold and from a warm cache', () => {
    const flow = join(__dirname, '..', '..', '..', 'examples', 'hello.ts');
    for (let i = 0; i < 2; i++) {
      const r = spawnSync(process.execPath, [cliPath, 'check', flow], {
        env: { ...process.env, STEPWISE_CODE_CACHE_DIR: cache },
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /HelloWorldFlow is OK/);
    }
    assert.ok(readdirSync(cache).some((f) => f.startsWith('cli.bundle.js-')));
  });
});
