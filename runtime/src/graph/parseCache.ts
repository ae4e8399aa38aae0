/**
 * What parsing a file produced (a flow's graph, a module's import list), kept on disk by a digest
 * of everything it depends on: the file's text and name, this build of Stepwise and the
 * TypeScript compiler that parsed it. A `stepwise run` of a flow that has not changed then
 * starts without loading the compiler (a tenth of a second or more of every run's start, the
 * `isolation` group of `npm run bench`); any change to the text, to Stepwise or to TypeScript
 * is a different digest, so a stale entry is never read. Lint itself always runs, on the graph.
 *
 * Entries live with the code cache (STEPWISE_CODE_CACHE_DIR, else a folder of the temp dir owned
 * by this user); `STEPWISE_CODE_CACHE=0` turns both off. Any problem with the cache means
 * parsing again: the cache is an aid, never needed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { packageVersion } from '../paths';

/** Entries kept; the oldest beyond this are removed when one is written. */
const MAX_ENTRIES = 500;

let folder: string | null | undefined;

/** The cache folder, made private to this user; null when there is none to use. */
function cacheFolder(): string | null {
  if (folder !== undefined) return folder;
  folder = null;
  if (process.env.STEPWISE_CODE_CACHE === '0') return folder;
  const uid = process.getuid?.();
  const dir = process.env.STEPWISE_CODE_CACHE_DIR
    ? join(process.env.STEPWISE_CODE_CACHE_DIR, 'parsed')
    : join(tmpdir(), `stepwise-parsed-${uid ?? 'user'}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // In a shared temp dir, a folder someone else made could hold entries they wrote.
    if (uid !== undefined && statSync(dir).uid !== uid) return folder;
    folder = dir;
  } catch {
    // not writable: parse every time
  }
  return folder;
}

let build: string | undefined;

/** This build of Stepwise and of the TypeScript compiler: a rebuild or an upgrade of either is a new key. */
function buildTag(): string {
  if (build !== undefined) return build;
  const stamp = (file: string) => {
    const st = statSync(file);
    return `${file}:${st.size}:${st.mtimeMs}`;
  };
  build = [packageVersion(), stamp(__filename), stamp(require.resolve('typescript'))].join('\n');
  return build;
}

function keyOf(kind: string, parts: string[]): string | undefined {
  try {
    const h = createHash('sha256').update(`${kind}\0${buildTag()}`);
    for (const p of parts) h.update(`\0${p.length}\0${p}`);
    return `${kind}-${h.digest('hex').slice(0, 40)}.json`;
  } catch {
    return undefined;
  }
}

/**
 * `compute()`'s result for these parts (the text parsed and anything else it depends on), from
 * the cache when an earlier process computed it for exactly the same parts and build. Results
 * must be plain JSON data.
 */
export function cachedParse<T>(kind: string, parts: string[], compute: () => T): T {
  const dir = cacheFolder();
  const name = dir ? keyOf(kind, parts) : undefined;
  if (!dir || !name) return compute();
  try {
    return JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
  } catch {
    // not there (or damaged): compute it
  }
  const value = compute();
  // Only what JSON gives back unchanged (a literal like 1e999 reads as Infinity, which JSON cannot hold).
  const text = JSON.stringify(value);
  if (isDeepStrictEqual(JSON.parse(text), value)) write(dir, name, text);
  return value;
}

/** Atomic (temp file + rename): a concurrent reader never sees half an entry. */
function write(dir: string, name: string, text: string): void {
  try {
    const tmp = join(dir, `${name}.${process.pid}.tmp`);
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, join(dir, name));
    prune(dir);
  } catch {
    // the next process parses again
  }
}

function prune(dir: string): void {
  const names = readdirSync(dir);
  if (names.length <= MAX_ENTRIES) return;
  const aged = names.map((n) => ({ n, t: statSync(join(dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 })).sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - MAX_ENTRIES / 2)) rmSync(join(dir, n), { force: true });
}
