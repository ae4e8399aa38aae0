/**
 * Task processes started ahead of their task, found in /proc.
 *
 * Early task processes (boot/earlyTask.ts: `node dist/early.js --stepwise-early`, started by a
 * CLI before it knows its datastore): found by the datastore their CLI was given, from the
 * environment they were started with (/proc/PID/environ), since their command line names none.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function earlyProcesses(root: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes('--stepwise-early')) continue;
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(`STEPWISE_DATASTORE_ROOT=${root}`)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Live spare task processes (`--stepwise-spare`) whose command line names `path` (their runtime copy lies in the datastore). */
export function spareProcesses(path: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (argv.includes('--stepwise-spare') && argv.includes(path)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
