/**
 * One derivation of a step's state from its tasks, read by the artifact explorer's step items and
 * the DAG preview's overlay alike (plain Node: tested without a datastore or `vscode`).
 *
 * Precedence: a failed task makes the step failed; else a killed task (or a task still marked
 * running in a run that was killed) makes it killed — both say the step will not succeed, so they
 * rank above running; then running; then a step short of its tasks is running while the run runs
 * and not-run (killed, for a killed run) after; then cloned when every task was cloned.
 */
import type { StepRunState } from '../../../webview/src/messages';

export type StepState = StepRunState;

/** A step's tasks by state. A cloned task counts in `cloned` and in `done`. */
export interface StepCounts {
  /** Tasks that exist (have a record). */
  tasks: number;
  /** Succeeded, cloned included. */
  done: number;
  cloned: number;
  running: number;
  failed: number;
  killed: number;
}

/**
 * @param runStatus the run's own status word (running, succeeded, failed, killed).
 * @param expected the number of tasks the step will have, when known (a foreach's width).
 */
export function stepStateOf(c: StepCounts, runStatus: string, expected = 0): StepState {
  const runOver = runStatus !== 'running';
  const total = Math.max(expected, c.tasks);
  if (c.failed) return 'failed';
  if (c.killed || (c.running && runOver && runStatus === 'killed')) return 'killed';
  if (c.running) return 'running';
  if (c.done < total) return runOver ? (runStatus === 'killed' ? 'killed' : 'not-run') : 'running';
  if (c.tasks && c.cloned === c.tasks) return 'cloned';
  return c.tasks ? 'succeeded' : 'not-run';
}
