/** The typed progress events of a run. The CLI prints them; the debug adapter and the extension forward them. */
import type { ExceptionRecord, RunRecord, RunStatus, TaskStatus } from '../datastore/types';

export interface TaskRef {
  pathspec: string;
  step: string;
  taskId: string;
}

export type RunEvent =
  | { type: 'runStarted'; run: RunRecord }
  | ({ type: 'taskStarted'; pid: number; inspectorUrl?: string } & TaskRef)
  | ({ type: 'taskLog'; pid: number; stream: 'stdout' | 'stderr'; line: string } & TaskRef)
  | ({
      type: 'taskFinished';
      status: Exclude<TaskStatus, 'running'>;
      cloned: boolean;
      clonedFrom?: string;
      pid?: number;
      durationMs: number;
      exception?: ExceptionRecord;
    } & TaskRef)
  | { type: 'stepProgress'; step: string; done: number; total: number; running: number }
  | { type: 'message'; level: 'info' | 'error'; text: string }
  | { type: 'runFinished'; runId: string; status: Exclude<RunStatus, 'running'>; reason?: string; failedTasks: string[] };

export type RunListener = (e: RunEvent) => void;
