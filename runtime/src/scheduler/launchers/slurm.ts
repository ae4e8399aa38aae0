/**
 * `@slurm` (or `run --with slurm`): each such task is a Slurm batch job. The job runs the task wrapper
 * (task/remote.ts: `node dist/task.js --stepwise-task-remote`, the task spec on stdin), which runs
 * the task and stores its output in the datastore; the runner follows those logs through the
 * store and learns how the job ended from squeue. So the datastore must be shared: S3, or a local
 * folder that every node mounts (checked before the run starts).
 */
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Resources } from '../../api/decoratorOptions';
import type { Datastore } from '../../datastore/datastore';
import { UsageError } from '../../errors';
import { REMOTE_CWD_ENV, REMOTE_TASK_ARG, type TaskSpec } from '../../task/spec';
import type { LaunchedTask, LaunchOptions, TaskLauncher } from '../launcher';
import { installedRuntime } from '../taskRuntime';
import { runSlurm, scancel } from './slurmCommands';
import { describeJobEnd, JobWatcher } from './slurmJobs';
import { runSlurmPatiently, submitJob, submitToken } from './slurmSubmit';

export interface SlurmOptions {
  /** `--slurm-partition`, else STEPWISE_SLURM_PARTITION, else the cluster's default partition (a step's `@slurm({ partition })` wins). */
  partition?: string;
  /** The runner's environment (SLURM_CONF, PATH to sbatch…). */
  env: NodeJS.ProcessEnv;
}

