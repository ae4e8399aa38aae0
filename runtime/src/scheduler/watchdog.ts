/**
 * The runner's watchdog: one small process per runner that kills the runner's task processes
 * when the runner is gone. A runner killed with SIGKILL (or crashing) cannot kill its tasks
 * itself, and a task busy in `while (true) {}` cannot notice anything: so a process outside both
 * holds the read end of a pipe whose write end only the runner has. The kernel closes that pipe
 * when the runner dies, however it dies; the watchdog then SIGKILLs every task process group it
 * was told about, within milliseconds, and exits.
 *
 * One process per runner, started with the first task, rather than a thread in every task (the
 * per-task overhead figure of `npm run bench -- runtime`). Where there is a POSIX shell it is a
 * `/bin/sh` script (SHELL_PROGRAM): a shell starts in about a millisecond, where a Node start costs
 * about as much CPU as a bare `node -e 0` in every run, while the run's own processes start (the
 * 3-task hello of `npm run bench -- isolation`). Elsewhere it is Node (PROGRAM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The watchdog's program, given to `node -e`: it needs nothing from dist/, so a rebuilt
 * installation cannot break it. Lines on stdin: `+PID` (a task process group started),
 * `-PID` (it has exited). End of input: the runner is gone.
 */
const PROGRAM = `
const groups = new Set();
let pending = '';
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
process.on('SIGTERM', () => {});
const killAll = () => {
  for (const pid of groups) {
    try { process.kill(-pid, 'SIGKILL'); } catch { try { process.kill(pid, 'SIGKILL'); } catch {} }
  }
  process.exit(0);
};
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let nl;
  while ((nl = pending.indexOf('\\n')) >= 0) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    const pid = Number(line.slice(1));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (line[0] === '+') groups.add(pid); else groups.delete(pid);
  }
});
process.stdin.on('end', killAll);
process.stdin.on('error', killAll);
`;

/**
 * The same program for /bin/sh (POSIX: dash, bash, busybox ash), all builtins: the set of groups is
 * a space-separated list; `read` fails at the end of input, and every group left is killed.
 */
const SHELL_PROGRAM = `
trap '' INT HUP TERM
groups=
while IFS= read -r line; do
  pid=\${line#?}
  case $pid in ''|*[!0-9]*) continue ;; esac
  case $line in
    +*) groups="$groups $pid" ;;
    -*) rest=; for g in $groups; do [ "$g" = "$pid" ] || rest="$rest $g"; done; groups=$rest ;;
  esac
done
for g in $groups; do kill -KILL -"$g" 2>/dev/null || kill -KILL "$g" 2>/dev/null; done
exit 0
`;

const SHELL = '/bin/sh';

export class Watchdog {
  private child: ChildProcess | undefined;

  /**
   * A started task process (or task host), whose group the watchdog must kill if the runner
   * dies before it exits: from now until its exit.
   */
  guard(child: ChildProcess): void {
    const pid = child.pid!;
    this.send(`+${pid}\n`);
    child.once('exit', () => this.send(`-${pid}\n`));
  }

  private send(line: string): void {
    const stdin = this.ensure().stdin;
    if (stdin && !stdin.destroyed) stdin.write(line);
  }

  private ensure(): ChildProcess {
    if (this.child) return this.child;
    const shell = process.platform !== 'win32' && existsSync(SHELL);
    const child = spawn(shell ? SHELL : process.execPath, shell ? ['-c', SHELL_PROGRAM] : ['-e', PROGRAM], {
      // Its own process group: a Ctrl-C or a hang-up of the runner's terminal does not reach it;
      // it outlives the runner exactly as long as it takes to kill the tasks.
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      // NODE_OPTIONS of the user's (a --require, an inspector) must not apply to it.
      env: { PATH: process.env.PATH ?? '' },
    });
    // The runner exits when its work is done, whatever the watchdog does; its end of the pipe
    // closes then, and the watchdog (with no task left to kill) exits too.
    child.unref();
    const stdin = child.stdin!;
    (stdin as unknown as { unref?: () => void }).unref?.();
    // A watchdog that could not start, or died, leaves the runner as it was before watchdogs.
    child.on('error', () => undefined);
    stdin.on('error', () => undefined);
    this.child = child;
    return child;
  }
}

/** The one watchdog of this runner process (every scheduler's local tasks report to it). */
let shared: Watchdog | undefined;
export function runnerWatchdog(): Watchdog {
  return (shared ??= new Watchdog());
}
