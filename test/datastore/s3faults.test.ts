/**
 * The S3 store under injected faults, through a fault-injecting proxy in front of s3rver: 500s,
 * dropped connections, bodies cut off half-way, a slow server. Runs, resumes and reads must
 * succeed through them (the SDK's retries and the store's own), never read a partial object as
 * whole, and bad set-ups must fail with one clear message.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from '../support/cli';
import { FaultProxy } from '../support/faultProxy';
import { TestS3Server, TEST_BUCKET } from '../support/s3server';
import { Workspace, taskLines } from '../support/workspace';

describe('S3 store under injected faults (s3rver behind a fault-injecting proxy)', function () {
  this.timeout(180_000);
  let server: TestS3Server;
  let proxy: FaultProxy;
  let ws: Workspace;
  let sysroot: string;
  before(async () => {
    server = await TestS3Server.start();
    proxy = await FaultProxy.start(server.port);
  });
  after(async () => {
    await proxy?.stop();
    await server?.stop();
  });
  beforeEach(() => {
    ws = new Workspace();
    sysroot = `s3://${TEST_BUCKET}/${randomBytes(4).toString('hex')}`;
    proxy.faults = {};
  });
  afterEach(() => ws.dispose());

  const cli = (args: string[], machine = 'a', env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
    runCli(args, {
      cwd: ws.dir,
      env: {
        ...server.env(proxy.endpoint),
        STEPWISE_DATASTORE: 's3',
        STEPWISE_DATASTORE_SYSROOT_S3: sysroot,
        STEPWISE_DATASTORE_CACHE: join(ws.dir, `cache-${machine}`),
        ...env,
      },
    });

  it('500s: a foreach runs, resumes on another machine and reads back, though every 3rd request fails first', async () => {
    proxy.faults = { error500Every: 3 };
    const before = proxy.counts.errors500;
    const file = ws.copy('flows/debug.ts');
    const failed = await cli(['run', file]);
    assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    writeFileSync(file, readFileSync(file, 'utf8').replace("JSON.parse('2fail')", "JSON.parse('2')"));
    const r = await cli(['resume', file], 'b');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(taskLines(r.stdout, 'join').includes('total is 3'));
    const fe = await cli(['run', ws.copy('flows/foreach.ts')], 'b');
    assert.equal(fe.code, 0, fe.stdout + fe.stderr);
    assert.ok(taskLines(fe.stdout, 'end').includes('mouse won!'), fe.stdout);
    assert.ok(proxy.counts.errors500 - before >= 10, `only ${proxy.counts.errors500 - before} 500s were injected`);
  });

  it('dropped connections, and bodies cut off half-way: large artifacts go up in parts and come back whole', async () => {
    proxy.faults = { dropEvery: 4, cutBodyEvery: 2 };
    const before = { ...proxy.counts };
    const file = ws.copy('runtime/gated.ts');
    const r = await cli(['run', file], 'a', { BIG_MB: '40' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // Machine b has nothing cached: every read goes through the faulty network.
    const end = await cli(['dump', `GatedFlow/${runIdIn(r.stdout)}/start/1`, '--json'], 'b');
    assert.equal(end.code, 0, end.stderr);
    assert.equal((JSON.parse(end.stdout) as { artifacts: { note: string } }).artifacts.note, 'from start');
    const spin = await cli(['spin', file, `GatedFlow/${runIdIn(r.stdout)}/end/3`], 'b', { BIG_MB: '40' });
    assert.equal(spin.code, 0, spin.stdout + spin.stderr);
    assert.match(spin.stdout, /big has 5242880 values/);
    assert.ok(proxy.counts.parts - before.parts >= 5, `${proxy.counts.parts - before.parts} multipart parts`);
    assert.ok(proxy.counts.dropped - before.dropped >= 5, `only ${proxy.counts.dropped - before.dropped} connections dropped`);
    assert.ok(proxy.counts.cutBodies - before.cutBodies >= 3, `only ${proxy.counts.cutBodies - before.cutBodies} bodies cut`);
  });

  it('a slow server: every request waits, the run and a log follower still finish', async () => {
    proxy.faults = { delayMs: 150 };
    const before = proxy.counts.delayed;
    const r = await cli(['run', ws.copy('flows/counter.ts')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const logs = await cli(['logs', `CounterFlow/${runIdIn(r.stdout)}/add/2`, '--follow'], 'b');
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /The count is 0 before incrementing/);
    assert.ok(proxy.counts.delayed - before > 20);
  });

  it('a blob whose bytes do not match its hash is refused, naming it; nothing else is lost', async () => {
    const r = await cli(['run', ws.copy('flows/counter.ts')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const run = runIdIn(r.stdout);
    const dump = JSON.parse((await cli(['dump', `CounterFlow/${run}/add/2`, '--json'])).stdout) as { artifacts: Record<string, unknown> };
    assert.equal(dump.artifacts.count, 1);
    // Another machine (no cache) reads a blob someone overwrote in the bucket with other bytes.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const { S3Client, PutObjectCommand, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({ ...s3Config(server.endpoint) });
    const prefix = sysroot.slice(`s3://${TEST_BUCKET}/`.length);
    const blobs = (await s3.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: `${prefix}/CounterFlow/data/` }))).Contents ?? [];
    assert.ok(blobs.length > 0);
    for (const b of blobs) await s3.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: b.Key, Body: Buffer.from('SWB1\x00tampered') }));
    s3.destroy();
    const bad = await cli(['dump', `CounterFlow/${run}/add/2`], 'b');
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /damaged artifact .*does not match its hash/);
    const runs = await cli(['runs', 'CounterFlow', '--json'], 'b');
    assert.equal(runs.code, 0, runs.stderr);
    assert.equal((JSON.parse(runs.stdout) as unknown[]).length, 1);
  });

  it('an endpoint that does not answer, or a bucket that does not exist: one clear message, exit 2', async () => {
    const down = await cli(['runs', 'CounterFlow'], 'a', { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '2' });
    assert.equal(down.code, 2, down.stdout + down.stderr);
    assert.match(
      down.stderr,
      /^stepwise runs: S3 datastore s3:\/\/.*cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\): check AWS_ENDPOINT_URL_S3/m,
    );
    const nobucket = await cli(['run', ws.copy('flows/hello.ts')], 'a', { STEPWISE_DATASTORE_SYSROOT_S3: 's3://no-such-bucket/x' });
    assert.equal(nobucket.code, 2, nobucket.stdout + nobucket.stderr);
    assert.match(nobucket.stderr, /the bucket does not exist: create it, or fix STEPWISE_DATASTORE_SYSROOT_S3/);
    assert.doesNotMatch(nobucket.stderr, /internal error|\n\s+at /);
  });
});

function runIdIn(stdout: string): string {
  const m = /run-id (\d+)/.exec(stdout);
  if (!m) throw new Error(`no run id in:\n${stdout}`);
  return m[1];
}

function s3Config(endpoint: string) {
  return {
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
}
