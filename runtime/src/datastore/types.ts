/**
 * What the datastore holds, as plain JSON records. The on-disk layout is documented in
 * docs/DATASTORE.md; bump LAYOUT_VERSION when a record changes incompatibly.
 */
import type { Resources } from '../api/decoratorOptions';

/**
 * 2: a task may have several attempts (`@retry`): each keeps its own logs and record, and the
 * final record is the last attempt's. Layout-1 runs read as runs whose tasks had one attempt.
 */
export const LAYOUT_VERSION = 2;

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'killed';
export type TaskStatus = 'running' | 'succeeded' | 'failed' | 'killed';

export interface ParameterRecord {
  name: string;
  field: string;
  /** A value that is not JSON-safe is kept only as an artifact; this holds its JSON form. */
  value: unknown;
  kind: 'parameter' | 'includeFile';
  /** IncludeFile: the blob holding the file's contents at run start. */
  hash?: string;
  source: 'flag' | 'env' | 'default';
}

export interface RunRecord {
  layout: number;
  flow: string;
  runId: string;
  /** `Flow/runId` */
  pathspec: string;
  /** Absolute path of the flow file that was run. */
  file: string;
  kind: 'run' | 'resume' | 'spin';
  originRunId: string | null;
  /** The step resume started from, when given. */
  resumeStep: string | null;
  parameters: ParameterRecord[];
  tags: string[];
  user: string;
  startedAt: string;
  /** The runner process, to tell a live run from one whose runner died. */
  runner: { pid: number; host: string };
  maxWorkers: number;
  maxNumSplits: number;
  /** The run's code package (the compiled flow) in the datastore; absent in runs made before it was stored. */
  codeHash?: string;
  /** The version of Stepwise that ran it (absent in records written before 0.1.0's packaging). */
  stepwiseVersion?: string;
  /** Tags the runtime set (`user:<name>`, `runtime:stepwise`, `project:…`); absent in older runs. */
  systemTags?: string[];
  /** `--with` decorators the run added to its steps, as given (`retry`, `timeout:minutes=5`). */
  with?: string[];
  /** The flow's `@project` and the run's branch; absent for a flow without `@project`. */
  project?: ProjectRecord;
}

/** A run's `@project` place (Metaflow's project_name, branch_name, is_production, …). */
export interface ProjectRecord {
  name: string;
  /** `user.<name>`, `test.<name>`, `prod` or `prod.<name>`. */
  branch: string;
  /** Run with `--production`. */
  production: boolean;
  /** Neither `--branch` nor `--production` was given (the branch is `user.<name>`). */
  userBranch: boolean;
  /** `<project>.<branch>.<Flow>`: the flow's name on a production scheduler. */
  flowName: string;
}

export interface RunEndRecord {
  status: Exclude<RunStatus, 'running'>;
  finishedAt: string;
  /** One line: why the run failed or was killed. */
  reason?: string;
  failedTasks?: string[];
}

/** A frame per enclosing split: static branches and foreach items alike. */
export interface SplitFrame {
  kind: 'split' | 'foreach';
  /** The step whose `next` split. */
  step: string;
  /** The task id of the splitting task (identifies this split instance). */
  taskId: string;
  index: number;
  count: number;
}

export interface ArtifactRecord {
  hash: string;
  size: number;
  type: string;
  preview: string;
}

export interface ExceptionRecord {
  name: string;
  message: string;
  /** The stack with frames mapped to the TypeScript sources. */
  stack: string;
}

/** A failure `@catchFailure` caught: also the value of its `var` artifact. */
export interface CaughtRecord {
  /** The error's class (`TypeError`), `TimeoutError` for a timeout, `TaskDied` for a process that died. */
  type: string;
  message: string;
  stack: string;
  /** The attempt that failed last. */
  attempt: number;
  /** The artifact that holds it, when `var` was given. */
  var?: string;
}

export interface TransitionRecord {
  next: string[];
  foreach?: string;
  /** Length of the foreach list. */
  foreachCount?: number;
  /** A switch: its condition artifact and the case it took (`next` holds that case's step). */
  switch?: { condition: string; case: string };
  /**
   * A foreach over an iterable that is not an array (a string, Set, Map…): the blob of its items,
   * materialised once at the split, that the foreach's tasks index into.
   */
  foreachItems?: string;
}

export interface TaskStartRecord {
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  pathspec: string;
  /** Pathspecs of the tasks whose artifacts this one starts from. */
  parents: string[];
  stack: SplitFrame[];
  /**
   * Which pass of each loop around the step this task belongs to (1 = the first), outermost
   * loop first; absent outside loops. With `stack`, it names the task's place in the graph.
   */
  passes?: number[];
  startedAt: string;
  pid?: number;
  /**
   * Which attempt this is (0 first; `@retry` adds more). In start.json: the attempt running now.
   * Absent in layout 1: 0.
   */
  attempt?: number;
  /** What `@resources` asked for (a cluster launcher maps it to its own options). */
  resources?: Resources;
}

export interface TaskRecord extends TaskStartRecord {
  status: Exclude<TaskStatus, 'running'>;
  finishedAt: string;
  durationMs: number;
  artifacts: Record<string, ArtifactRecord>;
  /** Artifacts that a join dropped upstream: name → the join step, so a read can name it. */
  dropped: Record<string, string>;
  transition?: TransitionRecord;
  exception?: ExceptionRecord;
  /** Set when this task was cloned by resume from another run's task. */
  clonedFrom?: string;
  /** The step failed and `@catchFailure` caught it: the task succeeded without the step's artifacts. */
  caught?: CaughtRecord;
  /** Where the time went: setting up (reading parents), the step itself, persisting artifacts. */
  timing?: { setupMs: number; stepMs: number; persistMs: number };
  /** The foreach item index, for listing (also the last frame of `stack`). */
  foreachIndex?: number;
}
