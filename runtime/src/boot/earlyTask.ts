/**
 * The first task's Node process, started by the CLI's boot before the CLI bundle loads (issue 17):
 * a short run's first task otherwise waits for a second Node start after the run is recorded.
 * Only for a command that will run tasks here (run, resume, spin; not with `--help`, `--with
 * slurm`, `spin --debug` or STEPWISE_TASK_SPARES=0). It is `node dist/early.js` (task/early.ts):
 * Node alone, waiting on stdin to be told which runtime copy to run, since which copy the run
 * uses is only known once the datastore is (scheduler/taskRuntime.ts). The runner takes it as
 * its first spare process or task host (scheduler/launchers/early.ts), or kills it.
 *
 * Nothing outlives the CLI: until it is taken, the process holds only the read end of a pipe whose
 * write end is this process's, so it exits when this process dies however it dies (SIGKILL
 * included); it is killed at exit if it was never taken; once taken, the runner's watchdog
 * guards it like any task process (scheduler/watchdog.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { EARLY_ARG } from '../task/spec';

/** Where the boot leaves it for the bundle (two bundles, one process: a registered symbol). */
export const EARLY_TASK = Symbol.for('stepwise.earlyTask');

export type EarlyIsolation = 'process' | 'thread';

export interface EarlyTask {
  child: ChildProcess;
  /** A spare task process (stdin, stdout, stderr) or a task host (plus an IPC channel). */
  isolation: EarlyIsolation;
  /** What it was started with: the runner takes it only for tasks of the same Node options. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The runner has taken it, or let it go: either way it is no longer offered. */
  taken: boolean;
}

const RUN_COMMANDS = new Set(['run', 'resume', 'spin']);

/** The value of `--name v` / `--name=v` among a command's arguments, every occurrence. */
function optionValues(args: string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}` && i + 1 < args.length) out.push(args[++i]);
    else if (args[i].startsWith(`--${name}=`)) out.push(args[i].slice(name.length + 3));
  }
  return out;
}

/**
 * How the command's tasks will run, read cheaply from the command line and environment (the CLI
 * reads them again, properly; when the two disagree the process is simply not taken), or
 * undefined when no local task process is wanted.
 */
export function earlyIsolation(argv: string[], env: NodeJS.ProcessEnv): EarlyIsolation | undefined {
  const [command, ...args] = argv;
  if (!RUN_COMMANDS.has(command) || env.STEPWISE_TASK_SPARES === '0') return undefined;
  if (args.includes('--help') || args.includes('-h') || (command === 'spin' && args.includes('--debug'))) return undefined;
  if (optionValues(args, 'with').some((w) => w.split(':')[0].trim() === 'slurm')) return undefined;
  const isolation = optionValues(args, 'task-isolation')[0] ?? env.STEPWISE_TASK_ISOLATION ?? '';
  if (isolation === '' || isolation === 'process') return 'process';
  return isolation === 'thread' ? 'thread' : undefined;
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Starts the early task process for this command line, when it is wanted (dist/early.js beside this file). */
export function startEarlyTask(argv: string[], dist: string): void {
  const isolation = earlyIsolation(argv, process.env);
  if (!isolation) return;
  try {
    const env = { ...process.env };
    const cwd = process.cwd();
    const child = spawn(process.execPath, [join(dist, 'early.js'), EARLY_ARG], {
      cwd,
      env,
      stdio: isolation === 'thread' ? ['pipe', 'pipe', 'pipe', 'ipc'] : ['pipe', 'pipe', 'pipe'],
      // Its own process group, as every task process: Ctrl-C in a terminal reaches the CLI only.
      detached: true,
    });
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    // Until it is taken it must not keep the CLI alive (a usage error exits as before).
    unref(child);
    const early: EarlyTask = { child, isolation, env, cwd, taken: false };
    (globalThis as Record<symbol, unknown>)[EARLY_TASK] = early;
    process.once('exit', () => {
      if (!early.taken && child.pid !== undefined) killGroup(child);
    });
  } catch {
    // The run starts its first task process itself.
  }
}

type Handle = { ref?: () => void; unref?: () => void } | null | undefined;

function handles(child: ChildProcess): Handle[] {
  return [child.stdin, child.stdout, child.stderr, child.channel] as unknown as Handle[];
}

function unref(child: ChildProcess): void {
  child.unref();
  for (const h of handles(child)) h?.unref?.();
}

/** Taken by the runner: it keeps the CLI alive again, as any task process it started. */
export function refEarly(child: ChildProcess): void {
  child.ref();
  for (const h of handles(child)) h?.ref?.();
}

export { killGroup as killEarly };
