/** datastore/resolve.ts: which store a command uses, and what a bad choice says. */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datastoreEnv, resolveDatastore } from '../../runtime/src/datastore/resolve';
import { UsageError } from '../../runtime/src/errors';

describe('datastore: resolve (flag, setting, environment)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'stepwise-resolve-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to the local store: the nearest .stepwise/ up, else <cwd>/.stepwise', () => {
    mkdirSync(join(dir, '.stepwise'));
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    assert.deepEqual(resolveDatastore({ cwd: join(dir, 'a', 'b'), env: {} }), { type: 'local', root: join(dir, '.stepwise') });
    const bare = mkdtempSync(join(tmpdir(), 'stepwise-bare-'));
    try {
      assert.deepEqual(resolveDatastore({ cwd: bare, env: {} }), { type: 'local', root: join(bare, '.stepwise') });
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('STEPWISE_DATASTORE_ROOT and an explicit root choose the folder', () => {
    assert.deepEqual(resolveDatastore({ cwd: dir, env: { STEPWISE_DATASTORE_ROOT: 'store' } }), {
      type: 'local',
      root: join(dir, 'store'),
    });
    assert.deepEqual(resolveDatastore({ cwd: dir, env: { STEPWISE_DATASTORE_ROOT: 'store' }, root: '/x/y' }), {
      type: 'local',
      root: '/x/y',
    });
  });

  it('s3 from the flag or STEPWISE_DATASTORE, its location from STEPWISE_DATASTORE_SYSROOT_S3 or the caller', () => {
    const env = { STEPWISE_DATASTORE_SYSROOT_S3: 's3://team-bucket/flows/', STEPWISE_DATASTORE_CACHE: join(dir, 'cache') };
    const want = { type: 's3', sysroot: 's3://team-bucket/flows', cacheDir: join(dir, 'cache') };
    assert.deepEqual(resolveDatastore({ cwd: dir, env, type: 's3' }), want);
    assert.deepEqual(resolveDatastore({ cwd: dir, env: { ...env, STEPWISE_DATASTORE: 'S3' } }), want);
    // The explicit choice (flag or setting) wins over the environment.
    assert.equal(resolveDatastore({ cwd: dir, env: { ...env, STEPWISE_DATASTORE: 's3' }, type: 'local' }).type, 'local');
    assert.deepEqual(resolveDatastore({ cwd: dir, env: { STEPWISE_DATASTORE_CACHE: 'c' }, type: 's3', sysrootS3: 's3://other' }), {
      type: 's3',
      sysroot: 's3://other',
      cacheDir: join(dir, 'c'),
    });
  });

  it('a child process given datastoreEnv resolves the very same store', () => {
    for (const spec of [
      resolveDatastore({ cwd: dir, env: {} }),
      resolveDatastore({ cwd: dir, env: { STEPWISE_DATASTORE_CACHE: join(dir, 'c') }, type: 's3', sysrootS3: 's3://bkt/p' }),
    ]) {
      assert.deepEqual(resolveDatastore({ cwd: '/', env: datastoreEnv(spec) }), spec);
    }
  });

  it('bad input is one UsageError naming where it came from and the fix', () => {
    const fails = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof UsageError && re.test(e.message));
    fails(() => resolveDatastore({ cwd: dir, env: {}, type: 'gcs' }), /--datastore must be one of local, s3; got 'gcs'/);
    fails(
      () => resolveDatastore({ cwd: dir, env: { STEPWISE_DATASTORE: 'nfs' } }),
      /STEPWISE_DATASTORE must be one of local, s3; got 'nfs'/,
    );
    fails(() => resolveDatastore({ cwd: dir, env: {}, type: 's3' }), /set STEPWISE_DATASTORE_SYSROOT_S3=s3:\/\/bucket\/prefix/);
    fails(
      () => resolveDatastore({ cwd: dir, env: { STEPWISE_DATASTORE_SYSROOT_S3: 'https://bucket' }, type: 's3' }),
      /STEPWISE_DATASTORE_SYSROOT_S3 must be an S3 location like s3:\/\/my-bucket\/stepwise; got 'https:\/\/bucket'/,
    );
  });
});
