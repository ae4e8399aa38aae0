/**
 * Arguments of `run` / `resume`: fixed options plus the flow's own parameters as `--name value`
 * (or `--name=value`), which are only known once the flow is read.
 */
import { UsageError } from '../errors';
import type { WithDecorator } from '../graph/decorators';
import type { ParamFlags } from '../run/parameters';
import type { SessionOptions } from '../run/session';
import type { CommandIO } from './command';
import { intOption } from './args';
import { parseWithOption } from '../run/withOption';

export interface RunArgs {
  positionals: string[];
  /** Every occurrence of each `--name`, in order: a value, or `true` for a bare flag. */
  params: ParamFlags;
  maxWorkers?: number;
  maxNumSplits?: number;
  tags: string[];
  /** `--with retry[:k=v,…]`: step decorators added to every step lacking one (repeatable). */
  with: WithDecorator[];
  /** The `--with` values as given, for the run record. */
  withText: string[];
  quiet: boolean;
  /** Print each RunEvent as one JSON line instead of the console view (for the extension). */
  jsonEvents: boolean;
  originRunId?: string;
  /** `--datastore local|s3` */
  datastore?: string;
  /** `--slurm-partition P`: the partition of `@slurm` tasks that name none. */
  slurmPartition?: string;
  /** `--task-isolation process|thread`. */
  taskIsolation?: string;
}

/** The session options `run` and `resume` take from their flags alike (the file is the first positional). */
export function flowRunOptions(a: RunArgs, io: CommandIO) {
  return {
    file: a.positionals[0],
    cwd: io.cwd,
    env: io.env,
    paramFlags: a.params,
    maxWorkers: a.maxWorkers,
    maxNumSplits: a.maxNumSplits,
    tags: a.tags,
    withDecorators: a.withText,
    datastore: a.datastore,
    slurmPartition: a.slurmPartition,
    taskIsolation: a.taskIsolation,
  } satisfies Partial<SessionOptions>;
}

const VALUE_OPTIONS = new Set([
  'max-workers',
  'max-num-splits',
  'tag',
  'origin-run-id',
  'datastore',
  'with',
  'slurm-partition',
  'task-isolation',
]);

export function parseRunArgs(command: string, args: string[]): RunArgs {
  const out: RunArgs = { positionals: [], params: new Map(), tags: [], with: [], withText: [], quiet: false, jsonEvents: false };
  const fixed = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--') || a === '--') {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (name === 'quiet' || name === 'json-events') {
      if (name === 'quiet') out.quiet = true;
      else out.jsonEvents = true;
      continue;
    }
    let value: string | true = eq > 0 ? a.slice(eq + 1) : true;
    // `--production` (@project's flag) never takes the next word: `run --production flow.ts`.
    if (value === true && name !== 'production') {
      const nextArg = args[i + 1];
      // A bare flag (next is another flag or nothing) is `true`: only a Boolean parameter may be
      // one, which resolveParameters checks once the flow's parameters are known.
      if (nextArg !== undefined && !(nextArg.startsWith('--') && nextArg.length > 2)) value = args[++i];
    }
    if (!VALUE_OPTIONS.has(name)) {
      out.params.set(name, [...(out.params.get(name) ?? []), value]);
      continue;
    }
    if (value === true) throw new UsageError(`--${name} needs a value. See: stepwise ${command} --help`);
    if (fixed.has(name) && name !== 'tag' && name !== 'with')
      throw new UsageError(`--${name} was given twice ('${fixed.get(name)}', then '${value}'): give it once.`);
    if (name === 'tag') out.tags.push(value);
    else if (name === 'with') {
      out.with.push(parseWithOption(value));
      out.withText.push(value);
    } else fixed.set(name, value);
  }
  out.maxWorkers = intOption('max-workers', fixed.get('max-workers'), 1);
  out.maxNumSplits = intOption('max-num-splits', fixed.get('max-num-splits'), 1);
  out.originRunId = fixed.get('origin-run-id');
  out.datastore = fixed.get('datastore');
  out.slurmPartition = fixed.get('slurm-partition');
  out.taskIsolation = fixed.get('task-isolation');
  return out;
}
