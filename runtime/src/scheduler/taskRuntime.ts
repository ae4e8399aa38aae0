/**
 * The runtime a run's task processes load, fixed for the whole run (issue 11).
 *
 * A task process starts from files on disk (dist/task.js and what it loads), so a run that took
 * minutes used to pick up whatever `npm run build`, `npm pack` or an upgrade had left in dist/ by
 * the time its next task started: a runner of one build driving tasks of another (or a file
 * half written). So a run copies those files once, when it starts, into a content-addressed
 * folder beside the store's compiled-flow cache (`<cache>/runtime/<sha256>/`, written atomically
 * and shared by every run of the same build), and every task of the run (resume, spin, the
 * debugger's and Slurm's included) starts from that copy. The copy is a package of its own
 * (a package.json named stepwise), so what a task finds through `packageRoot()` is the copy too.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Datastore } from '../datastore/datastore';
import { asStorageError } from '../datastore/storageError';
import { packageRoot, packageVersion } from '../paths';
import { UsageError } from '../errors';

/**
 * What a task process loads from dist/: the task bundle; the flow API and client a flow imports
 * (task/flowModule.ts); the debugger's preload; the S3 SDK bundle and the thread that fetches
 * blobs with it (loaded only with an S3 store); the task host of --task-isolation thread, which
 * runs task.js from its own folder in threads (launchers/thread.ts). Not their source maps: the npm package and the
 * .vsix ship none, a task loads these files before it turns source maps on, and the debugger skips
 * them; leaving them out keeps a copy at 1.7 MB instead of 4.5 MB.
 */
export const TASK_RUNTIME_FILES = [
  'task.js',
  'api.js',
  'client.js',
  'inspectorPreload.js',
  'aws-s3.js',
  's3fetch.js',
  'taskHost.js',
  'taskThread.js',
];

/** Where a task process starts from. */
export interface TaskRuntime {
  /** The package folder (the installation itself, or a run's copy of it). */
  root: string;
  /** `dist/task.js` there. */
  entry: string;
  /** `dist/inspectorPreload.js` there (tasks under the debugger). */
  preload: string;
}

/** The name of the list of the copy's files and sizes, written last: a copy without it is incomplete. */
const MANIFEST = 'files.json';
/** Copies unused (not started from) for this long are removed when a new one is written. */
const STALE_MS = 30 * 24 * 3600_000;

export function runtimeAt(root: string): TaskRuntime {
  return { root, entry: join(root, 'dist', 'task.js'), preload: join(root, 'dist', 'inspectorPreload.js') };
}

/** The installation this process runs from, used as is (a task wrapper, or no run to pin it for). */
export function installedRuntime(): TaskRuntime {
  const rt = runtimeAt(packageRoot());
  if (!existsSync(rt.entry)) throw incompleteInstallation(rt.entry);
  return rt;
}

/** The folder of a store's runtime copies: beside its compiled-flow cache (`.stepwise/.cache/`, or the S3 store's local cache). */
export function runtimeCacheDir(store: Datastore): string {
  return join(dirname(store.codeCacheDir), 'runtime');
}

/**
 * Copies made by this process, by cache folder: a process that starts several runs (a debug
 * adapter, a test) gives them all the runtime of its first, which matches the runner code it
 * holds in memory even if dist/ has been rebuilt since.
 */
const made = new Map<string, TaskRuntime>();

/** The run's copy of the installed task runtime in `cacheDir` (made, or reused when already there and complete). */
export async function pinTaskRuntime(cacheDir: string): Promise<TaskRuntime> {
  const known = made.get(cacheDir);
  if (known && (await complete(known.root))) return known;
  const rt = runtimeAt((await stampedCopy(cacheDir)) ?? (await copyOf(cacheDir)));
  made.set(cacheDir, rt);
  return rt;
}

/** Reads and digests the installed files, and makes their copy unless it is there whole. */
async function copyOf(cacheDir: string): Promise<string> {
  const stamp = installedStamp();
  const files = readInstalled();
  const root = join(cacheDir, digest(files));
  try {
    if (await complete(root)) await markUsed(root);
    else {
      await write(cacheDir, root, files);
      await prune(cacheDir, root);
    }
    await rememberStamp(cacheDir, stamp, root);
  } catch (err) {
    throw asStorageError(err, root) ?? err;
  }
  return root;
}

/** Marks a copy in use, so pruning leaves it alone. */
async function markUsed(root: string): Promise<void> {
  const now = new Date();
  await fs.utimes(root, now, now).catch(() => undefined);
}

/**
 * The installed files as the file system describes them (name, size, mtime, inode), without
 * reading them: a rebuild or reinstall changes it. An earlier run of the same installation wrote
 * down which copy that stamp digests to, so a run does not read and hash 1.7 MB again to find its
 * copy (the start of every run: the `isolation` group of `npm run bench`).
 */
