/**
 * Which loader a module needs, and where an ES-module-only package's entry is. A cell's
 * `import` is loaded with `require` when it can be (synchronously, so a cell stays
 * interruptible until its first real `await`), and with `import()` when the package is ESM
 * only. Node 20's CommonJS resolver cannot find such a package's entry (its `exports` have no
 * `require` condition), and `import()` resolves from the kernel's own folder, so the entry is
 * found here: the nearest `node_modules/<name>`, then its `exports` with the `import`
 * condition.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { isEsmFile } from '../../util/esmFile';

export type ImportStyle = 'require' | 'import';

function isRelative(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || spec.startsWith('/');
}

/** `require` unless the module is ESM only (a .mjs file, a `"type": "module"` .js, or exports without `require`). */
export function importStyle(spec: string, fromDir: string): ImportStyle {
  if (isBuiltin(spec) || spec === 'stepwise' || spec.startsWith('stepwise/')) return 'require';
  let file: string;
  try {
    file = createRequire(join(fromDir, 'noop.js')).resolve(spec);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' && !isRelative(spec)) return resolveEsmEntry(spec, fromDir) ? 'import' : 'require';
    return 'require'; // let require report "Cannot find module"
  }
  return isEsmFile(file) ? 'import' : 'require';
}

/** The file `import(spec)` would load from `fromDir`, for a bare specifier of an ESM package. */
export function resolveEsmEntry(spec: string, fromDir: string): string | undefined {
  if (isRelative(spec)) return resolve(fromDir, spec);
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const subpath = '.' + spec.slice(name.length);
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', name);
    const pj = join(pkgDir, 'package.json');
    if (existsSync(pj)) {
      const pkg = JSON.parse(readFileSync(pj, 'utf8')) as { exports?: unknown; main?: string; module?: string };
      const target = pkg.exports !== undefined ? exportTarget(pkg.exports, subpath) : subpath === '.' ? (pkg.main ?? 'index.js') : subpath;
      return target ? join(pkgDir, target) : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

const CONDITIONS = ['import', 'node', 'default'];

function exportTarget(exports: unknown, subpath: string): string | undefined {
  if (typeof exports === 'string' || Array.isArray(exports)) return subpath === '.' ? conditional(exports) : undefined;
  const map = exports as Record<string, unknown>;
  const keys = Object.keys(map);
  if (!keys.some((k) => k.startsWith('.'))) return subpath === '.' ? conditional(map) : undefined;
  if (subpath in map) return conditional(map[subpath]);
  for (const k of keys) {
    const star = k.indexOf('*');
    if (star < 0) continue;
    const [pre, post] = [k.slice(0, star), k.slice(star + 1)];
    if (subpath.startsWith(pre) && subpath.endsWith(post) && subpath.length >= k.length - 1) {
      const middle = subpath.slice(pre.length, subpath.length - post.length);
      return conditional(map[k])?.replace(/\*/g, middle);
    }
  }
  return undefined;
}

function conditional(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = conditional(t);
      if (r) return r;
    }
    return undefined;
  }
  if (target && typeof target === 'object') {
    for (const [cond, value] of Object.entries(target)) {
      if (CONDITIONS.includes(cond)) {
        const r = conditional(value);
        if (r) return r;
      }
    }
  }
  return undefined;
}
