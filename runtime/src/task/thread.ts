/**
 * A task running in a task thread's context (task/contextThread.ts, `--task-isolation thread`)
 * instead of as its own process. The task's code is the same (task/main.ts); only what a thread
 * cannot do differently lives here. Loaded only in threads: a task process never pays for it.
 */
import { processOnly } from './processOnly';

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
      processOnly(filename, `is a native addon that cannot be loaded in a worker thread (${(err as Error).message})`);
    }
  };
}

function cannotLoadInThread(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'ERR_DLOPEN_FAILED' && /did not self-register|context[- ]aware|worker/i.test(e.message ?? '');
}
