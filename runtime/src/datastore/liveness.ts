/** Tells a live run from one whose runner died without writing its end record. */
import { hostname } from 'node:os';
import type { RunEndRecord, RunRecord, RunStatus } from './types';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface RunState {
  status: RunStatus;
  /** Why, when it is not a clean success or still running. */
  reason?: string;
}

/**
 * Whether the run's runner is known to be gone: it ran on this machine and its process is not
 * there. (A runner on another machine cannot be checked from here.)
 */
export function runnerGone(run: RunRecord): boolean {
  return run.runner.host === hostname() && !processAlive(run.runner.pid);
}

export function runState(run: RunRecord, end: RunEndRecord | undefined): RunState {
  if (end) return { status: end.status, reason: end.reason };
  if (runnerGone(run)) {
    return {
      status: 'killed',
      reason: `the runner process (pid ${run.runner.pid}) died before the run finished; resume it with \`stepwise resume\``,
    };
  }
  return { status: 'running' };
}

/**
 * The run's state from its record and the end record read with it (`end`), settled so that a
 * runner that finished between that read and the check of its process is not taken for dead: a
 * runner writes its end record before it exits, so when its process is gone, `readEnd` again
 * finds an end record written meanwhile.
 */
export async function settledRunState(
  run: RunRecord,
  end: RunEndRecord | undefined,
  readEnd: () => Promise<RunEndRecord | undefined>,
): Promise<{ end: RunEndRecord | undefined; state: RunState }> {
  if (!end && runnerGone(run)) end = await readEnd();
  return { end, state: runState(run, end) };
}
