/** `current`: what the running task knows about itself, like Metaflow's `current`. */

export interface CurrentInfo {
  flowName: string;
  runId: string;
  stepName: string;
  taskId: string;
  pathspec: string;
  originRunId: string | null;
  retryCount: number;
  parameterNames: string[];
  tags: string[];
  username: string;
  /** The pass of each loop around the step (1 = the first), outermost first; empty outside loops. */
  passes: number[];
  /** The run's `@project` place; absent for a flow without `@project`. */
  project?: { name: string; branch: string; production: boolean; userBranch: boolean; flowName: string };
}

let info: CurrentInfo | undefined;

/** @internal Set by the task process before the step runs. */
export function setCurrent(next: CurrentInfo | undefined): void {
  info = next;
}

function field<K extends keyof CurrentInfo>(key: K): CurrentInfo[K] {
  if (!info) {
    throw new Error(`current.${String(key)} is only available inside a running step (stepwise run).`);
  }
  return info[key];
}

export const current = {
  get isRunningFlow(): boolean {
    return info !== undefined;
  },
  get flowName(): string {
    return field('flowName');
  },
  get runId(): string {
    return field('runId');
  },
  get stepName(): string {
    return field('stepName');
  },
  get taskId(): string {
    return field('taskId');
  },
  get pathspec(): string {
    return field('pathspec');
  },
  get originRunId(): string | null {
    return field('originRunId');
  },
  get retryCount(): number {
    return field('retryCount');
  },
  get parameterNames(): string[] {
    return [...field('parameterNames')];
  },
  get tags(): string[] {
    return [...field('tags')];
  },
  get username(): string {
    return field('username');
  },
  /**
   * Which pass of the innermost loop around this step the task is (1 on the first pass, 2 when a
   * switch went back once, …); undefined for a step in no loop.
   */
  get pass(): number | undefined {
    const passes = field('passes');
    return passes[passes.length - 1];
  },
  /** `@project`'s name (Metaflow's `current.project_name`); undefined for a flow without `@project`. */
  get projectName(): string | undefined {
    return field('project')?.name;
  },
  /** The run's branch: `user.<name>`, `test.<name>` (--branch), `prod` (--production); undefined without `@project`. */
  get branchName(): string | undefined {
    return field('project')?.branch;
  },
  /** The run was started with `--production` (false without `@project`). */
  get isProduction(): boolean {
    return field('project')?.production ?? false;
  },
  /** Neither `--branch` nor `--production` was given (false without `@project`). */
  get isUserBranch(): boolean {
    return field('project')?.userBranch ?? false;
  },
  /** `<project>.<branch>.<Flow>`, the flow's name on a production scheduler; undefined without `@project`. */
  get projectFlowName(): string | undefined {
    return field('project')?.flowName;
  },
  /** The pass of every loop around this step, outermost first (empty outside loops). */
  get passes(): number[] {
    return [...field('passes')];
  },
};
