/**
 * A `stepwise` launch configuration → the runtime's SessionOptions. Every mistake becomes a
 * UsageError naming the attribute, so the user reads one clear message and the session ends.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors';
import type { SessionOptions } from '../run/session';
import type { ParamFlags } from '../run/parameters';
import type { StepwiseLaunchArguments } from './protocol';

/** Under the debugger, one task at a time: a paused task never races another one. */
export const DEBUG_MAX_WORKERS = 1;

function paramText(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || typeof value === 'object') return JSON.stringify(value);
  throw new UsageError(`params.${name} must be a string, number, boolean or JSON value, not ${typeof value}.`);
}

function positiveInt(name: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new UsageError(`"${name}" must be a whole number ≥ 1, got ${JSON.stringify(v)}.`);
  return v;
}

/** `spin`: the task to re-run, `Flow/run/step/task` or `run/step/task` (of the flow in `flow`). */
function spinPathspec(v: unknown): string {
  const parts = typeof v === 'string' ? v.split('/').filter(Boolean) : [];
  if (parts.length !== 3 && parts.length !== 4) {
    throw new UsageError(
      `"command": "spin" needs "pathspec": the task to re-run, as run/step/task or Flow/run/step/task (e.g. "1769…/train/3"), not ${JSON.stringify(v)}.`,
    );
  }
  return parts.join('/');
}

export interface LaunchPlan {
  options: SessionOptions;
  /** Tasks start under the inspector and an attach event goes out for each. */
  attach: boolean;
}

export function planLaunch(args: StepwiseLaunchArguments, baseEnv: NodeJS.ProcessEnv): LaunchPlan {
  if (typeof args.flow !== 'string' || !args.flow.trim()) {
    throw new UsageError('the launch configuration needs "flow": the flow file to run (e.g. "${file}").');
  }
  const command = args.command ?? 'run';
  if (command !== 'run' && command !== 'resume' && command !== 'spin')
    throw new UsageError(`"command" must be "run", "resume" or "spin", not ${JSON.stringify(command)}.`);
  const spinTask = command === 'spin' ? spinPathspec(args.pathspec) : undefined;
  const flowCwd = args.cwd ?? (isAbsolute(args.flow) ? dirname(args.flow) : process.cwd());
  const cwd = resolve(flowCwd);
  const file = resolve(cwd, args.flow);

  const env: NodeJS.ProcessEnv = { ...baseEnv };
  for (const [k, v] of Object.entries(args.env ?? {})) {
    if (v === null) delete env[k];
    else env[k] = String(v);
  }

  const paramFlags: ParamFlags = new Map();
  if (args.params !== undefined) {
    if (typeof args.params !== 'object' || args.params === null || Array.isArray(args.params)) {
      throw new UsageError('"params" must be an object of parameter values by name, e.g. { "k": 7 }.');
    }
    for (const [name, value] of Object.entries(args.params)) paramFlags.set(name, [paramText(name, value)]);
  }
  if (command !== 'run' && paramFlags.size) {
    throw new UsageError(
      `"params" cannot be given with "command": "${command}": it keeps the parameters of its origin run. Start a new run to change them.`,
    );
  }
  if (args.tags !== undefined && (!Array.isArray(args.tags) || args.tags.some((t) => typeof t !== 'string'))) {
    throw new UsageError('"tags" must be a list of strings.');
  }

  const attach = args.__stepwiseAttach === true && args.noDebug !== true;
  return {
    attach,
    options: {
      file,
      cwd,
      env,
      kind: command,
      paramFlags: command === 'run' ? paramFlags : new Map(),
      originRunId: command === 'resume' ? args.originRunId || undefined : undefined,
      resumeStep: command === 'resume' ? args.step || undefined : undefined,
      ...(spinTask ? { spinTask } : {}),
      maxWorkers: positiveInt('maxWorkers', args.maxWorkers) ?? DEBUG_MAX_WORKERS,
      maxNumSplits: positiveInt('maxNumSplits', args.maxNumSplits),
      // As `stepwise spin` tags its runs.
      tags: command === 'spin' ? [...new Set(['spin', ...(args.tags ?? [])])] : (args.tags ?? []),
      inspector: attach,
      // "local" or "s3"; else the adapter's environment decides (the extension sets it from the settings).
      datastore: args.datastore || undefined,
    },
  };
}
