/**
 * The Slurm launcher's figures (issue 16): a real single-node Slurm (the tests' harness:
 * slurm-wlm + munge, started and stopped here) and the S3 store on s3rver. The same 23-task
 * foreach with `--with slurm` and with local task processes, both on the S3 store, gives what a
 * task costs as a Slurm job (sbatch, the job's start, the squeue poll, logs through the store).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, round, type BenchFigure, type BenchSuite } from '../report';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

/** The tests' harnesses, compiled beside the bench (out/test/support). */
interface Cluster {
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}
interface S3Server {
  env(): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}
const support = (name: string) => require(join(root, 'out', 'test', 'support', name)) as Record<string, unknown>;

function timedRun(dir: string, args: string[], env: NodeJS.ProcessEnv): number {
  const t = Date.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return Date.now() - t;
}

export const suite: BenchSuite = {
  group: 'slurm',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-slurm-'));
    const figures: BenchFigure[] = [];
    const fig = (name: string, value: number, unit: BenchFigure['unit'], note?: string) =>
      figures.push({ group: 'slurm', name, value: round(value), unit, note });
    const { SlurmCluster } = support('slurmCluster.js') as { SlurmCluster: { start(): Promise<Cluster> } };
    const { TestS3Server, TEST_BUCKET } = support('s3server.js') as { TestS3Server: { start(): Promise<S3Server> }; TEST_BUCKET: string };
    const t = Date.now();
    const cluster = await SlurmCluster.start();
    fig('single-node Slurm up (munged, slurmctld, slurmd; the node idle)', (Date.now() - t) / 1000, 's');
    const server = await TestS3Server.start();
    try {
      cpSync(join(root, 'bench', 'fixtures', 'foreach20.ts'), join(dir, 'foreach20.ts'));
      const env = (cache: string) => ({
        ...server.env(),
        ...cluster.env,
        STEPWISE_DATASTORE: 's3',
        STEPWISE_DATASTORE_SYSROOT_S3: `s3://${TEST_BUCKET}/bench`,
        STEPWISE_DATASTORE_CACHE: join(dir, cache),
        STEPWISE_SLURM_CACHE: join(dir, 'cache-node'),
      });
      const args = ['run', 'foreach20.ts', '--max-workers', '2', '--quiet'];
      // Warm: the code package is built and stored once.
      timedRun(dir, args, env('cache'));
      const local = [1, 2, 3].map(() => timedRun(dir, args, env('cache')));
      const slurm = [1, 2, 3].map(() => timedRun(dir, [...args, '--with', 'slurm'], env('cache')));
      const [l, s] = [median(local), median(slurm)];
      fig(
        'Foreach20Flow (23 tasks), --max-workers 2, S3 store, --with slurm: wall time (median of 3)',
        s / 1000,
        's',
        `runs: ${slurm.map((x) => (x / 1000).toFixed(1)).join(', ')} s`,
      );
      fig(
        '… the same with local task processes (median of 3)',
        l / 1000,
        's',
        `runs: ${local.map((x) => (x / 1000).toFixed(1)).join(', ')} s`,
      );
      fig('… added per task as a Slurm job ((slurm − local) × workers ÷ tasks)', ((s - l) * 2) / 23, 'ms');
    } finally {
      await server.stop();
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
