/** The CLI as a background process a test can watch, signal and wait for. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cliPath } from './cli';
import type { Workspace } from './workspace';

export interface Background {
  child: ChildProcess;
  match: RegExpExecArray;
  output: () => string;
}

/** Starts the CLI in the background and resolves once its output matches `ready`. */
export function startUntil(ws: Workspace, args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<Background> {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: ws.dir,
    env: { ...process.env, STEPWISE_DATASTORE_ROOT: ws.root, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = ready.exec(out);
      if (m) resolve({ child, match: m, output: () => out });
    };
    child.stdout!.setEncoding('utf8').on('data', (d: string) => ((out += d), check()));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => ((out += d), check()));
    child.on('exit', () => reject(new Error(`exited before ${ready}:\n${out}`)));
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code)),
  );
}

/** Whether `pid` is a live process: a zombie (exited, not yet reaped) counts as gone. */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Resolves once none of `pids` runs, or rejects naming the survivors after `ms`. */
export async function allGone(pids: number[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const alive = pids.filter(running);
    if (!alive.length) return;
    if (Date.now() > deadline) throw new Error(`still running after ${ms} ms: ${alive.join(', ')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
