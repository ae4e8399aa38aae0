/**
 * A task running as a worker thread of a task host (task/hostMain.ts, `--task-isolation thread`)
 * instead of as its own process. The task's code is the same (task/main.ts); only what a thread
 * cannot do differently lives here. Loaded only in threads: a task process never pays for it.
 */
import { parentPort } from 'node:worker_threads';
import { NATIVE_ADDON_EXIT, type NativeAddonMessage, type SpareTaskMessage, type TaskSpec } from './spec';

/**
 * A native addon that is not context-aware loads once per process: in a host whose earlier task
 * loaded it, `require` fails with "Module did not self-register". That is no fault of the flow,
 * so the thread stops before the step runs (or records anything) and tells its host, which runs
 * the task again as a process (scheduler/launchers/thread.ts).
 */
export function guardNativeAddons(): void {
  const dlopen = process.dlopen.bind(process);
  process.dlopen = (module: { exports: unknown }, filename: string, flags?: number) => {
    try {
      return flags === undefined ? dlopen(module, filename) : dlopen(module, filename, flags);
    } catch (err) {
      if (!cannotLoadInThread(err)) throw err;
      const message: NativeAddonMessage = { nativeAddon: { file: filename, message: (err as Error).message } };
      parentPort?.postMessage(message);
      // Ends this thread at once (uncatchable here): nothing of the task is recorded.
      process.exit(NATIVE_ADDON_EXIT);
    }
  };
}

function cannotLoadInThread(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'ERR_DLOPEN_FAILED' && /did not self-register|context[- ]aware|worker/i.test(e.message ?? '');
}

/**
 * A spare thread's task: it was started before its task was known (so that starting the thread
 * and loading the runtime overlap the task before it), and is given exactly one. The task's
 * environment replaces the host's in this thread's own copy of process.env before anything of
 * the flow is loaded.
 */
export function spareTask(): Promise<TaskSpec> {
  return new Promise((resolve) => {
    parentPort!.once('message', ({ spec, env }: SpareTaskMessage) => {
      for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
      Object.assign(process.env, env);
      resolve(spec);
    });
  });
}
