/**
 * How the kernel loads modules. `import … from 'stepwise'` and `'stepwise/client'` are the
 * kernel's own copies (the ones a task process uses), so a flow class loaded here is the flow a
 * task runs. The user's TypeScript files are compiled by esbuild one at a time, with their
 * tsconfig.json and an inline source map (Node maps their stack frames). Every local file
 * loaded is remembered with its modification time: before each cell, a file that changed is
 * dropped from the module cache with everything that imports it (IPython's `%autoreload`), and
 * the names cells bound from it are bound again — unless a cell has since given them another value.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importStyle, resolveEsmEntry, type ImportStyle } from './esm';

type ResolveFilename = (request: string, parent: NodeModule | undefined, isMain: boolean, options?: unknown) => string;
type Loader = (module: NodeModule & { _compile(code: string, file: string): void }, filename: string) => void;
interface ModuleStatics {
  _resolveFilename: ResolveFilename;
  _extensions: Record<string, Loader>;
  _cache: Record<string, NodeModule | undefined>;
}

export interface KernelModulesOptions {
  notebookDir: string;
  /** The folder of api.js and client.js (dist/). */
  distDir: string;
  /** A real `import()` (made in a file Node loaded itself: bundled code cannot make one). */
  dynamicImport(url: string): Promise<unknown>;
}

interface Binding {
  spec: string;
  file: string | undefined;
  imported: string;
  value: unknown;
  style: ImportStyle;
}

const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];
const M = Module as unknown as ModuleStatics;

export class KernelModules {
  private readonly tracked = new Map<string, { mtimeMs: number; size: number }>();
  private readonly bindings = new Map<string, Binding>();
  /** Files whose module also exports a getter of its top-level names (the flow of a task notebook). */
  private readonly scopes = new Map<string, string[]>();
  readonly require: NodeJS.Require;

  constructor(private readonly o: KernelModulesOptions) {
    this.require = createRequire(join(o.notebookDir, '[cell]'));
  }

  install(): void {
    const own: Record<string, string> = {
      stepwise: join(this.o.distDir, 'api.js'),
      'stepwise/client': join(this.o.distDir, 'client.js'),
    };
    const original = M._resolveFilename;
    M._resolveFilename = function (request, parent, isMain, options) {
      const mapped = own[request];
      if (mapped) return mapped;
      try {
        return original.call(this, request, parent, isMain, options);
      } catch (err) {
        // TypeScript's ESM style: `import './math.js'` names the compiled file of math.ts.
        const ts = /^\.\.?\/.*\.([mc]?)js$/.exec(request);
        if (!ts) throw err;
        return original.call(this, request.replace(/([mc]?)js$/, `${ts[1]}ts`), parent, isMain, options);
      }
    };
    for (const ext of TS_EXTENSIONS) M._extensions[ext] = (module, filename) => module._compile(this.compileTs(filename), filename);
    for (const ext of ['.js', '.cjs', '.json']) {
      const load = M._extensions[ext];
      if (!load) continue;
      M._extensions[ext] = (module, filename) => {
        this.track(filename);
        load(module, filename);
      };
    }
  }

  /** The flow file's module will also export `__stepwiseScope()`: its top-level values by name. */
  exposeScope(file: string, names: string[]): void {
    const before = this.scopes.get(file);
    this.scopes.set(file, names);
    // Loaded before without these names (imported by a cell, say): load it again with them.
    const cached = M._cache[file];
    if (cached && (!before || before.join() !== names.join())) delete M._cache[file];
  }

  importStyle(spec: string): ImportStyle {
    return importStyle(spec, this.o.notebookDir);
  }

  /** Loads `spec` for a cell and binds its names as globals: `[local, imported]`, imported = 'default' | '*' | '=' | a name. */
  importInto(spec: string, bindings: Array<[string, string]>): void | Promise<void> {
    const style = this.importStyle(spec);
    const bind = (mod: unknown, file: string | undefined) => {
      for (const [local, imported] of bindings) {
        const value = pick(mod, imported, style);
        (globalThis as Record<string, unknown>)[local] = value;
        this.bindings.set(local, { spec, file, imported, value, style });
      }
    };
    if (style === 'import') return this.esmImport(spec).then((ns) => bind(ns, undefined));
    bind(this.requireFromCell(spec), this.resolvedFile(spec));
  }

  /** `require` for a cell's own import: a module that is not there is named with where it was looked for. */
  private requireFromCell(spec: string): unknown {
    try {
      return this.require(spec);
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { requireStack?: string[] };
      if (e.code !== 'MODULE_NOT_FOUND' || (e.requireStack?.length ?? 0) > 1 || !e.message.includes(`'${spec}'`)) throw err;
      const fix = /^\.{0,2}\//.test(spec) ? 'check the path (relative to the notebook)' : `install it (npm install ${spec})`;
      throw Object.assign(new Error(`Cannot find module '${spec}' from ${this.o.notebookDir}: ${fix}.`), { code: e.code });
    }
  }

