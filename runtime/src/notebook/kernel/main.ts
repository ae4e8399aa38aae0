/**
 * The notebook kernel: one Node process per notebook, started as `node dist/kernel.js
 * --stepwise-kernel <json>` with an IPC channel (protocol.ts). Cells run in this process's
 * global scope, so what one cell defines the next one sees.
 */
import { join } from 'node:path';
import { typescript } from '../../graph/typescript';
import { packageRoot } from '../../paths';
import { displayItems } from '../outputs';
import { KERNEL_OPTIONS_ARG, type ClientMessage, type KernelMessage, type KernelOptions } from '../protocol';
import { Executor } from './executor';
import { KernelModules } from './modules';
import { CellScripts } from './stack';
import { compareWithTask } from './compare';
import { openTaskContext, type Remembered } from './taskContext';
import { StreamCapture } from './streams';

export interface KernelBoot {
  /** `import()` made by a file Node loaded itself (dist/kernel.js). */
  dynamicImport(url: string): Promise<unknown>;
}

function options(): KernelOptions {
  const i = process.argv.indexOf(KERNEL_OPTIONS_ARG);
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  if (!raw) throw new Error(`the kernel was started without ${KERNEL_OPTIONS_ARG} <json>`);
  return JSON.parse(raw) as KernelOptions;
}

export function runKernel(boot: KernelBoot): void {
  if (!process.send) throw new Error('the kernel needs an IPC channel (spawn it with stdio "ipc")');
  const o = options();
  process.setSourceMapsEnabled(true);
  const send = (m: KernelMessage) => process.send!(m);
  const distDir = join(packageRoot(), 'dist');

  const modules = new KernelModules({ notebookDir: o.notebookDir, distDir, dynamicImport: boot.dynamicImport });
  modules.install();
  const scripts = new CellScripts([distDir, __dirname]);
  // The capture asks the executor which cell is running; the executor writes through the capture.
  const streams: StreamCapture = new StreamCapture(send, () => exec.currentId);
  const exec: Executor = new Executor(send, streams, modules, scripts);
  streams.install();

  installGlobals(o, modules, (value, mime) => {
    const items = displayItems(value, mime);
    streams.flush();
    send({ type: 'output', id: exec.currentId, kind: 'display', items });
  });

  // SIGINT stops a cell's synchronous part (vm's breakOnSigint); at any other time it must not
  // kill the kernel, and the `interrupt` message does the rest.
  process.on('SIGINT', () => exec.sigint());
  // A callback that throws after its cell finished: reported, the kernel lives on.
  const report = (err: unknown) => {
    streams.flush();
    send({ type: 'error', id: exec.currentId, error: scripts.toCellError(err) });
  };
  process.on('uncaughtException', report);
  process.on('unhandledRejection', report);
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: ClientMessage) => {
    if (m.type === 'execute') exec.enqueue(m);
    else if (m.type === 'interrupt') exec.interrupt(m.id);
    else if (m.type === 'shutdown') {
      streams.flush();
      process.exit(0);
    }
  });
  send({ type: 'ready', pid: process.pid, node: process.version, cwd: process.cwd() });
  // The TypeScript parser is slow to load (it is most of the binding cell in a fresh kernel: the
  // notebook bench group): load it while the user reads the notebook.
  setImmediate(() => typescript());
}

/** What every cell can use without importing it: the client API, `display`, `require`. */
function installGlobals(o: KernelOptions, modules: KernelModules, display: (value: unknown, mime?: string) => void): void {
  const g = globalThis as Record<string, unknown>;
  const define = (name: string, value: unknown) => {
    if (!(name in g)) Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
  };
  const client = modules.require('stepwise/client') as Record<string, unknown>;
  for (const [name, value] of Object.entries(client)) define(name, value);
  define('display', (value: unknown, mime?: string) => {
    display(value, mime);
  });
  // Task notebooks: the step's view of the flow, and how it compares with what the task stored.
  const known = new WeakMap<object, Remembered>();
  define('taskContext', (pathspec: string) => openTaskContext(pathspec, modules, (self, r) => known.set(self, r)));
  define('compareWithTask', (self: object) => compareWithTask(self, known.get(self)));
  define('require', modules.require);
  define('__dirname', o.notebookDir);
  define('__filename', join(o.notebookDir, '[cell]'));
  define('__sw', {
    importInto: (spec: string, bindings: Array<[string, string]>) => modules.importInto(spec, bindings),
    dynamicImport: (spec: string) => modules.dynamicImport(spec),
    importMeta: { url: `file://${join(o.notebookDir, '[cell]')}`, dirname: o.notebookDir, filename: join(o.notebookDir, '[cell]') },
  });
}
