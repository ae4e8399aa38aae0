/**
 * The Slurm commands the launcher uses (sbatch, squeue, scancel, sinfo), run as child processes
 * with the runner's environment (SLURM_CONF and friends). A missing command is a clear error.
 */
import { execFile, spawn } from 'node:child_process';
import { UsageError } from '../../errors';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runSlurm(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    // Only sbatch reads stdin (the job script); the others get none, so an early exit cannot EPIPE.
    const child = spawn(cmd, args, { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new UsageError(`@slurm (--with slurm) needs Slurm's ${cmd} on PATH (this machine must be a Slurm submit host).`)
          : err,
      ),
    );
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (child.stdin) {
      // A command that exits before reading all of its input (refusing the job) says why in its
      // exit code and stderr; the broken pipe itself is not the error to report.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

/** Best-effort, fire and forget (cancelling a job that has just ended is not an error). */
export function scancel(jobId: string, env: NodeJS.ProcessEnv): void {
  execFile('scancel', [jobId], { env }, () => undefined);
}