/** How long the logs of a job that Slurm ended are still followed for output not yet read. */
const LOG_GRACE_MS = 5000;
const DELIMITER = 'STEPWISE_TASK_SPEC';

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The batch script: the task wrapper with the spec on its stdin (no quoting of the JSON needed).
 * `entry` is the run's copy of the task runtime (../taskRuntime.ts); a node that cannot see it
 * (an S3 store, whose copy is in the runner's local cache) starts the installation's `fallback`.
 */
export function jobScript(spec: TaskSpec, node: string, entry: string, fallback?: string): string {
  const pick = fallback && fallback !== entry ? [`entry=${shellQuote(entry)}`, `[ -r "$entry" ] || entry=${shellQuote(fallback)}`] : [];
  return [
    '#!/bin/sh',
    `# Stepwise task ${spec.flow}/${spec.runId}/${spec.step}/${spec.taskId}`,
    ...pick,
    `exec ${shellQuote(node)} ${pick.length ? '"$entry"' : shellQuote(entry)} ${REMOTE_TASK_ARG} <<'${DELIMITER}'`,
    JSON.stringify(spec),
    DELIMITER,
    '',
  ].join('\n');
}

/** sbatch options for `@resources` (cpu, memoryMb, gpu); nothing for what it leaves unset. */
export function slurmResourceArgs(r: Resources | undefined): string[] {
  if (!r) return [];
  const args: string[] = [];
  if (r.cpu !== undefined) args.push(`--cpus-per-task=${Math.max(1, Math.ceil(r.cpu))}`);
  if (r.memoryMb !== undefined) args.push(`--mem=${Math.max(1, Math.ceil(r.memoryMb))}M`);
  if (r.gpu !== undefined && r.gpu > 0) args.push(`--gres=gpu:${Math.ceil(r.gpu)}`);
  return args;
}

/**
 * `@timeout` as the job's `--time`, in whole minutes (Slurm's unit), one more than the timeout:
 * the runner's own timer still ends the attempt first, with @timeout's message; Slurm's limit only
 * ends a job whose runner is gone. Without @timeout the job gets the partition's DefaultTime.
 */
export function slurmTimeArgs(timeoutSeconds: number | undefined): string[] {
  return timeoutSeconds ? [`--time=${Math.ceil(timeoutSeconds / 60) + 1}`] : [];
}

export function sbatchArgs(spec: TaskSpec, partition: string | undefined): string[] {
  return [
    '--parsable',
    `--job-name=stepwise-${spec.flow}-${spec.step}`,
    ...(partition ? [`--partition=${partition}`] : []),
    ...slurmResourceArgs(spec.resources),
    ...slurmTimeArgs(spec.timeoutSeconds),
    // @retry is Stepwise's: a job that loses its node or is preempted ends (NODE_FAIL, PREEMPTED)
    // and its task fails with that reason, rather than Slurm silently running the attempt again.
    '--no-requeue',
    // The task's own output goes to the datastore (the wrapper stores it); Slurm's file keeps
    // only what the wrapper could not store (e.g. node itself missing on the node).
    '--output=/dev/null',
    `--error=${join(tmpdir(), 'stepwise-slurm-%j.err')}`,
    `--chdir=${tmpdir()}`,
    '--export=ALL',
  ];
}

export class SlurmLauncher implements TaskLauncher {
  private readonly watcher: JobWatcher;
  readonly partition: string | undefined;
  private store: Datastore | undefined;

  constructor(private readonly o: SlurmOptions) {
    this.partition = o.partition || o.env.STEPWISE_SLURM_PARTITION || undefined;
    this.watcher = new JobWatcher(o.env);
  }

  /** Before the run: Slurm answers, each partition the run uses exists, and its nodes can read the datastore. */
  async prepare(store: Datastore, partitions: Array<string | undefined> = [this.partition]): Promise<void> {
    this.store = store;
    for (const partition of partitions) await this.checkPartition(store, partition);
  }

  private async checkPartition(store: Datastore, partition: string | undefined): Promise<void> {
    const r = await runSlurmPatiently('sinfo', ['-h', '-N', '-o', '%N|%P', ...(partition ? ['-p', partition] : [])], this.o.env);
    if (r.code !== 0) throw new UsageError(`@slurm: cannot reach Slurm (sinfo failed: ${r.stderr.trim() || `exit ${r.code}`}).`);
    // Without a partition, jobs go to the cluster's default one (sinfo marks it with a '*').
    const rows = r.stdout
      .split('\n')
      .map((l) => l.trim().split('|'))
      .filter(([node, part]) => node && part && (partition || part.endsWith('*')));
    const nodes = [...new Set(rows.map(([node]) => node))];
    if (!nodes.length) {
      const all = await runSlurm('sinfo', ['-h', '-o', '%P'], this.o.env);
      const names = all.stdout
        .split('\n')
        .map((l) => l.trim().replace(/\*$/, ''))
        .filter(Boolean);
      throw new UsageError(
        `@slurm: Slurm has ${partition ? `no partition '${partition}'` : 'no default partition'}. ` +
          `Partitions: ${names.join(', ') || '(none)'}; choose one with --slurm-partition, STEPWISE_SLURM_PARTITION or @slurm({ partition }).`,
      );
    }
    const spec = store.spec;
    if (spec.type !== 'local' || this.o.env.STEPWISE_SLURM_SHARED_FS) return;
    const here = hostname().split('.')[0];
    const others = nodes.filter((n) => n.split('.')[0] !== here);
    if (others.length) {
      throw new UsageError(
        `@slurm tasks may run on ${others.join(', ')}, which cannot read the local datastore ${spec.root} on ${here}. ` +
          `Use a shared datastore: --datastore s3 with STEPWISE_DATASTORE_SYSROOT_S3=s3://bucket/prefix. ` +
          `(If ${spec.root} is on a filesystem every node mounts, set STEPWISE_SLURM_SHARED_FS=1.)`,
      );
    }
  }

  async launch(spec: TaskSpec, { env: taskEnv, cwd, runtime }: LaunchOptions): Promise<LaunchedTask> {
    // The wrapper on the node starts the task in the run's folder when that exists there (a shared filesystem).
    const env = { ...taskEnv, [REMOTE_CWD_ENV]: cwd };
    const store = this.store;
    if (!store) throw new Error("the Slurm launcher was not prepared with the run's datastore");
    const installed = installedRuntime().entry;
    const script = jobScript(spec, process.execPath, runtime?.entry ?? installed, installed);
    const jobId = await submitJob(sbatchArgs(spec, spec.slurm?.partition ?? this.partition), script, env, submitToken(spec), (error) =>
      process.stderr.write(`stepwise: sbatch for ${spec.step}/${spec.taskId} did not answer (${error}); trying again.\n`),
    );
    const follow = new AbortController();
    const stream = (s: 'stdout' | 'stderr') => Readable.from(store.followLog(spec, s, { signal: follow.signal }), { objectMode: false });
    const stdout = stream('stdout');
    const stderr = stream('stderr');
    let cancelled = false;
    const exited = (async () => {
      const end = await this.watcher.watch(jobId);
      // The wrapper stores the last output as the task ends; read it before stopping to follow.
      if (!cancelled) {
        await Promise.race([Promise.all([finished(stdout), finished(stderr)]).catch(() => undefined), sleep(LOG_GRACE_MS)]);
      }
      follow.abort();
      const ok = end.state === 'COMPLETED';
      return { code: ok ? 0 : 1, signal: null, ...(ok ? {} : { reason: describeJobEnd(jobId, end) }) };
    })();
    return {
      pid: 0,
      where: `Slurm job ${jobId}`,
      stdout,
      stderr,
      exited,
      storesOwnLogs: true,
      kill: () => {
        cancelled = true;
        scancel(jobId, env);
      },
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
