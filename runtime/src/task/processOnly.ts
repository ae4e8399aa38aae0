/**
 * A task that cannot run in a task thread (`--task-isolation thread`): the thread tells its host
 * why and ends at once, before the step records anything; the runner runs the task again as a
 * process, and the run's later tasks too (scheduler/launchers/thread.ts).
 */
import { parentPort } from 'node:worker_threads';
import { PROCESS_ONLY_EXIT, type ProcessOnlyMessage } from './spec';

/** `why` reads after the file's name: "is a native addon that …". */
export function processOnly(file: string, why: string): never {
  const message: ProcessOnlyMessage = { processOnly: { file, why } };
  parentPort?.postMessage(message);
  // Ends this thread at once (uncatchable here).
  process.exit(PROCESS_ONLY_EXIT);
}
