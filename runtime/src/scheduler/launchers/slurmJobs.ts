/**
 * Watches the Slurm jobs a run has in flight with one `squeue` per poll for all of them, and
 * tells each waiter how its job ended: Slurm's final state and reason (COMPLETED, FAILED,
 * CANCELLED, TIMEOUT, NODE_FAIL, PREEMPTED, OUT_OF_MEMORY…).
 */
import { runSlurm } from './slurmCommands';

export interface JobEnd {
  state: string;
  reason: string;
  /** The job's nodes (squeue %N), its partition (%P) and its time limit (%l), as Slurm prints them. */
  nodes?: string;
  partition?: string;
  timeLimit?: string;
}

const TERMINAL = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'PREEMPTED',
  'OUT_OF_MEMORY',
  'BOOT_FAIL',
  'DEADLINE',
  'SPECIAL_EXIT',
  'REVOKED',
]);
const POLL_MS = 500;
/** Polls in a row that must miss a job before it counts as gone (purged from squeue). */
const MISSES = 6;

interface Waiter {
  resolve(end: JobEnd): void;
  misses: number;
}

export class JobWatcher {
  private readonly waiters = new Map<string, Waiter>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** Resolves once the job has ended. */
  watch(jobId: string): Promise<JobEnd> {
    return new Promise((resolve) => {
      this.waiters.set(jobId, { resolve, misses: 0 });
      this.timer ??= setInterval(() => void this.poll(), POLL_MS);
    });
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const r = await runSlurm('squeue', ['-h', '--states=all', '--me', '-o', '%i|%T|%r|%N|%P|%l'], this.env);
      if (r.code !== 0) return; // slurmctld busy or restarting: the next poll tries again
      const states = new Map<string, JobEnd>();
      for (const line of r.stdout.split('\n')) {
        const [id, state, reason, nodes, partition, timeLimit] = line.trim().split('|');
        if (id) states.set(id, { state, reason: reason ?? '', nodes, partition, timeLimit });
      }
      for (const [id, w] of this.waiters) {
        const s = states.get(id);
        if (s && !TERMINAL.has(s.state)) {
          w.misses = 0;
          continue;
        }
        if (!s && ++w.misses < MISSES) continue;
        this.waiters.delete(id);
        w.resolve(s ?? { state: 'UNKNOWN', reason: 'the job is no longer known to Slurm' });
      }
    } catch {
      // squeue could not run this time; keep polling
    } finally {
      this.polling = false;
      if (!this.waiters.size && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    }
  }
}

/** One line for a task record: what Slurm says happened to the job, and where. */
export function describeJobEnd(jobId: string, end: JobEnd): string {
  const reason = end.reason && end.reason !== 'None' ? end.reason : '';
  const why = reason ? ` (${reason})` : '';
  const partition = end.partition ? `partition ${end.partition}` : '';
  const job = `Slurm job ${jobId}`;
  switch (end.state) {
    case 'TIMEOUT': {
      const limit = end.timeLimit && !/^(UNLIMITED|INVALID|NOT_SET)$/.test(end.timeLimit) ? ` of ${end.timeLimit}` : '';
      return `${job} reached its time limit${limit}${partition ? ` (${partition})` : ''}`;
    }
    case 'NODE_FAIL':
      return `${job} lost its node${end.nodes ? ` ${end.nodes}` : ''} (node failure${reason ? `: ${reason}` : ''})`;
    case 'PREEMPTED':
      return `${job} was preempted by a higher-priority job${partition ? ` (${partition})` : ''}`;
  }
  const plain: Record<string, string> = {
    CANCELLED: 'was cancelled (scancel, or an administrator)',
    OUT_OF_MEMORY: 'ran out of memory',
    BOOT_FAIL: 'could not start its node',
    DEADLINE: 'missed its deadline',
    FAILED: 'failed',
    UNKNOWN: 'ended, but its state is no longer known',
  };
  return `${job} ${plain[end.state] ?? `ended ${end.state}`}${why}`;
}
