/**
 * What a task thread (task/contextThread.ts) hands the task runtime it runs in a fresh `vm`
 * context: the task, and how to say it is done. A task process has none of this: it reads its
 * spec from argv or stdin and ends with process.exit(). The key is a registered symbol, the same
 * in every realm of the thread, so the runtime evaluated in the context finds what the thread set.
 */
import type { TaskSpec } from './spec';

export const TASK_CONTEXT = Symbol.for('stepwise.taskContext');

export interface TaskContextHook {
  spec: TaskSpec;
  /** The task ended (its record is written, or it failed before it could be): its exit code. */
  done(code: number): void;
}

/** The hook when this runtime runs in a task thread's context, else undefined (a task process). */
export function taskContextHook(): TaskContextHook | undefined {
  return (globalThis as Record<symbol, TaskContextHook | undefined>)[TASK_CONTEXT];
}
