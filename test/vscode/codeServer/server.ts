/**
 * One code-server process for one test run: a fresh HOME, user-data and extensions folder, an
 * OS-chosen loopback port read back from its log, and a kill that takes its children along.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';

export interface RunningCodeServer {
  port: number;
  origin: string;
  /** Everything the server printed, for the failure report. */
  logFile: string;
  /** Ends the process group (server, its file watcher, the extension host). Safe to call twice. */
  kill(): Promise<void>;
}

export interface StartOptions {
  entry: string;
  /** A fresh folder; becomes HOME and holds user data and extensions. */
  stateDir: string;
  logFile: string;
  /** Extra environment for the server; the extension host inherits it. */
  env: Record<string, string>;
  timeoutMs: number;
  /**
   * Workspace trust as a user meets it: folders open untrusted (Restricted Mode) without the
   * start-up prompt. Default: trust is disabled, so every folder is trusted.
   */
  workspaceTrust?: boolean;
}

const LISTENING = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//;

export async function startCodeServer(opts: StartOptions): Promise<RunningCodeServer> {
  const userData = join(opts.stateDir, 'user-data');
  const extensions = join(opts.stateDir, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'security.workspace.trust.enabled': opts.workspaceTrust === true,
        ...(opts.workspaceTrust ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' } : {}),
      },
      null,
      2,
    ),
  );

  const log = createWriteStream(opts.logFile);
  const child = spawn(
    process.execPath,
    [
      opts.entry,
      '--bind-addr',
      '127.0.0.1:0',
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensions,
    ],
    {
      cwd: opts.stateDir,
      env: { ...process.env, ...opts.env, HOME: opts.stateDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that kill() reaches the extension host it forks.
      detached: true,
    },
  );
  const kill = groupKiller(child);
  const onExit = () => kill.now();
  process.once('exit', onExit);

  try {
    const port = await new Promise<number>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${opts.timeoutMs} ms`)), opts.timeoutMs);
      const onData = (chunk: Buffer) => {
        seen += chunk.toString();
        const m = LISTENING.exec(seen);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited early (${code ?? signal}); see ${opts.logFile}`));
      });
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const origin = `http://127.0.0.1:${port}`;
    await waitHealthy(origin, opts.timeoutMs);
    return {
      port,
      origin,
      logFile: opts.logFile,
      kill: async () => {
        process.removeListener('exit', onExit);
        await kill.gracefully();
        log.end();
      },
    };
  } catch (e) {
    process.removeListener('exit', onExit);
    await kill.gracefully();
    log.end();
    throw e;
  }
}

function groupKiller(child: ChildProcess) {
  let exited = child.exitCode !== null || child.signalCode !== null;
  const exitedPromise = new Promise<void>((resolve) => {
    if (exited) resolve();
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // The group is gone already.
    }
  };
  return {
    now: () => signal('SIGKILL'),
    gracefully: async () => {
      if (!exited) signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 3000);
      await exitedPromise;
      clearTimeout(timer);
      // Stragglers of the group (the extension host, watchers) die with it.
      signal('SIGKILL');
    },
  };
}

/** Polls /healthz until it answers 200: the server's own readiness signal. */
async function waitHealthy(origin: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await new Promise<number>((resolve) => {
      const req = get(`${origin}/healthz`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
    });
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${origin}/healthz did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
