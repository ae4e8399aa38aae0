/**
 * Submitting one job with sbatch when slurmctld is busy. A loaded controller answers late
 * ("Socket timed out on send/recv operation") or not at all, and sbatch gives up even though the
 * controller may still take the job. So each submission carries a token (`--comment`); after a
 * transient failure the launcher looks for that token in squeue and adopts the job it finds, and
 * submits again only when squeue answers without it: one task, never two jobs.
 */
import { randomBytes } from 'node:crypto';
import type { TaskSpec } from '../../task/spec';
import { runSlurm, type CommandResult } from './slurmCommands';

/** What Slurm's commands say when the controller was busy or briefly unreachable (worth another try). */
export const TRANSIENT_SLURM_ERROR =
  /Socket timed out|timed out on send\/recv|Resource temporarily unavailable|Unable to contact slurm controller|Connection refused|temporarily unable|try again/i;

/** Waits between tries: about a minute in all before the task fails. */
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15_000, 30_000];

export function submitToken(spec: TaskSpec): string {
  return `stepwise:${spec.flow}/${spec.runId}/${spec.step}/${spec.taskId}/${spec.attempt}:${randomBytes(4).toString('hex')}`;
}

/** A read-only Slurm command (sinfo), tried again while the controller is busy. */
export async function runSlurmPatiently(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<CommandResult> {
  for (let tries = 0; ; tries++) {
    const r = await runSlurm(cmd, args, env);
    if (r.code === 0 || tries >= BACKOFF_MS.length || !TRANSIENT_SLURM_ERROR.test(r.stderr)) return r;
    await new Promise((res) => setTimeout(res, BACKOFF_MS[tries]));
  }
}

/**
 * The job id sbatch gave, after retrying transient failures (each one reported to `onRetry`);
 * throws with sbatch's own message otherwise.
 */
export async function submitJob(
  args: string[],
  script: string,
  env: NodeJS.ProcessEnv,
  token: string,
  onRetry: (error: string) => void = () => undefined,
): Promise<string> {
  for (let tries = 0; ; tries++) {
    const r = await runSlurm('sbatch', [...args, `--comment=${token}`], env, script);
    const jobId = r.stdout.trim().split(';')[0];
    if (r.code === 0 && /^\d+$/.test(jobId)) return jobId;
    const error = r.stderr.trim() || r.stdout.trim() || `exit ${r.code}`;
    if (!TRANSIENT_SLURM_ERROR.test(error) || tries >= BACKOFF_MS.length) throw new Error(`sbatch failed: ${error}`);
    onRetry(error);
    // The controller may have taken the job after all: find it before submitting another.
    const found = await jobWithToken(token, env, BACKOFF_MS[tries]);
    if (found) return found;
  }
}

/** After `waitMs`, the job carrying `token`; undefined only once squeue has answered without it. */
async function jobWithToken(token: string, env: NodeJS.ProcessEnv, waitMs: number): Promise<string | undefined> {
  for (let asks = 0; ; asks++) {
    await new Promise((r) => setTimeout(r, waitMs));
    const q = await runSlurm('squeue', ['-h', '--me', '--states=all', '-o', '%i|%k'], env);
    if (q.code === 0) {
      const line = q.stdout.split('\n').find((l) => l.trim().endsWith(`|${token}`));
      return line?.trim().split('|')[0];
    }
    // squeue cannot tell either: not knowing, never submit a second job; give up after as long as sbatch would.
    if (asks >= BACKOFF_MS.length) throw new Error(`sbatch failed and squeue cannot say whether the job was taken: ${q.stderr.trim()}`);
  }
}
