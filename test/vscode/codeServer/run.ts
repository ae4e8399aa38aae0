/**
 * One whole test run through code-server: install (cached), start the server, open the
 * workbench with the extension under development and the suites, relay logs and screenshots,
 * and always end both processes.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCodeServer } from './install';
import { startCodeServer, type RunningCodeServer } from './server';
import { openWorkbench, type WorkbenchSession } from './browser';

export interface CodeServerRunOptions {
  repoRoot: string;
  cacheDir: string;
  chromiumPath: string;
  /** The folder to open, or a `.code-workspace` file (a multi-root workspace). */
  workspace: string;
  /** Open folders untrusted (Restricted Mode); default: trust disabled. */
  workspaceTrust?: boolean;
  /** A fresh folder for code-server's HOME and state. */
  stateDir: string;
  testsPath: string;
  /** The extension under development; default: the repository (the .vsix test points it at a probe). */
  extensionDevelopmentPath?: string;
  outputDir: string;
  screenshotDir: string;
  env: Record<string, string>;
  installTimeoutMs: number;
  runTimeoutMs: number;
  log: (msg: string) => void;
  /** Receives each line the extension host logs (the suites' reporter output among them). */
  onLog: (line: string) => void;
}

export async function runInCodeServer(opts: CodeServerRunOptions): Promise<number> {
  const install = await ensureCodeServer(opts.cacheDir, opts.installTimeoutMs, opts.log);
  const logDir = join(opts.outputDir, 'vscode');
  mkdirSync(logDir, { recursive: true });

  const t0 = Date.now();
  const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  let server: RunningCodeServer | undefined;
  let session: WorkbenchSession | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    server = await startCodeServer({
      entry: install.entry,
      stateDir: opts.stateDir,
      logFile: join(logDir, 'code-server.log'),
      env: opts.env,
      timeoutMs: 30_000,
      workspaceTrust: opts.workspaceTrust,
    });
    opts.log(`code-server listening on ${server.origin} (${since()})`);

    const remote = (p: string) => `vscode-remote://127.0.0.1:${server!.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(opts.extensionDevelopmentPath ?? opts.repoRoot)],
      ['extensionTestsPath', remote(opts.testsPath)],
    ];
    const open = opts.workspace.endsWith('.code-workspace') ? 'workspace' : 'folder';
    const url = `${server.origin}/?${open}=${encodeURIComponent(opts.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

    session = await openWorkbench({
      chromiumPath: opts.chromiumPath,
      url,
      screenshotDir: opts.screenshotDir,
      browserLogFile: join(logDir, 'browser.log'),
      onLog: opts.onLog,
    });
    opts.log(`workbench opened (${since()})`);

    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        opts.log(`timed out after ${opts.runTimeoutMs} ms waiting for the suites to finish`);
        resolve(1);
      }, opts.runTimeoutMs);
    });
    const code = await Promise.race([session.exitCode, timeout]);
    opts.log(`suites finished with exit code ${code} (${since()})`);
    // What the window showed at the end; most useful when something failed or hung.
    await session.screenshot(join(opts.screenshotDir, code === 0 ? 'final.png' : 'final-failed.png')).catch(() => undefined);
    if (code !== 0) printTail(server.logFile, opts.log);
    return code;
  } finally {
    if (timer) clearTimeout(timer);
    await session?.close().catch(() => undefined);
    await server?.kill();
  }
}

function printTail(file: string, log: (msg: string) => void): void {
  if (!existsSync(file)) return;
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-30);
  log(`last lines of ${file}:\n${lines.join('\n')}`);
}
