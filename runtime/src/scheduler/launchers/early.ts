/**
 * The runner's side of the early task process (boot/earlyTask.ts): the Node process the CLI's
 * boot started before its bundle loaded becomes the run's first spare task process
 * (./process.ts) or first task host (./thread.ts), when it was started as they would start one.
 * Whatever is not taken is killed once the run is prepared (or fails to be).
 */
import type { ChildProcess } from 'node:child_process';
import { EARLY_TASK, killEarly, refEarly, type EarlyIsolation, type EarlyTask } from '../../boot/earlyTask';
import type { EarlyStart } from '../../task/spec';
import type { LaunchOptions } from '../launcher';

function early(): EarlyTask | undefined {
  return (globalThis as Record<symbol, unknown>)[EARLY_TASK] as EarlyTask | undefined;
}

/**
 * The early process, if there is one of this isolation, alive, and started with what these
 * options would start a task with: from now on the caller's (it must guard it with the watchdog,
 * then tell it what to run: startEarly). Offered once; one that does not fit is killed.
 */
export function takeEarlyProcess(isolation: EarlyIsolation, options: LaunchOptions): ChildProcess | undefined {
  const e = early();
  if (!e || e.taken) return undefined;
  e.taken = true;
  const child = e.child;
  const alive = child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  if (alive && e.isolation === isolation && fits(e, options)) {
    refEarly(child);
    return child;
  }
  if (child.pid !== undefined) killEarly(child);
  return undefined;
}

/** The run needs no early process (it runs no task here, or could not start): it is killed now. */
export function dropEarlyProcess(): void {
  const e = early();
  if (!e || e.taken) return;
  e.taken = true;
  if (e.child.pid !== undefined) killEarly(e.child);
}

/**
 * Tells a taken early process what to run (task/early.ts). `endInput`: nothing more comes on its
 * stdin (a task host; a spare task process reads its spec there later).
 */
export function startEarly(child: ChildProcess, start: EarlyStart, endInput: boolean): void {
  child.stdin!.write(`${JSON.stringify(start)}\n`);
  if (endInput) child.stdin!.end();
}

/**
 * The early process was started in the run's folder with the CLI's environment. Node reads some
 * of its environment only as it starts (NODE_OPTIONS, UV_THREADPOOL_SIZE…), so every variable but
 * the run's own STEPWISE_ ones (which the process takes from EarlyStart) must be as it was.
 */
function fits(e: EarlyTask, { env, cwd }: LaunchOptions): boolean {
  if (cwd !== e.cwd) return false;
  for (const k of new Set([...Object.keys(env), ...Object.keys(e.env)])) {
    if (!k.startsWith('STEPWISE_') && env[k] !== e.env[k]) return false;
  }
  return true;
}
