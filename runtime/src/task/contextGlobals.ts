/**
 * The globals of a task's `vm` context (task/contextThread.ts): a fresh realm's own (Object,
 * Array, Promise…) plus Node's (Buffer, URL, fetch…), and what must be the task's alone:
 * - `process`: the thread's, except the task's own `env`, `argv`, `exitCode`, `stdout`, `stderr`
 *   and the listeners it adds (removed when it ends; its 'exit' listeners run then, as at a task
 *   process's exit). `process.exit()` ends the thread at once, like a process: its host reports
 *   the code and starts another thread;
 * - `console`, writing to the task's own stdout and stderr, which reach the host in order with
 *   the task's end (so every line lands in the right task's log);
 * - timers: what the task leaves pending is cleared when it ends.
 * `instanceof` on the realm's builtin constructors also accepts the objects of Node's realm
 * (a Buffer is a Uint8Array, an fs error an Error, fs/promises returns Promises), as it does
 * where both are one realm.
 */
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import vm from 'node:vm';

export type OutputStream = 'stdout' | 'stderr';

export interface TaskGlobalsOptions {
  env: NodeJS.ProcessEnv;
  argv: string[];
  write(stream: OutputStream, data: string): void;
}

type Listener = (...args: unknown[]) => void;

/** Why `process.chdir()` fails in a task thread, and the way out. */
const CHDIR_IN_THREAD =
  'process.chdir() cannot run in a task thread: the tasks of a thread share one working directory. ' +
  'Run the flow with --task-isolation process (the default; STEPWISE_TASK_ISOLATION, or the stepwise.taskIsolation setting in VS Code).';

/** Names every fresh context has (the language's own): these stay the context's. */
const realmNames = new Set(Object.getOwnPropertyNames(vm.runInNewContext('globalThis')));

/** Constructors whose `instanceof` also accepts the same builtin's objects from Node's realm. */
export const BRIDGED = [
  'Object',
  'Function',
  'Array',
  'Error',
  'EvalError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'TypeError',
  'URIError',
  'AggregateError',
  'Promise',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'Date',
  'RegExp',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'Boolean',
  'Number',
  'String',
  'Symbol',
  'BigInt',
];

/** The globals Node adds to a realm (Buffer, URL, fetch…), which every task context shares. */
export const NODE_GLOBALS = Object.getOwnPropertyNames(globalThis).filter((key) => !realmNames.has(key) && key !== 'global');

export class TaskGlobals {
  readonly process: NodeJS.Process;
  private readonly timers = new Set<NodeJS.Timeout | NodeJS.Immediate>();
  private readonly listeners: Array<[string | symbol, Listener]> = [];

  constructor(private readonly o: TaskGlobalsOptions) {
    this.process = this.processStandIn();
  }

  /** The context, its globals in place. */
  createContext(name: string): vm.Context {
    const sandbox: Record<string, unknown> = {};
    const own: Record<string, unknown> = {
      process: this.process,
      console: new Console({ stdout: this.process.stdout, stderr: this.process.stderr }),
      ...this.timerFunctions(),
    };
    for (const key of NODE_GLOBALS) {
      if (key in own) continue;
      const d = Object.getOwnPropertyDescriptor(globalThis, key)!;
      // Node's lazy globals (fetch, crypto…) load on first use, from the thread's global (some
      // check that they are read there); a setter must never reach that global (`process` is one
      // such): assigning makes the context's own value.
      if (d.get || d.set) {
        const get = d.get;
        d.get = get && (() => get.call(globalThis));
        d.set = function (this: object, value: unknown) {
          Object.defineProperty(this, key, { value, writable: true, configurable: true, enumerable: d.enumerable });
        };
      }
      Object.defineProperty(sandbox, key, d);
    }
    for (const [key, value] of Object.entries(own)) {
      Object.defineProperty(sandbox, key, { value, writable: true, configurable: true, enumerable: key !== 'process' });
    }
    const context = vm.createContext(sandbox, { name });
    const contextGlobal = vm.runInContext('globalThis', context) as Record<string, unknown>;
    Object.defineProperty(contextGlobal, 'global', { value: contextGlobal, writable: true, configurable: true });
    bridgeInstanceof(contextGlobal, globalThis as unknown as Record<string, unknown>);
    return context;
  }

  /** The task ended with `code`: its 'exit' listeners run, then what it left behind goes. */
  finish(code: number): void {
    for (const [event, fn] of this.listeners) {
      if (event !== 'exit') continue;
      try {
        fn.call(this.process, code);
      } catch (err) {
        this.o.write('stderr', `${(err as Error)?.stack ?? String(err)}\n`);
      }
    }
    for (const [event, fn] of this.listeners.splice(0)) process.removeListener(event, fn);
    for (const t of this.timers) {
      clearTimeout(t as NodeJS.Timeout);
      clearInterval(t as NodeJS.Timeout);
      clearImmediate(t as NodeJS.Immediate);
    }
    this.timers.clear();
  }

