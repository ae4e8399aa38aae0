/**
 * Loads a large bundle, and the TypeScript compiler it requires (9 MB, a dependency), with V8's
 * code cache, so a command, the debug adapter or the language server does not re-parse and
 * re-compile them on every start (the whole-process `stepwise --help` figure of
 * `npm run bench -- cli` is measured with it).
 *
 * Node ≥ 22.1 has this built in (module.enableCompileCache); on Node 20 the bundle is compiled
 * through vm.Script with cached data. The cache is written once the process has done some work
 * (at exit, or 5 s in), so it holds the functions it actually ran, not only the top level. It
 * is keyed by the bundle's size and mtime and by the Node version: V8 itself checks only the
 * source's length, and a stale cache for a rebuilt bundle must never be used. Any problem with the cache falls back to
 * a plain load; the cache is an aid, never needed.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { taskContextHook } from '../task/contextHook';

interface ModuleInternals {
  enableCompileCache?: (dir?: string) => unknown;
  wrap(source: string): string;
  _nodeModulePaths(dir: string): string[];
}

const internals = Module as unknown as ModuleInternals;

/** How the last bundle was loaded (tests and diagnosis). */
export type CacheOutcome = 'hit' | 'miss' | 'rejected' | 'node-compile-cache' | 'off';
let outcome: CacheOutcome = 'off';
export function lastLoadOutcome(): CacheOutcome {
  return outcome;
}

/** Where the cache lives: beside the bundle when that folder is writable, else in the temp dir. */
function cacheDirs(bundle: string): string[] {
  const given = process.env.STEPWISE_CODE_CACHE_DIR;
  if (given) return [given];
  return [join(dirname(bundle), '.code-cache'), join(tmpdir(), `stepwise-code-cache-${process.getuid?.() ?? 'user'}`)];
}

/** FNV-1a of the bundle's folder: installs sharing the temp dir keep their own caches. */
function folderTag(bundle: string): string {
  let h = 0x811c9dc5;
  for (const c of dirname(bundle)) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16);
}

/** Earlier builds of this bundle (same folder) share this prefix. */
function cachePrefix(bundle: string): string {
  return `${basename(bundle)}-${folderTag(bundle)}-`;
}

function cacheName(bundle: string): string {
  const st = statSync(bundle);
  return `${cachePrefix(bundle)}${st.size}-${Math.round(st.mtimeMs)}-${process.version}-${process.arch}.bin`;
}

function readCache(dirs: string[], name: string): Buffer | undefined {
  for (const d of dirs) {
    try {
      return readFileSync(join(d, name));
    } catch {
      // not there: try the next place
    }
  }
  return undefined;
}

/**
 * Atomic (temp file + rename), so a concurrent reader never sees half a cache. The caches of
 * earlier builds of the same bundle are removed: they can never match again.
 */
function writeCache(dirs: string[], bundle: string, name: string, data: Buffer): void {
  const prefix = cachePrefix(bundle);
  for (const d of dirs) {
    try {
      mkdirSync(d, { recursive: true });
      const tmp = join(d, `${name}.${process.pid}.tmp`);
      writeFileSync(tmp, data);
      renameSync(tmp, join(d, name));
      for (const old of readdirSync(d)) {
        if (old !== name && old.startsWith(prefix) && old.endsWith('.bin')) rmSync(join(d, old), { force: true });
      }
      return;
    } catch {
      // read-only (an installed extension, say): try the next place
    }
  }
}

/**
 * Compiles `file` into `mod` (a module Node has created, or one made here) with the code cache
 * kept in `dirs`, and runs it as Node's CommonJS loader would.
 */
function compileInto(mod: Module, file: string, dirs: string[]): CacheOutcome {
  const name = cacheName(file);
  const cached = readCache(dirs, name);
  // A #! line is legal at the top of a script file, not inside the module wrapper.
  const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
  // No importModuleDynamically: code from the cache loses it on Node 20, so the bundles use
  // require (a dynamic import() in them would throw ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING).
  const script = new Script(internals.wrap(source), { filename: file, ...(cached ? { cachedData: cached } : {}) });
  const result: CacheOutcome = !cached ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  if (result !== 'hit') {
    // At exit for a command; a few seconds in for a long-lived process (the language server is
    // usually killed rather than exited), once it has run its first work.
    let saved = false;
    const save = () => {
      if (saved) return;
      saved = true;
      try {
        writeCache(dirs, file, name, script.createCachedData());
      } catch {
        // the next start compiles again
      }
    };
    process.once('exit', save);
    setTimeout(save, 5_000).unref();
  }
  mod.filename = file;
  mod.paths = internals._nodeModulePaths(dirname(file));
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  return result;
}

/**
 * Makes Node's own loading of these files (a dependency's main file, found as `require` from the
 * bundle would find it) go through the cache too, kept with the bundle's. A dependency that is
 * not installed is left to fail where it is required, with Node's own message.
 */
function cacheDependencies(bundle: string, dependencies: string[]): void {
  const files = new Set<string>();
  const from = createRequire(bundle);
  for (const d of dependencies) {
    try {
      files.add(from.resolve(d));
    } catch {
      // not installed: nothing to speed up
    }
  }
  if (files.size === 0) return;
  const dirs = cacheDirs(bundle);
  const extensions = (Module as unknown as { _extensions: Record<string, (m: Module, f: string) => void> })._extensions;
  const js = extensions['.js'];
  extensions['.js'] = function (mod, file) {
    if (files.has(file)) compileInto(mod, file, dirs);
    else js.call(this, mod, file);
  };
}

/**
 * `require(bundle)`, with V8's code cache; `dependencies` (package names the bundle requires,
 * such as `typescript`) are loaded through the cache as well.
 */
export function loadBundle(bundle: string, parent: NodeModule, dependencies: string[] = []): unknown {
  outcome = 'off';
  // In a task thread's context its own loader compiles each file once per thread, in the task's realm.
  if (process.env.STEPWISE_CODE_CACHE === '0' || taskContextHook()) return parent.require(bundle);
  if (internals.enableCompileCache) {
    outcome = 'node-compile-cache';
    try {
      internals.enableCompileCache(process.env.STEPWISE_CODE_CACHE_DIR ?? cacheDirs(bundle)[1]);
    } catch {
      // a plain load
    }
    return parent.require(bundle);
  }
  cacheDependencies(bundle, dependencies);
  const mod = new Module(bundle, parent);
  outcome = compileInto(mod, bundle, cacheDirs(bundle));
  return mod.exports;
}
