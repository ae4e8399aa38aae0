/**
 * Loads a large bundle (the CLI's 14 MB, TypeScript inside) with V8's code cache, so a command,
 * the debug adapter or the language server does not re-parse and re-compile it on every start
 * (the whole-process `stepwise --help` figure of `npm run bench -- cli` is measured with it).
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

function compileWithCache(bundle: string, parent: NodeModule): unknown {
  const dirs = cacheDirs(bundle);
  const name = cacheName(bundle);
  const cached = readCache(dirs, name);
  // A #! line is legal at the top of a script file, not inside the module wrapper.
  const source = readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
  // No importModuleDynamically: code from the cache loses it on Node 20, so the bundles use
  // require (a dynamic import() in them would throw ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING).
  const script = new Script(internals.wrap(source), { filename: bundle, ...(cached ? { cachedData: cached } : {}) });
  outcome = !cached ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  if (outcome !== 'hit') {
    // At exit for a command; a few seconds in for a long-lived process (the language server is
    // usually killed rather than exited), once it has run its first work.
    let saved = false;
    const save = () => {
      if (saved) return;
      saved = true;
      try {
        writeCache(dirs, bundle, name, script.createCachedData());
      } catch {
        // the next start compiles again
      }
    };
    process.once('exit', save);
    setTimeout(save, 5_000).unref();
  }
  const mod = new Module(bundle, parent);
  mod.filename = bundle;
  mod.paths = internals._nodeModulePaths(dirname(bundle));
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
  mod.loaded = true;
  return mod.exports;
}

/** `require(bundle)`, with V8's code cache. */
export function loadBundle(bundle: string, parent: NodeModule): unknown {
  outcome = 'off';
  if (process.env.STEPWISE_CODE_CACHE === '0') return parent.require(bundle);
  if (internals.enableCompileCache) {
    outcome = 'node-compile-cache';
    try {
      internals.enableCompileCache(process.env.STEPWISE_CODE_CACHE_DIR ?? cacheDirs(bundle)[1]);
    } catch {
      // a plain load
    }
    return parent.require(bundle);
  }
  return compileWithCache(bundle, parent);
}
