/**
 * Attempts of a task (`@retry`, `@timeout`, `@catchFailure`): what each step's decorators ask for
 * (read from the static graph, plus `run --with`), and what follows a failed attempt. The
 * scheduler does the launching; this module only decides.
 */
import type { StepPolicy } from '../api/decoratorOptions';
import { stepPolicy, type WithDecorator } from '../graph/decorators';
import { flowStructure } from '../graph/structure';
import type { FlowGraph } from '../graph/types';
import type { ExceptionRecord, TaskRecord, TaskStartRecord } from '../datastore/types';

export interface StepAttempts {
  /** The step's own decorators, as written in the source. */
  own: StepPolicy;
  /** What applies: its own decorators, and `--with` ones for what it has not. */
  effective: StepPolicy;
  /** Where a caught failure goes on to: the step's successors, as if it had called `this.next`. */
  next: string[];
}

export class StepPolicies {
  private readonly cache = new Map<string, StepAttempts>();

  constructor(
    private readonly graph: FlowGraph,
    private readonly withDecorators: readonly WithDecorator[] = [],
  ) {}

  of(stepName: string): StepAttempts {
    let p = this.cache.get(stepName);
    if (!p) {
      const step = flowStructure(this.graph).byName.get(stepName);
      p = step
        ? {
            own: stepPolicy(step),
            effective: stepPolicy(step, this.withDecorators),
            next: step.name === 'end' ? [] : [...new Set(step.successors)],
          }
        : { own: {}, effective: {}, next: [] };
      this.cache.set(stepName, p);
    }
    return p;
  }

  /** Some step has a timeout (the debugger does not enforce them). */
  anyTimeout(): boolean {
    return this.graph.steps.some((s) => this.of(s.name).effective.timeoutSeconds !== undefined);
  }
}

export type AfterFailure = { then: 'retry'; delayMs: number } | { then: 'fallback' } | { then: 'finish' };

/**
 * After a failed attempt: another attempt while `@retry` allows one; once retries are spent, a
 * process that died (a timeout, a crash) gets a fallback attempt when the step has
 * `@catchFailure` (a step that threw was caught inside its own attempt). A run that is stopping
 * (killed, or another task failed) starts nothing more.
 */
export function afterFailure(p: StepPolicy, attempt: number, o: { died: boolean; wasFallback: boolean; stopping: boolean }): AfterFailure {
  if (o.stopping || o.wasFallback) return { then: 'finish' };
  const retries = p.retry?.times ?? 0;
  if (attempt < retries) return { then: 'retry', delayMs: Math.round((p.retry?.minutesBetweenRetries ?? 0) * 60_000) };
  if (o.died && p.catchFailure) return { then: 'fallback' };
  return { then: 'finish' };
}

/** How many attempts a task may have in all. */
export function attemptsAllowed(p: StepPolicy): number {
  return (p.retry?.times ?? 0) + 1;
}

/** The record of an attempt whose process ended without writing one (killed, timed out, crashed). */
export function deathRecord(start: TaskStartRecord, exception: ExceptionRecord, status: 'failed' | 'killed', pid?: number): TaskRecord {
  const now = new Date();
  return {
    ...start,
    ...(pid ? { pid } : {}),
    status,
    finishedAt: now.toISOString(),
    durationMs: now.getTime() - Date.parse(start.startedAt),
    artifacts: {},
    dropped: {},
    exception,
  };
}

/** Why a task process ended without a record. */
export function deathException(
  o: { killedBecause?: string; timedOutAfter?: number; signal: NodeJS.Signals | null; code: number | null; reason?: string },
  step: string,
  taskId: string,
): ExceptionRecord {
  if (o.killedBecause) return named('Killed', `killed: ${o.killedBecause}`);
  if (o.timedOutAfter !== undefined) {
    return named('TimeoutError', `step '${step}' (task ${taskId}) timed out after ${o.timedOutAfter} s (@timeout): the attempt was killed`);
  }
  // The compute's own account (e.g. "Slurm job 12 reached its time limit") says more than an exit code.
  if (o.reason) return named('TaskDied', o.reason);
  return named(
    'TaskDied',
    o.signal ? `the task process was killed by ${o.signal}` : `the task process exited with code ${o.code} before recording a result`,
  );
}

function named(name: string, message: string): ExceptionRecord {
  return { name, message, stack: message };
}
