/**
 * The task wrapper on a cluster node (`node dist/task.js --stepwise-task-remote`, the task spec
 * on stdin; started by a Slurm job, see scheduler/launchers/slurm.ts). Nobody on this machine
 * reads the task's output, so the wrapper runs the task as the runner would and stores its
 * stdout and stderr in the datastore as they come; the runner follows them from there.
 */
import { existsSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { openDatastore } from '../datastore/resolve';
import { LocalProcessLauncher } from '../scheduler/launchers/process';
import { REMOTE_CWD_ENV, type TaskSpec } from './spec';

function readSpec(): TaskSpec {
  return JSON.parse(readFileSync(0, 'utf8')) as TaskSpec;
}

/** Removes Slurm's error file of this job when nothing was written to it. */
function dropEmptyJobErrorFile(): void {
  const job = process.env.SLURM_JOB_ID;
  if (!job) return;
  const file = join(tmpdir(), `stepwise-slurm-${job}.err`);
  try {
    if (statSync(file).size === 0) unlinkSync(file);
  } catch {
    // not there, or not ours to remove
  }
}

export async function runRemote(): Promise<number> {
  const spec = readSpec();
  const here = hostname();
  if (spec.datastore.type === 'local' && !existsSync(join(spec.datastore.root))) {
    process.stderr.write(
      `stepwise: the local datastore ${spec.datastore.root} is not on node ${here}: run with a shared datastore (--datastore s3).\n`,
    );
    return 2;
  }
  // The node's own cache (STEPWISE_SLURM_CACHE, set on the runner) when the runner's path would be
  // wrong there; and never the runner's bundle path: the node loads the run's code package.
  if (spec.datastore.type === 's3' && process.env.STEPWISE_SLURM_CACHE) {
    spec.datastore = { ...spec.datastore, cacheDir: process.env.STEPWISE_SLURM_CACHE };
  }
  spec.bundle = '';
  const store = openDatastore(spec.datastore);
  const { [REMOTE_CWD_ENV]: runCwd, ...env } = process.env;
  const cwd = runCwd && existsSync(runCwd) ? runCwd : tmpdir();
  // The task starts from this wrapper's own installation: the run's copy of the runtime when the
  // node could read it (see jobScript).
  const task = await new LocalProcessLauncher().launch(spec, { env, cwd });
  const sinks = { stdout: store.openLog(spec, 'stdout'), stderr: store.openLog(spec, 'stderr') };
  for (const s of ['stdout', 'stderr'] as const) {
    const decoder = new StringDecoder('utf8');
    task[s].on('data', (chunk: Buffer) => sinks[s].write(decoder.write(chunk)));
  }
  // Slurm's scancel (or a time limit) sends SIGTERM first: pass it on, and still store the logs.
  const stop = () => task.kill('SIGTERM');
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const { code, signal } = await task.exited;
  if (signal) sinks.stderr.write(`stepwise: the task process on ${here} was killed by ${signal}.\n`);
  await Promise.all([sinks.stdout.close(), sinks.stderr.close()]);
  dropEmptyJobErrorFile();
  return code ?? 1;
}

export function remoteMain(): void {
  runRemote().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`stepwise task wrapper: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
