/** What the runner tells a task process: everything it needs to run one step, as JSON in argv. */
import type { SplitFrame } from '../datastore/types';

export interface TaskSpec {
  datastoreRoot: string;
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  /** The compiled flow bundle (CommonJS, inline source map). */
  bundle: string;
  /** The flow's TypeScript file, for resolving its npm imports. */
  flowFile: string;
  /** Pathspecs (Flow/run/step/task) of the tasks this one starts from; several for a join. */
  parents: string[];
  stack: SplitFrame[];
  /** The run holding the tasks that `stack` names (a spin runs in its own run). Default: runId. */
  stackRunId?: string;
  /** The step takes `inputs` (a join). */
  isJoin: boolean;
  /** The task runs under the V8 inspector and must close it before exiting. */
  inspector: boolean;
}

export const TASK_SPEC_ARG = '--stepwise-task';
