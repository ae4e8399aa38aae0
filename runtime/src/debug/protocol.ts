/**
 * What the Stepwise debug adapter says beyond standard DAP, shared by the adapter and the
 * extension: the launch configuration, and the custom events it sends.
 */
import type { RunEvent } from '../scheduler/events';

export const DEBUG_TYPE = 'stepwise';

/** A task waits under the V8 inspector; attach a JavaScript debugger with `config`. */
export const ATTACH_EVENT = 'stepwiseAttach';
/** Every RunEvent of the run except log lines (those arrive as DAP output events). */
export const RUN_EVENT = 'stepwiseRunEvent';

export interface StepwiseLaunchArguments {
  /** The flow file (absolute, or relative to `cwd`). */
  flow: string;
  command?: 'run' | 'resume' | 'spin';
  /** `spin`: the task to re-run with its inputs and parameters (`run/step/task` or `Flow/run/step/task`). */
  pathspec?: string;
  /** Parameter values by parameter name (`run` only). */
  params?: Record<string, unknown>;
  /** `resume`: the run to resume (default: your latest finished run of the flow). */
  originRunId?: string;
  /** `resume`: the step to re-run from (default: the failed step). */
  step?: string;
  /** Task processes at once (default 1 under the debugger). */
  maxWorkers?: number;
  maxNumSplits?: number;
  tags?: string[];
  env?: Record<string, string | null>;
  /** Where the datastore is looked up from and where tasks run (default: the flow's folder). */
  cwd?: string;
  /** `local` or `s3` (as `--datastore`); default: STEPWISE_DATASTORE, which the extension sets from its settings. */
  datastore?: string;
  noDebug?: boolean;
  /** Set by a client that answers ATTACH_EVENT (the extension's configuration provider). */
  __stepwiseAttach?: boolean;
}

/** A `pwa-node` attach configuration, ready for `vscode.debug.startDebugging`. */
export interface TaskAttachConfig {
  type: 'pwa-node';
  request: 'attach';
  /** `run/step/task`, e.g. `7/b/3`: the name of the child debug session. */
  name: string;
  address: string;
  port: number;
  websocketAddress: string;
  continueOnAttach: true;
  autoAttachChildProcesses: false;
  attachExistingChildren: false;
  sourceMaps: true;
  outFiles: string[];
  pauseForSourceMap: boolean;
  skipFiles: string[];
  resolveSourceMapLocations: string[];
  cwd: string;
  trace?: { logFile: string };
  /** The task's full pathspec, for whoever needs to map a session back to its task. */
  __stepwiseTask: string;
}

export interface AttachEventBody {
  /** `Flow/run/step/task` */
  pathspec: string;
  pid: number;
  /** The inspector's WebSocket URL (`ws://127.0.0.1:PORT/UUID`). */
  inspectorUrl: string;
  config: TaskAttachConfig;
}

export type RunEventBody = Exclude<RunEvent, { type: 'taskLog' }>;
