/** The typed progress events of a run. The CLI prints them; the debug adapter and the extension forward them. */
import type { CaughtRecord, ExceptionRecord, RunRecord, RunStatus, TaskStatus } from '../datastore/types';

export interface TaskRef {
  pathspec: string;
  step: string;
  taskId: string;
}

export type RunEvent =
  | { type: 'runStarted'; run: RunRecord }
  | ({
      type: 'taskStarted';
      pid: number;
      inspectorUrl?: string;
      /** 0 for the first attempt; a retry (`@retry`) counts up. */
      attempt?: number;
      /** This attempt does not run the step: it records the previous attempt's death as caught (`@catchFailure`). */
      fallback?: boolean;
      /** Where it runs when not a local process, for people (e.g. "Slurm job 12"). */
      where?: string;
    } & TaskRef)
  | ({
      type: 'attemptFailed';
      attempt: number;
      pid?: number;
      exception: ExceptionRecord;
      /** What happens next: another attempt after `delayMs` (`@retry`), or a fallback that records the failure as caught. */
      then: 'retry' | 'fallback';
      delayMs: number;
      /** The attempt that comes next. */
      nextAttempt: number;
      /** How many attempts the task may have in all (first + retries). */
      attempts: number;
    } & TaskRef)
  | ({ type: 'taskLog'; pid: number; stream: 'stdout' | 'stderr'; line: string } & TaskRef)
  | ({
      type: 'taskFinished';
      status: Exclude<TaskStatus, 'running'>;
      cloned: boolean;
      clonedFrom?: string;
      pid?: number;
      durationMs: number;
      exception?: ExceptionRecord;
      /** The task's last attempt (0 when it ran once). */
      attempt?: number;
      /** `@catchFailure` caught the step's failure: the task succeeded without its artifacts. */
      caught?: CaughtRecord;
    } & TaskRef)
  /** A foreach body's tasks: done of the total asked for so far (see scheduler/progress.ts). */
  | { type: 'stepProgress'; step: string; done: number; total: number; running: number; outer?: { split: number; of: number } }
  | { type: 'message'; level: 'info' | 'error'; text: string }
  | { type: 'runFinished'; runId: string; status: Exclude<RunStatus, 'running'>; reason?: string; failedTasks: string[] };

export type RunListener = (e: RunEvent) => void;
