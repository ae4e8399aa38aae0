/**
 * A task thread of a task host (`--task-isolation thread`, task/hostMain.ts): a worker thread
 * that runs the tasks its host gives it one after another, each in a fresh `vm` context with its
 * own globals (./contextGlobals.ts) and its own module graph (./contextModules.ts), where the
 * task runtime (dist/task.js, the file a task process runs) is evaluated afresh. So nothing a
 * task or its modules leave behind reaches the next task, while starting a thread (most of a
 * thread task's cost on Node 20) is paid once per thread, not once per task.
 *
 * What a context cannot contain ends the thread, as it would end a task process: an uncaught
 * error, `process.exit()`, running out of heap (the thread's limit is the task's), and Stop,
 * Ctrl-C or `@timeout` (the host terminates the thread). The host then reports that task's end
 * and the next task gets a new thread.
 *
 * Messages: ThreadRequest in, ThreadReport out (./hostProtocol.ts).
 */
import { join } from 'node:path';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { TASK_CONTEXT, type TaskContextHook } from './contextHook';
import { BRIDGED, NODE_GLOBALS, TaskGlobals, type OutputStream } from './contextGlobals';
import { ContextModules } from './contextModules';
import { SourceMaps, mapStacksIn } from './contextStacks';
import { processOnly } from './processOnly';
import { SharedState } from './sharedState';
import type { ThreadReport, ThreadRequest } from './hostProtocol';

/** The task runtime, beside this file in dist/. */
const taskEntry = join(__dirname, 'task.js');
const hostRequire = createRequire(taskEntry);
const sourceMaps = new SourceMaps();
/**
 * Each task leaves its context behind, which V8 frees only in a full collection, and Node runs
 * none between tasks: the thread has one run every GC_EVERY tasks, between two tasks, through
 * the one API that starts it (`vm.measureMemory` in eager mode). It keeps a host's memory flat.
 */
const GC_EVERY = 8;
let tasksRun = 0;

/** Node's classes and modules, and this realm's prototypes, as no task has changed them yet. */
const shared = new SharedState();
for (const name of [...BRIDGED, ...NODE_GLOBALS]) {
  const d = Object.getOwnPropertyDescriptor(globalThis, name);
  // A lazy global (fetch…) is watched once a task required what it loads, if ever.
  if (d && 'value' in d) shared.watch(d.value, name);
}

/** A builtin module as a task gets it: watched from before any task had it. */
function builtinModule(name: string): unknown {
  const exports = hostRequire(name) as unknown;
  shared.watch(exports, `require('${name}')`);
  return exports;
}

function report(r: ThreadReport): void {
  parentPort!.postMessage(r);
}

/** The running task: its realm (its Object.prototype) and its stderr. */
let running: { realm: object; write(stream: OutputStream, data: string): void } | undefined;

function runTask(r: Extract<ThreadRequest, { type: 'task' }>): void {
  const { id, spec, env } = r;
  const write = (stream: OutputStream, data: string) => report({ type: 'output', id, stream, data });
  const globals = new TaskGlobals({ env, argv: [process.execPath, taskEntry], write });
  const context = globals.createContext(`${spec.step}/${spec.taskId}`);
  mapStacksIn(context, sourceMaps);
  running = { realm: vm.runInContext('Object.prototype', context) as object, write };
  const modules: ContextModules = new ContextModules({
    context,
    sourceMaps,
    builtin: (name) => {
      const bare = name.replace(/^node:/, '');
      return bare === 'process' ? globals.process : bare === 'module' ? modules.moduleBuiltin : builtinModule(name);
    },
    dlopen: (module, filename) => globals.process.dlopen(module as { exports: object }, filename),
    runtimeDir: __dirname,
    cannotRun: processOnly,
  });
  let ended = false;
  const end = (code: number) => {
    if (ended) return;
    ended = true;
    running = undefined;
    globals.finish(code);
    const changed = shared.changed();
    report({ type: 'done', id, code, ...(changed ? { retire: changed } : {}) });
    if (++tasksRun % GC_EVERY === 0) collect();
  };
  // The spec arrived in the thread's realm; the runtime gets it in its own (its arrays are stored).
  const ownSpec = (vm.runInContext('JSON', context) as JSON).parse(JSON.stringify(spec)) as typeof spec;
  const hook: TaskContextHook = { spec: ownSpec, done: end };
  Object.defineProperty(vm.runInContext('globalThis', context), TASK_CONTEXT, { value: hook });
  try {
    modules.runMain(taskEntry);
  } catch (err) {
    // The runtime itself failed to load (a damaged installation): the task cannot run.
    write('stderr', `stepwise task ${spec.step}/${spec.taskId}: ${(err as Error)?.stack ?? String(err)}\n`);
    end(1);
  }
}

function collect(): void {
  // Node warns once that the API is experimental: not a task's output.
  const emitWarning = process.emitWarning;
  process.emitWarning = () => undefined;
  try {
    void vm.measureMemory({ execution: 'eager' }).catch(() => undefined);
  } finally {
    process.emitWarning = emitWarning;
  }
}

/**
 * An error nobody caught ends a task process; here it ends the thread, and so the task running
 * in it, exactly as Node would (the stack on the task's stderr, exit code 1). But a task that
 * ended may have left work behind (a promise chain, a socket) whose error surfaces later, while
 * another task runs: a task process would have exited before it, so it is dropped here, not
 * allowed to end the next task. Errors carry their realm in their prototype chain.
 */
function uncaught(err: unknown): void {
  const task = running;
  const realm = realmOf(err);
  if (!task || (realm && realm !== task.realm && realm !== Object.prototype)) return;
  task.write('stderr', `${(err as Error)?.stack ?? `Uncaught ${String(err)}`}\n`);
  process.exit(1);
}

function realmOf(v: unknown): object | undefined {
  if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return undefined;
  let p: object = v;
  for (let up = Object.getPrototypeOf(p) as object | null; up; up = Object.getPrototypeOf(up) as object | null) p = up;
  return p;
}

process.on('uncaughtException', uncaught);
process.on('unhandledRejection', uncaught);
parentPort!.on('message', (r: ThreadRequest) => {
  if (r.type === 'task') runTask(r);
});
