/**
 * CommonJS for a task's `vm` context (task/contextThread.ts): each task gets a module graph of
 * its own, so every module it loads (the runtime, the flow bundle, the npm packages the flow
 * requires) is evaluated afresh in its realm and nothing one task's modules keep reaches the next
 * task, as in a process of its own. Node's builtin modules are the thread's: they hold no state
 * of a flow's.
 *
 * Resolution is Node's own (`Module._resolveFilename`), through a per-task copy of the `module`
 * builtin's statics: the runtime maps `stepwise` there (task/flowModule.ts), and so may a flow's
 * package (an alias loader), without the change reaching the thread's other tasks. Compiled
 * scripts are kept for the thread's later tasks: compiling is per thread, evaluating per task.
 */
import { readFileSync, statSync } from 'node:fs';
import NodeModule, { isBuiltin } from 'node:module';
import { dirname, extname } from 'node:path';
import vm from 'node:vm';
import { SourceMaps } from './contextStacks';
import { isEsmFile } from '../util/esmFile';

type ResolveFilename = (request: string, parent: ContextModule | undefined, isMain: boolean, options?: unknown) => string;
interface ModuleStatics {
  _resolveFilename: ResolveFilename;
  _nodeModulePaths(from: string): string[];
}

export interface ContextModule {
  id: string;
  filename: string;
  path: string;
  exports: unknown;
  loaded: boolean;
  paths: string[];
  parent: ContextModule | undefined;
  children: ContextModule[];
  require: ContextRequire;
}

export interface ContextRequire {
  (request: string): unknown;
  resolve(request: string): string;
  cache: Record<string, ContextModule>;
  main: ContextModule | undefined;
}

type Wrapper = (exports: unknown, require: ContextRequire, module: ContextModule, filename: string, dirname: string) => void;

interface Compiled {
  script: vm.Script;
  mtimeMs: number;
  size: number;
}

/** Compiled wrappers by file, for every context of this thread. */
const scripts = new Map<string, Compiled>();

export interface ContextModulesOptions {
  context: vm.Context;
  /** A builtin module as the task sees it, by the name required (`fs` or `node:fs`; `process` is the task's own). */
  builtin(name: string): unknown;
  /** Loads a native addon (the task's process.dlopen, which the runtime guards). */
  dlopen(module: { exports: unknown }, filename: string): void;
  sourceMaps: SourceMaps;
  /** The runtime's own folder (dist/): its files are known to run in a context. */
  runtimeDir: string;
  /** A module that cannot run in a context: the task must run as a process (task/processOnly.ts). */
  cannotRun(file: string, why: string): never;
}

