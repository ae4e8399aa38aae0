/**
 * The S3 store's figures (issue 16): the 1000-task foreach on the S3 store (a local S3-protocol
 * server, s3rver) against the same run on the local store, and artifact upload/download
 * throughput through the Datastore interface (S3 and local), with a cold cache for downloads.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LocalDatastore } from '../../runtime/src/datastore/local';
import { S3Datastore } from '../../runtime/src/datastore/s3';
import type { Datastore } from '../../runtime/src/datastore/datastore';
import { hashBytes } from '../../runtime/src/serialize/codec';
import { round, type BenchFigure, type BenchSuite } from '../report';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const BUCKET = 'stepwise-bench';

async function startS3rver(dir: string): Promise<{ child: ChildProcess; env: NodeJS.ProcessEnv }> {
  const child = spawn(process.execPath, [join(root, 'out', 'test', 'support', 's3rverMain.js'), dir, BUCKET], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (l) => resolve((JSON.parse(l) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  const env = {
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  };
  return { child, env };
}

function timedRun(dir: string, args: string[], env: NodeJS.ProcessEnv): number {
  const t = Date.now();
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return Date.now() - t;
}

/** MB/s of putting then getting (through a cold cache) one incompressible blob. */
async function throughput(write: Datastore, read: Datastore, mb: number): Promise<{ up: number; down: number }> {
  const bytes = randomBytes(mb * 1024 * 1024);
  const hash = hashBytes(bytes);
  let t = performance.now();
  await write.putBlob('BenchFlow', hash, bytes);
  const up = mb / ((performance.now() - t) / 1000);
  t = performance.now();
  const back = await read.getBlob('BenchFlow', hash);
  const down = mb / ((performance.now() - t) / 1000);
  if (!back.equals(bytes)) throw new Error('the blob came back different');
  return { up, down };
}

export const suite: BenchSuite = {
  group: 's3',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-s3-'));
    const figures: BenchFigure[] = [];
    const fig = (name: string, value: number, unit: BenchFigure['unit'], note?: string) =>
      figures.push({ group: 's3', name, value: round(value), unit, note });
    const server = await startS3rver(join(dir, 's3rver'));
    Object.assign(process.env, server.env);
    try {
      cpSync(join(root, 'test', 'fixtures', 'flows', 'wide_foreach.ts'), join(dir, 'wide_foreach.ts'));
      const wide = ['run', 'wide_foreach.ts', '--max-num-splits', '1000', '--max-workers', '2', '--quiet'];
      const s3env = {
        ...server.env,
        STEPWISE_DATASTORE: 's3',
        STEPWISE_DATASTORE_SYSROOT_S3: `s3://${BUCKET}/wide`,
        STEPWISE_DATASTORE_CACHE: join(dir, 'cache'),
      };
      const localMs = timedRun(dir, wide, { STEPWISE_DATASTORE: 'local', STEPWISE_DATASTORE_ROOT: join(dir, '.stepwise') });
      const s3Ms = timedRun(dir, wide, s3env);
      fig(
        'WideForeachFlow 1000 tasks, --max-workers 2, S3 store (s3rver on this machine): wall time',
        s3Ms / 1000,
        's',
        `local store, same session: ${(localMs / 1000).toFixed(1)} s`,
      );
      fig('… the same on the local store', localMs / 1000, 's');
      fig('… S3 ÷ local', s3Ms / localMs, 'ratio');

      for (const mb of [8, 64]) {
        const spec = (c: string) => ({ type: 's3' as const, sysroot: `s3://${BUCKET}/blobs-${mb}`, cacheDir: join(dir, c) });
        const s3 = await throughput(new S3Datastore(spec('w')), new S3Datastore(spec('r')), mb);
        fig(`S3 store: upload of a ${mb} MB artifact (${mb > 16 ? 'in 8 MB parts' : 'one PUT'})`, s3.up, 'MB/s');
        fig(`S3 store: download of a ${mb} MB artifact into a cold cache (verified)`, s3.down, 'MB/s');
        const local = new LocalDatastore(join(dir, `local-${mb}`));
        const l = await throughput(local, local, mb);
        fig(`local store: write / read of a ${mb} MB artifact`, l.up, 'MB/s', `read ${round(l.down)} MB/s`);
      }
    } finally {
      server.child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
