/**
 * `@project` branches, as Metaflow names them: `user.<username>` by default, `test.<name>` with
 * `--branch NAME`, `prod` with `--production`, `prod.<name>` with both. The flow's project name
 * and branch give `projectFlowName` (`<project>.<branch>.<Flow>`) and the run's project tags.
 */
import { PROJECT_NAME, PROJECT_NAME_MAX } from '../api/decoratorOptions';
import type { ProjectRecord } from '../datastore/types';
import { UsageError } from '../errors';
import { projectName } from '../graph/decorators';
import type { FlowGraph } from '../graph/types';
import type { ParamFlags } from './parameters';

/** The run options `@project` adds (Metaflow's top-level `--branch` and `--production`). */
export const PROJECT_OPTIONS = ['branch', 'production'] as const;

export interface ProjectFlags {
  branch?: string;
  production: boolean;
}

/**
 * Takes `--branch` and `--production` out of the run's flags when the flow has `@project`
 * (elsewhere they stay, and are an unknown option unless the flow has such parameters).
 */
export function takeProjectFlags(graph: FlowGraph, flags: ParamFlags): ProjectFlags {
  const out: ProjectFlags = { production: false };
  if (!projectName(graph.classDecorators)) return out;
  for (const name of PROJECT_OPTIONS) {
    if (graph.parameters.some((p) => p.name === name)) {
      throw new UsageError(
        `${graph.flowName} has @project, which takes --${name} for itself, and also a parameter named '${name}': rename the parameter.`,
      );
    }
  }
  const branch = flags.get('branch');
  const production = flags.get('production');
  flags.delete('branch');
  flags.delete('production');
  if (branch) {
    if (branch.length > 1 || branch[0] === true) throw new UsageError('--branch takes one branch name, e.g. --branch new_model.');
    out.branch = branch[0];
  }
  if (production) {
    // A bare flag on the command line; the debug launch's "params" gives true or false.
    const [v] = production;
    if (production.length > 1 || !(v === true || v === 'true' || v === 'false'))
      throw new UsageError('--production is a flag: give it once, with no value.');
    out.production = v !== 'false';
  }
  return out;
}

/** The run's project record, or undefined for a flow without `@project`. */
export function projectFor(graph: FlowGraph, flags: ProjectFlags, user: string): ProjectRecord | undefined {
  const name = projectName(graph.classDecorators);
  if (!name) return undefined;
  let branch: string;
  if (flags.branch !== undefined) {
    if (!PROJECT_NAME.test(flags.branch)) {
      throw new UsageError(
        `--branch ${flags.branch}: a branch name may contain only lowercase letters, digits and underscores (as @project names), e.g. --branch new_model.`,
      );
    }
    if (flags.branch.length > PROJECT_NAME_MAX) throw new UsageError(`--branch: a branch name is at most ${PROJECT_NAME_MAX} characters.`);
    branch = `${flags.production ? 'prod' : 'test'}.${flags.branch}`;
  } else branch = flags.production ? 'prod' : `user.${user}`;
  return {
    name,
    branch,
    production: flags.production,
    userBranch: flags.branch === undefined && !flags.production,
    flowName: `${name}.${branch}.${graph.flowName}`,
  };
}

/** The hint for `--branch`/`--production` given to a flow without `@project`. */
export function projectOptionHint(name: string): string {
  return (PROJECT_OPTIONS as readonly string[]).includes(name) ? ` (--${name} is an option of flows with @project)` : '';
}
