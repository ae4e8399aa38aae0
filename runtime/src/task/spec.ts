/** What the runner tells a task process: everything it needs to run one step, as JSON in argv. */
import type { CatchPolicy, Resources, SlurmPolicy, StepPolicy } from '../api/decoratorOptions';
import type { DatastoreSpec } from '../datastore/spec';
import type { SplitFrame } from '../datastore/types';

/** How a task starts under the debugger: without the inspector, attached, or stopping before its step. */
export type TaskInspection = 'none' | 'attach' | 'pauseBeforeStep';

export interface TaskSpec {
  /** The store the run uses; the task opens the same one (on whichever machine it runs). */
  datastore: DatastoreSpec;
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  /** The compiled flow bundle (CommonJS, inline source map), where the runner has it. */
  bundle: string;
  /** The bundle's hash: the run's code package in the datastore, fetched when `bundle` is not on this machine. */
  codeHash: string;
  /** Artifacts the step reads (from the static graph): a remote store fetches them before the step runs. */
  reads: string[];
  /** The flow's TypeScript file, for resolving its npm imports. */
  flowFile: string;
  /** Pathspecs (Flow/run/step/task) of the tasks this one starts from; several for a join. */
  parents: string[];
  stack: SplitFrame[];
  /** The pass of each loop around the step (1 = the first), outermost first; absent outside loops. */
  passes?: number[];
  /** The run holding the tasks that `stack` names (a spin runs in its own run). Default: runId. */
  stackRunId?: string;
  /** The step takes `inputs` (a join). */
  isJoin: boolean;
  /** The task runs under the V8 inspector and must close it before exiting. */
  inspector: boolean;
  /** Under the inspector: stop before the step runs (the user pressed Pause). */
  pauseBeforeStep?: boolean;
  /** Which attempt this is: 0 first, then one more per `@retry` (`current.retryCount`). */
  attempt: number;
  /** Attempts `@retry` allows after the first (`run --with retry` included): a failure before the last is retried. */
  retries: number;
  /** The step's own decorators as the runner read them from the source; the task checks them against the code it runs. */
  decorators: StepPolicy;
  /** `@catchFailure` in effect (`--with catchFailure` included), and the steps a caught failure goes on to. */
  catchFailure?: CatchPolicy & { next: string[] };
  /**
   * The previous attempt died (killed by `@timeout`, crashed, ran out of memory) after the last
   * retry: this attempt does not run the step, it records the failure as caught.
   */
  fallback?: { type: string; message: string; stack: string };
  /** What `@resources` asked for: the local launcher caps the heap at `memoryMb`; a cluster launcher maps all three. */
  resources?: Resources;
  /** `@slurm` in effect (`--with slurm` included): the task runs as a Slurm job (scheduler/launchers/slurm.ts). */
  slurm?: SlurmPolicy;
  /** `@timeout` in effect, in seconds: the runner enforces it; a cluster launcher also asks the cluster for that much time. */
  timeoutSeconds?: number;
}

export const TASK_SPEC_ARG = '--stepwise-task';
/** The task wrapper on a cluster node (task/remote.ts); the spec comes on stdin. */
export const REMOTE_TASK_ARG = '--stepwise-task-remote';
/** The run's working directory, for the task wrapper only (it is not passed on to the task). */
export const REMOTE_CWD_ENV = 'STEPWISE_REMOTE_TASK_CWD';
/**
 * A spare task process (task/spare.ts): started ahead of its task, it loads the task runtime and
 * then waits for its one task's spec.
 */
export const SPARE_ARG = '--stepwise-spare';
/**
 * The first task's process, started by the CLI's boot before the run is known (task/early.ts):
 * only Node, waiting on stdin for an EarlyStart line that says which runtime file to run.
 */
export const EARLY_ARG = '--stepwise-early';
export interface EarlyStart {
  /** The file to run as the main module: the run's copy of dist/task.js or dist/taskHost.js. */
  entry: string;
  /** Its arguments (process.argv after the entry). */
  args: string[];
  /** The environment it runs with (the process's own is made equal to it first). */
  env: NodeJS.ProcessEnv;
}
/**
 * The exit code of a task thread that stopped because its task cannot run in a thread: a native
 * addon that cannot load in one (task/thread.ts), a module that calls import()
 * (task/contextModules.ts). Nothing of the task is recorded; the runner runs it as a process.
 */
export const PROCESS_ONLY_EXIT = 87;
/** What such a thread tells its host before it stops: the file, and why (a clause after its name). */
export interface ProcessOnlyMessage {
  processOnly: { file: string; why: string };
}
