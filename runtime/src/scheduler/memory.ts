/**
 * A task that ran out of memory: V8 prints its last words on stderr and aborts the process
 * (SIGABRT). The runner sees those words among the task's output and says what happened, with
 * the limit that was reached and the way to raise it, instead of only naming the signal.
 */
import { spawnSync } from 'node:child_process';
import type { ExceptionRecord } from '../datastore/types';

/** V8's fatal out-of-memory lines ("Reached heap limit … JavaScript heap out of memory", and kin). */
const OUT_OF_MEMORY = /FATAL ERROR: .*(JavaScript heap out of memory|Reached heap limit|invalid (table|array) size allocation failed)/;

export function isOutOfMemoryLine(line: string): boolean {
  return OUT_OF_MEMORY.test(line);
}

export interface HeapLimit {
  mb: number;
  /** Who set it: `@resources({ memoryMb: 64 })`, `NODE_OPTIONS`, or Node's default. */
  source: string;
}

/**
 * The task's heap limit: `@resources({ memoryMb })` (the launcher's --max-old-space-size), else a
 * --max-old-space-size in the task's NODE_OPTIONS, else Node's default on this machine, asked of
 * the same node with the same environment (only after a task ran out of memory, so its cost is
 * paid once, by a failure).
 */
export function taskHeapLimit(memoryMb: number | undefined, env: NodeJS.ProcessEnv): HeapLimit {
  if (memoryMb) return { mb: memoryMb, source: `@resources({ memoryMb: ${memoryMb} })` };
  const fromOptions = heapMbInOptions(env);
  if (fromOptions) return { mb: fromOptions, source: 'NODE_OPTIONS' };
  const asked = spawnSync(process.execPath, ['-p', 'require("v8").getHeapStatistics().heap_size_limit'], {
    env,
    encoding: 'utf8',
    timeout: 10_000,
  });
  const bytes = Number(asked.stdout?.trim());
  return { mb: Number.isFinite(bytes) && bytes > 0 ? Math.round(bytes / 2 ** 20) : 0, source: "Node's default" };
}

/** A --max-old-space-size in the task's NODE_OPTIONS. */
function heapMbInOptions(env: NodeJS.ProcessEnv): number | undefined {
  const m = /--max[-_]old[-_]space[-_]size[= ](\d+)/.exec(env.NODE_OPTIONS ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * The heap limit a task thread gets (its resourceLimits), the one a task process would have:
 * `@resources({ memoryMb })`, else NODE_OPTIONS' --max-old-space-size, else Node's default.
 */
export function configuredHeapMb(memoryMb: number | undefined, env: NodeJS.ProcessEnv): number | undefined {
  return memoryMb || heapMbInOptions(env);
}

export function outOfMemoryException(step: string, taskId: string, limit: HeapLimit): ExceptionRecord {
  const limitText = limit.mb ? `${limit.mb} MB, set by ${limit.source}` : limit.source;
  const more = Math.max(2 * (limit.mb || 2048), 256);
  const message =
    `step '${step}' (task ${taskId}) ran out of memory: its JavaScript heap reached the limit (${limitText}). ` +
    `Raise it, e.g. @resources({ memoryMb: ${more} }) on the step (locally, memoryMb is the task's heap limit), ` +
    `or for every step without @resources: run --with resources:memoryMb=${more}.`;
  return { name: 'OutOfMemoryError', message, stack: message };
}