  /** `import(spec)` written in a cell: CommonJS and TypeScript modules through require, ES modules natively. */
  async dynamicImport(spec: string): Promise<unknown> {
    if (this.importStyle(spec) === 'import') return this.esmImport(spec);
    const mod = this.require(spec) as Record<string, unknown>;
    return mod && (mod as { __esModule?: boolean }).__esModule ? mod : { ...mod, default: mod };
  }

  private esmImport(spec: string): Promise<unknown> {
    const file = resolveEsmEntry(spec, this.o.notebookDir);
    return this.o.dynamicImport(file ? pathToFileURL(file).href : spec);
  }

  private resolvedFile(spec: string): string | undefined {
    try {
      const f = this.require.resolve(spec);
      return isAbsolute(f) ? f : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Drops changed local files (and the modules importing them) from the cache and binds the
   * names cells imported from them again. Returns what was reloaded (relative to the notebook)
   * and what could not be (with why).
   */
  autoreload(): { reloaded: string[]; failed: string[] } {
    const changed: string[] = [];
    for (const [file, seen] of this.tracked) {
      const now = statOrUndefined(file);
      if (!now || now.mtimeMs !== seen.mtimeMs || now.size !== seen.size) changed.push(file);
    }
    if (!changed.length) return { reloaded: [], failed: [] };
    const invalid = new Set(changed);
    for (let grew = true; grew;) {
      grew = false;
      for (const [id, m] of Object.entries(M._cache)) {
        if (m && !invalid.has(id) && m.children.some((c) => invalid.has(c.id))) {
          invalid.add(id);
          grew = true;
        }
      }
    }
    for (const id of invalid) {
      delete M._cache[id];
      this.tracked.delete(id);
    }
    const failed: string[] = [];
    for (const [local, b] of this.bindings) {
      if (!b.file || !invalid.has(b.file)) continue;
      const g = globalThis as Record<string, unknown>;
      if (g[local] !== b.value) continue; // a cell gave it another value since
      try {
        const value = pick(this.require(b.spec), b.imported, b.style);
        g[local] = value;
        b.value = value;
      } catch (err) {
        failed.push(`${this.display(b.file)}: ${(err as Error).message.split('\n')[0]} (${local} keeps its old value)`);
      }
    }
    return { reloaded: [...invalid].filter((f) => changed.includes(f)).map((f) => this.display(f)), failed };
  }

  private display(file: string): string {
    const r = relative(this.o.notebookDir, file);
    return r.startsWith('..' + sep + '..' + sep + '..') ? file : r;
  }

  private track(file: string): void {
    if (file.includes(`${sep}node_modules${sep}`) || file.startsWith(this.o.distDir + sep)) return;
    const st = statOrUndefined(file);
    if (st) this.tracked.set(file, { mtimeMs: st.mtimeMs, size: st.size });
  }

  private compileTs(file: string): string {
    this.track(file);
    const esbuild = require('esbuild') as typeof import('esbuild');
    let source = readFileSync(file, 'utf8');
    const scope = this.scopes.get(file);
    // Appended after the last line: the source map of every line the user wrote is unchanged.
    if (scope) source += `\nexport const __stepwiseScope = () => ({ ${scope.join(', ')} });\n`;
    const tsconfig = nearestTsconfig(dirname(file));
    try {
      const out = esbuild.buildSync({
        // The map names its source relative to the module's folder, which is how Node resolves it.
        stdin: { contents: source, sourcefile: basename(file), resolveDir: dirname(file), loader: file.endsWith('x') ? 'tsx' : 'ts' },
        absWorkingDir: dirname(file),
        ...(tsconfig ? { tsconfig } : {}),
        bundle: false,
        write: false,
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        sourcemap: 'inline',
        keepNames: true,
        logLevel: 'silent',
      });
      return out.outputFiles[0].text;
    } catch (err) {
      const first = (err as { errors?: Array<{ text: string; location?: { line: number; column: number } | null }> }).errors?.[0];
      if (!first) throw err;
      const at = first.location ? `:${first.location.line}:${first.location.column + 1}` : '';
      const e = new SyntaxError(`cannot compile ${this.display(file)}${at}: ${first.text}`);
      throw e;
    }
  }
}

function pick(mod: unknown, imported: string, style: ImportStyle): unknown {
  const m = mod as Record<string, unknown> & { __esModule?: boolean };
  if (imported === '*' || imported === '=') return mod;
  if (imported === 'default') return style === 'import' || m?.__esModule ? m?.default : mod;
  return m?.[imported];
}

function statOrUndefined(file: string): { mtimeMs: number; size: number } | undefined {
  try {
    const st = statSync(file);
    return { mtimeMs: st.mtimeMs, size: st.size };
  } catch {
    return undefined;
  }
}

function nearestTsconfig(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const f = join(d, 'tsconfig.json');
    if (existsSync(f)) return f;
    if (dirname(d) === d || existsSync(join(d, 'package.json'))) return undefined;
  }
}