function installedStamp(): string {
  const dist = join(packageRoot(), 'dist');
  const parts = [packageVersion()];
  for (const name of TASK_RUNTIME_FILES) {
    const st = statSync(join(dist, name), { throwIfNoEntry: false });
    parts.push(st ? `${name}:${st.size}:${st.mtimeMs}:${st.ino}` : `${name}:missing`);
  }
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/** Stamp → copy notes (kept by prune; a missing note only means digesting the files once more). */
const STAMPS = '.stamps';

/** The copy an earlier run found for this stamp, when it is still there whole. */
async function stampedCopy(cacheDir: string): Promise<string | undefined> {
  try {
    const name = (await fs.readFile(join(cacheDir, STAMPS, installedStamp()), 'utf8')).trim();
    const root = join(cacheDir, name);
    if (!/^[0-9a-f]{32}$/.test(name) || !(await complete(root))) return undefined;
    await markUsed(root);
    return root;
  } catch {
    return undefined;
  }
}

async function rememberStamp(cacheDir: string, stamp: string, root: string): Promise<void> {
  const dir = join(cacheDir, STAMPS);
  const tmp = join(dir, `${stamp}.${process.pid}.tmp`);
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(tmp, basename(root));
    await fs.rename(tmp, join(dir, stamp));
  } catch {
    // the next run digests the files again
  }
}

/**
 * A file tasks need is not in the installation (a partial install or an unfinished build): the
 * user's to fix, so a usage error (exit 2) naming the file and both fixes, never "internal error".
 */
function incompleteInstallation(file: string): UsageError {
  return new UsageError(
    `the Stepwise installation at ${packageRoot()} is incomplete: ${file} is missing. Reinstall it (npm i -D stepwise), or in a checkout of Stepwise run npm run build.`,
  );
}

/** The installed files (relative paths → bytes), plus the copy's own package.json. */
function readInstalled(): Map<string, Buffer> {
  const dist = join(packageRoot(), 'dist');
  const files = new Map<string, Buffer>();
  for (const name of TASK_RUNTIME_FILES) {
    const file = join(dist, name);
    if (!existsSync(file)) throw incompleteInstallation(file);
    files.set(`dist/${name}`, readFileSync(file));
  }
  const manifest = {
    name: 'stepwise',
    version: packageVersion(),
    private: true,
    description: "A run's copy of the Stepwise task runtime.",
  };
  files.set('package.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
  return files;
}

function digest(files: Map<string, Buffer>): string {
  const h = createHash('sha256');
  for (const [name, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    h.update(`${name}\0${bytes.length}\0`);
    h.update(bytes);
  }
  return h.digest('hex').slice(0, 32);
}

/** Every file the manifest lists is there with its size (the folder only appears whole, by rename; this catches later damage). */
async function complete(root: string): Promise<boolean> {
  try {
    const sizes = JSON.parse(await fs.readFile(join(root, MANIFEST), 'utf8')) as Record<string, number>;
    const entries = Object.entries(sizes);
    if (!entries.length) return false;
    for (const [name, size] of entries) if ((await fs.stat(join(root, name))).size !== size) return false;
    return true;
  } catch {
    return false;
  }
}

/** Writes the copy in a temporary folder, then renames it into place (a damaged copy there is replaced). */
async function write(cacheDir: string, root: string, files: Map<string, Buffer>): Promise<void> {
  const tmp = join(cacheDir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await fs.mkdir(join(tmp, 'dist'), { recursive: true });
    const sizes: Record<string, number> = {};
    for (const [name, bytes] of files) {
      await fs.writeFile(join(tmp, name), bytes);
      sizes[name] = bytes.length;
    }
    await fs.writeFile(join(tmp, MANIFEST), JSON.stringify(sizes, null, 2) + '\n');
    try {
      await fs.rename(tmp, root);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      // Another run wrote the same copy meanwhile (then it is complete), or a damaged one is in the way.
      if (await complete(root)) return;
      const aside = join(cacheDir, `.damaged-${process.pid}-${randomBytes(4).toString('hex')}`);
      await fs.rename(root, aside);
      await fs.rename(tmp, root);
      await fs.rm(aside, { recursive: true, force: true });
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Removes copies no run has started from for a month (each build leaves one), and leftovers of interrupted writes. */
async function prune(cacheDir: string, keep: string): Promise<void> {
  const now = Date.now();
  for (const name of await fs.readdir(cacheDir).catch(() => [] as string[])) {
    const dir = join(cacheDir, name);
    if (dir === keep || name === STAMPS) continue;
    const st = await fs.stat(dir).catch(() => undefined);
    if (!st || now - st.mtimeMs < (name.startsWith('.') ? 3600_000 : STALE_MS)) continue;
    await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
