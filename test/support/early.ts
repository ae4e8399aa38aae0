/**
 * Task processes found in /proc: task processes, spares and task hosts by their command line,
 * and early task processes (boot/earlyTask.ts: `node dist/early.js --stepwise-early`, started by
 * a CLI before it knows its datastore) by the datastore their CLI was given, from the environment
 * they were started with (/proc/PID/environ), since their command line names none.
 */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Live processes other than this one whose command line (`/proc/PID/cmdline`, arguments joined
 * by NULs) passes `match`; `match` may read more of /proc/PID. One that ends meanwhile is skipped.
 */
export function processesWhere(match: (cmdline: string, pid: number) => boolean): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (match(readFileSync(`/proc/${name}/cmdline`, 'utf8'), Number(name))) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export function earlyProcesses(root: string): number[] {
  return processesWhere(
    (cmdline, pid) =>
      cmdline.split('\0').includes('--stepwise-early') &&
      readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`STEPWISE_DATASTORE_ROOT=${root}`),
  );
}

/** Live spare task processes (`--stepwise-spare`) whose command line names `path` (their runtime copy lies in the datastore). */
export function spareProcesses(path: string): number[] {
  return processesWhere((cmdline) => cmdline.includes('--stepwise-spare') && cmdline.includes(path));
}
