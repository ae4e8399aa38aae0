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

export function runState(run: RunRecord, end: RunEndRecord | undefined): RunState {
  if (end) return { status: end.status, reason: end.reason };
  if (run.runner.host === hostname() && !processAlive(run.runner.pid)) {
    return {
      status: 'killed',
      reason: `the runner process (pid ${run.runner.pid}) died before the run finished; resume it with \`stepwise resume\``,
    };
  }
  return { status: 'running' };
}
