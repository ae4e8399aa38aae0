/**
 * The npm package as a user gets it: `npm pack` of the repository (its built dist/, so the
 * package's `prepare` build is skipped) and a fresh project that installs the tarball. Installs
 * prefer npm's cache (a CI machine has what `npm ci` put there) and fall back to the registry.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli';

export interface NpmResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The environment for an npm started by a test: without the `npm_*` variables of an enclosing
 * `npm test` (its package, its prefix), which would point npm back at the repository.
 */
export function npmEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig', 'npm_config_nodedir']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) || keep.has(k.toLowerCase())) env[k] = v;
  return { ...env, FORCE_COLOR: '0', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

export function npm(args: string[], cwd: string, timeoutMs = 10 * 60_000): NpmResult {
  const t0 = Date.now();
  const r = spawnSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', timeout: timeoutMs });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

function mustSucceed(what: string, r: NpmResult): NpmResult {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

export interface PackedTarball {
  file: string;
  /** What npm reported: the tarball's size, its unpacked size, and its files. */
  size: number;
  unpackedSize: number;
  files: string[];
}

/** `npm pack` of the repository into `dest`. */
export function packRepository(dest: string): PackedTarball {
  mkdirSync(dest, { recursive: true });
  const r = mustSucceed('npm pack', npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dest], repoRoot));
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{
    filename: string;
    size: number;
    unpackedSize: number;
    files: Array<{ path: string }>;
  }>;
  return { file: join(dest, info.filename), size: info.size, unpackedSize: info.unpackedSize, files: info.files.map((f) => f.path) };
}

/** The version the repository's lockfile pins for a package (so installs can come from npm's cache). */
export function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const v = lock.packages[`node_modules/${name}`]?.version;
  if (!v) throw new Error(`${name} is not in package-lock.json`);
  return v;
}

/** `npm install` in `dir`, cache first. */
export function npmInstall(dir: string, specs: string[], dev = false): NpmResult {
  return mustSucceed(
    `npm install ${specs.join(' ')}`,
    npm(['install', ...(dev ? ['--save-dev'] : []), '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], dir),
  );
}

/** A fresh project folder (`npm init`'s package.json) with the tarball as a dev dependency. */
export function projectWithTarball(dir: string, tarball: string): NpmResult {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'stepwise-user-project', version: '1.0.0', private: true, type: 'commonjs' }, null, 2) + '\n',
  );
  return npmInstall(dir, [tarball], true);
}

/**
 * The same package under another version: the tarball unpacked, its package.json's version set,
 * packed again. Lets a test tell an installed Stepwise from the extension's own by version (and
 * make one the extension cannot use, with `edit`).
 */
export function repackAsVersion(
  tarball: string,
  version: string,
  dest: string,
  /** Further changes to the package's manifest (another `stepwise.editorProtocol`…). */
  edit?: (manifest: Record<string, unknown>) => void,
): string {
  const work = join(dest, `repack-${version}`);
  mkdirSync(work, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', work], { encoding: 'utf8' });
  if (untar.status !== 0) throw new Error(`tar -xzf ${tarball}: ${untar.stderr}`);
  const manifestFile = join(work, 'package', 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
  manifest.version = version;
  edit?.(manifest);
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  const r = mustSucceed(
    'npm pack (repack)',
    npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dest, join(work, 'package')], dest),
  );
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string }>;
  return join(dest, info.filename);
}