/** Node's CommonJS wrapper, up to the module's own code. */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) { ';

/** A call of import(): Node 20 runs it only in modules its own loader compiled, never in a vm script. */
const DYNAMIC_IMPORT = /\bimport\s*\(/;

export class ContextModules {
  /** The `module` builtin as this task sees it: Node's, with statics the task may replace. */
  readonly moduleBuiltin: ModuleStatics;
  private readonly cache: Record<string, ContextModule> = Object.create(null) as Record<string, ContextModule>;
  private readonly json: JSON;
  private readonly newObject: () => object;
  private main: ContextModule | undefined;

  constructor(private readonly o: ContextModulesOptions) {
    this.moduleBuiltin = perTaskStatics();
    this.json = vm.runInContext('JSON', o.context) as JSON;
    this.newObject = vm.runInContext('() => ({})', o.context) as () => object;
  }

  /** Runs `filename` as the task's main module. */
  runMain(filename: string): unknown {
    const m = this.newModule(filename, undefined);
    this.main = m;
    this.cache[filename] = m;
    this.evaluate(m);
    return m.exports;
  }

  private newModule(filename: string, parent: ContextModule | undefined): ContextModule {
    const m: ContextModule = {
      id: filename,
      filename,
      path: dirname(filename),
      exports: this.newObject(),
      loaded: false,
      paths: this.moduleBuiltin._nodeModulePaths(dirname(filename)),
      parent,
      children: [],
      require: undefined as unknown as ContextRequire,
    };
    m.require = this.requireFor(m);
    parent?.children.push(m);
    return m;
  }

  private requireFor(parent: ContextModule): ContextRequire {
    const require = ((request: string) => this.require(request, parent)) as ContextRequire;
    require.resolve = (request: string) => this.resolve(request, parent);
    require.cache = this.cache;
    require.main = this.main;
    return require;
  }

  private resolve(request: string, parent: ContextModule): string {
    if (typeof request !== 'string') throw new TypeError(`require(): the module name must be a string, not ${typeof request}`);
    if (request.startsWith('node:') || isBuiltin(request)) return request;
    return this.moduleBuiltin._resolveFilename(request, parent, false);
  }

  private require(request: string, parent: ContextModule): unknown {
    const filename = this.resolve(request, parent);
    if (isBuiltin(filename)) return this.o.builtin(filename);
    const cached = this.cache[filename];
    if (cached) return cached.exports;
    const m = this.newModule(filename, parent);
    this.cache[filename] = m;
    try {
      this.evaluate(m);
    } catch (err) {
      // As Node does: a module that failed to load is loaded again by the next require.
      delete this.cache[filename];
      throw err;
    }
    return m.exports;
  }

  private evaluate(m: ContextModule): void {
    const ext = extname(m.filename);
    if (ext === '.json') {
      m.exports = this.json.parse(stripBom(readFileSync(m.filename, 'utf8')));
    } else if (ext === '.node') {
      this.o.dlopen(m, m.filename);
    } else {
      const wrapper = this.compiled(m.filename).runInContext(this.o.context) as Wrapper;
      wrapper.call(m.exports, m.exports, m.require, m, m.filename, m.path);
    }
    m.loaded = true;
  }

  private compiled(filename: string): vm.Script {
    const st = statSync(filename);
    const known = scripts.get(filename);
    if (known && known.mtimeMs === st.mtimeMs && known.size === st.size) return known.script;
    // Node 20 loads an ES module (by `require` too, since 20.19) only through its own loader.
    if (isEsmFile(filename)) this.o.cannotRun(filename, 'is an ES module, which Node 20 cannot load in a task thread');
    const source = stripShebang(stripBom(readFileSync(filename, 'utf8')));
    // Found when the module loads, before it runs (so before the step, for a flow's imports); a
    // mention in a comment or a string only costs the task its thread, never its result.
    if (!filename.startsWith(this.o.runtimeDir) && DYNAMIC_IMPORT.test(source)) {
      this.o.cannotRun(filename, 'calls import(), which Node 20 cannot run in a task thread');
    }
    // The wrapper on the module's first line, as Node's own: line numbers stay the file's, and
    // columns on the first line move by the wrapper's length.
    this.o.sourceMaps.noteSource(filename, source, WRAPPER_HEAD.length);
    const script = new vm.Script(`${WRAPPER_HEAD}${source}\n})`, { filename });
    scripts.set(filename, { script, mtimeMs: st.mtimeMs, size: st.size });
    return script;
  }
}

/**
 * Node's `module` builtin for one task: a class that constructs Node's modules, with a copy of
 * its statics, so that what a task assigns (`_resolveFilename`) stays in its own copy.
 */
function perTaskStatics(): ModuleStatics {
  const own = function Module(...args: unknown[]) {
    return Reflect.construct(NodeModule, args);
  } as unknown as ModuleStatics;
  for (const name of Object.getOwnPropertyNames(NodeModule)) {
    if (name === 'length' || name === 'name' || name === 'arguments' || name === 'caller') continue;
    Object.defineProperty(own, name, Object.getOwnPropertyDescriptor(NodeModule, name)!);
  }
  return own;
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

function stripShebang(s: string): string {
  return s.startsWith('#!') ? '//' + s.slice(2) : s;
}