  private processStandIn(): NodeJS.Process {
    const own = Object.create(process) as NodeJS.Process & Record<string, unknown>;
    const listeners = this.listeners;
    const add = (method: 'on' | 'once' | 'prependListener' | 'prependOnceListener') => (event: string | symbol, fn: Listener) => {
      listeners.push([event, fn]);
      process[method](event as 'exit', fn);
      return own;
    };
    const remove = (event: string | symbol, fn: Listener) => {
      const i = listeners.findIndex(([e, f]) => e === event && f === fn);
      if (i >= 0) listeners.splice(i, 1);
      process.removeListener(event, fn);
      return own;
    };
    // Own properties, defined: several shadow accessors of Node's process (stdout, stderr…).
    defineAll(own, {
      env: envObject(this.o.env),
      argv: this.o.argv,
      exitCode: undefined,
      stdout: this.stream('stdout'),
      stderr: this.stream('stderr'),
      on: add('on'),
      addListener: add('on'),
      once: add('once'),
      prependListener: add('prependListener'),
      prependOnceListener: add('prependOnceListener'),
      off: remove,
      removeListener: remove,
      removeAllListeners: (event?: string | symbol) => {
        for (const [e, fn] of [...listeners]) if (event === undefined || e === event) remove(e, fn);
        return own;
      },
      // Ends the thread now, as a process ends: its host reports the code (task/hostMain.ts).
      exit: (code?: number | string | null) => process.exit(code ?? (own.exitCode as number | undefined)),
      // Node's own refusal says "not supported in workers", which names neither the task thread
      // nor the way out; the code is kept for whoever tests it.
      chdir: () => {
        throw Object.assign(new TypeError(CHDIR_IN_THREAD), { code: 'ERR_WORKER_UNSUPPORTED_OPERATION' });
      },
    });
    return own;
  }

  /** The task's stdout or stderr: each write reaches the host at once, in order with the task's end. */
  private stream(name: OutputStream): NodeJS.WriteStream {
    const write = this.o.write;
    const w = new Writable({
      decodeStrings: false,
      write(chunk: string | Buffer, encoding, callback) {
        write(name, typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        callback();
      },
    });
    // Synchronously, not through Writable's queue: the task's end is posted right after its last write.
    w.write = (chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const cb = typeof encoding === 'function' ? encoding : callback;
      write(name, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      if (typeof cb === 'function') process.nextTick(cb as () => void);
      return true;
    };
    return Object.assign(w, { isTTY: false, fd: name === 'stdout' ? 1 : 2 }) as unknown as NodeJS.WriteStream;
  }

  private timerFunctions(): Record<string, unknown> {
    const timers = this.timers;
    const once =
      <T extends NodeJS.Timeout | NodeJS.Immediate>(start: (run: () => void) => T) =>
      (fn: Listener, ...args: unknown[]): T => {
        if (typeof fn !== 'function') return start(fn as never); // Node's own error
        const t = start(() => {
          timers.delete(t);
          fn(...args);
        });
        timers.add(t);
        return t;
      };
    return {
      setTimeout: (fn: Listener, ms?: number, ...args: unknown[]) => once((run) => setTimeout(run, ms))(fn, ...args),
      setImmediate: (fn: Listener, ...args: unknown[]) => once((run) => setImmediate(run))(fn, ...args),
      setInterval: (fn: Listener, ms?: number, ...args: unknown[]) => {
        const t = setInterval(fn, ms, ...args);
        timers.add(t);
        return t;
      },
      clearTimeout: (t: NodeJS.Timeout) => (timers.delete(t), clearTimeout(t)),
      clearInterval: (t: NodeJS.Timeout) => (timers.delete(t), clearInterval(t)),
      clearImmediate: (t: NodeJS.Immediate) => (timers.delete(t), clearImmediate(t)),
    };
  }
}

function defineAll(target: object, values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) {
    Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: true });
  }
}

/** A task's `process.env`: its own copy, whose values are strings as in Node's. */
function envObject(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const target: NodeJS.ProcessEnv = { ...env };
  return new Proxy(target, {
    set(t, key, value) {
      if (typeof key === 'string') t[key] = String(value);
      return true;
    },
    defineProperty(t, key, d) {
      if (typeof key === 'string' && 'value' in d) t[key] = String(d.value);
      return true;
    },
  });
}

function bridgeInstanceof(contextGlobal: Record<string, unknown>, hostGlobal: Record<string, unknown>): void {
  const ordinary = Function.prototype[Symbol.hasInstance];
  for (const name of BRIDGED) {
    const own = contextGlobal[name] as (new () => unknown) | undefined;
    const host = hostGlobal[name] as (new () => unknown) | undefined;
    if (typeof own !== 'function' || typeof host !== 'function' || own === host) continue;
    Object.defineProperty(own, Symbol.hasInstance, {
      value: function (this: unknown, v: unknown): boolean {
        return ordinary.call(this, v) || (this === own && ordinary.call(host, v));
      },
      configurable: true,
    });
  }
}
