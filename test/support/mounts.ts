/**
 * Real read-only and full file systems for storage tests. Root ignores file modes, so a chmod
 * cannot make a datastore read-only for it: these tests mount instead, in a private mount
 * namespace (`unshare -m`) held open by a sleeping process, and run the CLI inside it with
 * `nsenter`. The mounts vanish with the holder, even if a test dies half-way.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, type CliResult } from './cli';

/** Why this machine cannot run the mount tests, or undefined when it can. */
export function mountUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'mounting needs root (CI runs as root)';
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], {
    encoding: 'utf8',
  });
  if (r.error) return `unshare is missing (${r.error.message}); install util-linux`;
  if (r.status !== 0) return `this machine does not allow a private mount namespace: ${r.stderr.trim()}`;
  return undefined;
}

/** Why the CLI cannot run as the unprivileged user `nobody` here, or undefined when it can. */
export function nobodyUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'running as another user needs root';
  const r = spawnSync('runuser', [
    '-u',
    'nobody',
    '--',
    process.execPath,
    '-e',
    `require(${JSON.stringify(cliPath)}.replace(/cli\\.js$/, 'api.js'))`,
  ]);
  if (r.error) return `runuser is missing (${r.error.message}); install util-linux`;
  if (r.status !== 0) return `user nobody cannot run this checkout's dist/ (${String(r.stderr).trim().split('\n')[0]})`;
  return undefined;
}

export class MountNamespace {
  private constructor(
    private readonly holder: ChildProcess,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** A namespace in which `script` (sh) has run: e.g. mounts a tmpfs or re-mounts a folder read-only. */
  static create(script: string, env: NodeJS.ProcessEnv = {}): Promise<MountNamespace> {
    const holder = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', `${script} && echo ready && exec sleep 100000`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    holder.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    return new Promise((resolve, reject) => {
      holder.stdout!.setEncoding('utf8').on('data', (d: string) => {
        if (d.includes('ready')) resolve(new MountNamespace(holder, env));
      });
      holder.on('exit', (code) => reject(new Error(`mount namespace setup failed (${code}): ${err}`)));
    });
  }

  /** Runs the CLI inside the namespace. */
  cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, user?: string): Promise<CliResult> {
    const asUser = user ? ['runuser', '-u', user, '--'] : [];
    const argv = ['-t', String(this.holder.pid), '-m', `--wd=${cwd}`, '--', ...asUser, process.execPath, cliPath, ...args];
    return run('nsenter', argv, cwd, { ...this.env, ...env });
  }

  dispose(): void {
    this.holder.kill('SIGKILL');
  }
}

/** Runs the CLI as another user (outside any namespace). */
export function cliAs(user: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return run('runuser', ['-u', user, '--', process.execPath, cliPath, ...args], cwd, env);
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, FORCE_COLOR: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every file under `dir` with its size and content, to show a failed command changed nothing. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p] = readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}

/** Makes a test workspace readable by other users (mkdtemp makes it private). */
export function openToOthers(dir: string): void {
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    chmodSync(p, statSync(p).isDirectory() ? 0o755 : 0o644);
  }
}
