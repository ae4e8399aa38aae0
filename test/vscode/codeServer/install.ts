/**
 * Installs code-server (a real VS Code served to a browser) into a cache folder, not as a
 * dependency of the project: it is 300 MB and builds native modules, and only the in-VS-Code
 * tests need it. A second call finds the finished install and returns at once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** 4.100.3 = VS Code 1.100.3, the last code-server release that runs on Node 20. */
export const CODE_SERVER_VERSION = '4.100.3';

/** `@vscode/ripgrep`'s postinstall looks here before it tries to download from GitHub. */
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export interface CodeServerInstall {
  /** The script to run with `node` (code-server's bin). */
  entry: string;
  cacheDir: string;
}

export function defaultCacheDir(repoRoot: string): string {
  return process.env.STEPWISE_VSCODE_CACHE || join(repoRoot, '.cache', 'code-server');
}

function paths(cacheDir: string) {
  const pkg = join(cacheDir, 'node_modules', 'code-server');
  return {
    pkg,
    entry: join(pkg, 'out', 'node', 'entry.js'),
    // The postinstall's nested install; without it the server starts but the workbench is empty.
    vscodeModules: join(pkg, 'lib', 'vscode', 'node_modules'),
    marker: join(cacheDir, `installed-${CODE_SERVER_VERSION}.json`),
    log: join(cacheDir, 'install.log'),
    tmp: join(cacheDir, 'tmp'),
  };
}

/** The install in `cacheDir` when it is complete, else undefined. */
export function findInstall(cacheDir: string): CodeServerInstall | undefined {
  const p = paths(cacheDir);
  if (existsSync(p.marker) && existsSync(p.entry) && existsSync(p.vscodeModules)) {
    return { entry: p.entry, cacheDir };
  }
  return undefined;
}

export function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** Puts the machine's `rg` where `@vscode/ripgrep` looks for its download cache. */
function seedRipgrepCache(tmp: string): void {
  const rg = which('rg');
  if (!rg) {
    throw new Error('ripgrep is not installed (apt-get install ripgrep): code-server cannot download its own copy here');
  }
  const dir = join(tmp, RIPGREP_CACHE);
  const archive = join(dir, RIPGREP_ARCHIVE);
  if (existsSync(archive)) return;
  mkdirSync(dir, { recursive: true });
  const staging = join(tmp, 'rg-staging');
  mkdirSync(staging, { recursive: true });
  copyFileSync(rg, join(staging, 'rg'));
  const tar = spawnSync('tar', ['-C', staging, '-czf', archive, 'rg'], { stdio: 'inherit' });
  rmSync(staging, { recursive: true, force: true });
  if (tar.status !== 0) throw new Error(`tar failed making ${archive}`);
}

function installEnv(tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: tmp,
    npm_config_yes: 'true',
    npm_config_unsafe_perm: 'true',
    // code-server's postinstall runs a nested npm install that builds native modules.
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  // node-gyp must build against the machine's Node headers; it cannot download them here.
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node_version.h')) env.npm_config_nodedir = '/usr';
  return env;
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Installs code-server into `cacheDir` unless a complete install is already there. */
export async function ensureCodeServer(cacheDir: string, timeoutMs: number, log: (msg: string) => void): Promise<CodeServerInstall> {
  const found = findInstall(cacheDir);
  if (found) return found;

  const p = paths(cacheDir);
  mkdirSync(p.tmp, { recursive: true });
  if (!existsSync(join(cacheDir, 'package.json'))) {
    writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ name: 'stepwise-code-server-cache', private: true }, null, 2) + '\n');
  }
  seedRipgrepCache(p.tmp);

  log(`installing code-server ${CODE_SERVER_VERSION} into ${cacheDir} (log: ${p.log})`);
  const started = Date.now();
  const out = createWriteStream(p.log);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawn(npm, ['install', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: cacheDir,
    env: installEnv(p.tmp),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  await new Promise<void>((resolve) => out.end(resolve));

  if (code !== 0 || !existsSync(p.entry) || !existsSync(p.vscodeModules)) {
    throw new Error(`installing code-server failed (exit ${code}); last lines of ${p.log}:\n${tail(p.log, 40)}`);
  }
  writeFileSync(p.marker, JSON.stringify({ version: CODE_SERVER_VERSION, installedAt: new Date().toISOString() }) + '\n');
  log(`installed code-server in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { entry: p.entry, cacheDir };
}
