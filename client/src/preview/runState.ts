/**
 * Turns what the datastore says about a run (its tasks per step) into the overlay the preview
 * draws. Pure: the reading is done elsewhere, so this is tested without a datastore.
 */
import type { RunOverlay, StepStatus } from '../../../webview/src/messages';
import { stepStateOf } from '../state/stepState';

export type TaskState = 'succeeded' | 'failed' | 'running' | 'cloned' | 'killed';

export interface RunFacts {
  runId: string;
  /** The run's own status word, e.g. running, succeeded, failed, killed. */
  status: string;
  /** Tasks per step name (steps with no task are simply absent). */
  tasks: Record<string, TaskState[]>;
  /** For the body of a foreach: the number of tasks the split asked for, when known. */
  expected?: Record<string, number>;
  pausedTask?: string;
  /** Steps in a loop: the highest pass number among their tasks. */
  passes?: Record<string, number>;
  /** Switch steps: the cases their finished tasks took, counted by case key. */
  cases?: Record<string, Record<string, number>>;
}

export function overlayOf(run: RunFacts): RunOverlay {
  const steps: Record<string, StepStatus> = {};
  for (const [step, tasks] of Object.entries(run.tasks)) {
    const count = (s: TaskState) => tasks.filter((t) => t === s).length;
    const done = count('succeeded') + count('cloned');
    const running = count('running');
    const failed = count('failed');
    const killed = count('killed');
    const total = Math.max(run.expected?.[step] ?? 0, tasks.length);
    const state = stepStateOf({ tasks: tasks.length, done, cloned: count('cloned'), running, failed, killed }, run.status, total);
    const passes = run.passes?.[step];
    const cases = run.cases?.[step];
    steps[step] = {
      state,
      done,
      total,
      ...(running ? { running } : {}),
      ...(failed ? { failed } : {}),
      ...(passes ? { passes } : {}),
      ...(cases && Object.keys(cases).length ? { cases } : {}),
    };
  }
  return { runId: run.runId, status: run.status, steps, ...(run.pausedTask ? { pausedTask: run.pausedTask } : {}) };
}
