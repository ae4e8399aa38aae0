/**
 * The options every production decorator takes, with their kinds and defaults: one table read by
 * the decorators themselves (runtime/src/api/decorators.ts), the static graph, the linter, the
 * scheduler (through the graph) and `run --with`. Plain data and pure functions only: the flow
 * API, the language server and the webview all load this file.
 */

export type StepDecoratorName = 'retry' | 'catchFailure' | 'timeout' | 'resources' | 'slurm';
export type FlowDecoratorName = 'project';
export type DecoratorName = StepDecoratorName | FlowDecoratorName;

export const STEP_DECORATOR_NAMES: readonly StepDecoratorName[] = ['retry', 'catchFailure', 'timeout', 'resources', 'slurm'];
export const FLOW_DECORATOR_NAMES: readonly FlowDecoratorName[] = ['project'];

export interface OptionSpec {
  kind: 'integer' | 'number' | 'boolean' | 'identifier' | 'projectName' | 'slurmName';
  /** Smallest allowed value (numbers). */
  min?: number;
  /** The value must be above `min`, not equal to it. */
  aboveMin?: boolean;
  /** What it means, for hovers and messages. */
  doc: string;
}

export interface DecoratorSpec {
  options: Record<string, OptionSpec>;
  /** Values of options not given. */
  defaults: Record<string, number | boolean>;
  /** Options that must be given (`@project` needs a name). */
  required?: string[];
  /** One line, for hovers and `--help`. */
  doc: string;
  /** What Metaflow calls it, for docs and hovers. */
  metaflow: string;
  /** It says where a task runs (`@slurm`): a resume does not keep the origin's `--with` of it. */
  placement?: boolean;
}

export const DECORATORS: Record<DecoratorName, DecoratorSpec> = {
  retry: {
    doc: 'Re-runs a failed task in a new process, up to `times` more attempts.',
    metaflow: '@retry(times=3, minutes_between_retries=2)',
    options: {
      times: { kind: 'integer', min: 0, doc: 'how many more attempts after the first fails' },
      minutesBetweenRetries: { kind: 'number', min: 0, doc: 'minutes to wait before each retry (0: at once)' },
    },
    defaults: { times: 3, minutesBetweenRetries: 2 },
  },
  catchFailure: {
    doc: 'When the step still fails after its retries, the task succeeds and the flow goes on; `var` holds the failure.',
    metaflow: '@catch(var=None, print_exception=True)',
    options: {
      var: { kind: 'identifier', doc: 'the artifact that holds `{ type, message, stack }` of the failure (null when none)' },
      printException: { kind: 'boolean', doc: 'print the caught exception to the task’s stderr' },
    },
    defaults: { printException: true },
  },
  timeout: {
    doc: 'Kills an attempt that runs longer than seconds + minutes + hours; it fails with "timed out after N s".',
    metaflow: '@timeout(seconds=0, minutes=0, hours=0)',
    options: {
      seconds: { kind: 'number', min: 0, doc: 'seconds (added to minutes and hours)' },
      minutes: { kind: 'number', min: 0, doc: 'minutes (added to seconds and hours)' },
      hours: { kind: 'number', min: 0, doc: 'hours (added to seconds and minutes)' },
    },
    defaults: { seconds: 0, minutes: 0, hours: 0 },
  },
  resources: {
    doc: 'What the task needs; recorded with the task. Locally `memoryMb` is the task’s heap limit; a cluster launcher honours all three.',
    metaflow: '@resources(cpu=1, memory=4096, gpu=None)',
    options: {
      cpu: { kind: 'number', min: 0, aboveMin: true, doc: 'CPUs' },
      memoryMb: { kind: 'integer', min: 0, aboveMin: true, doc: 'memory in MB (locally: the heap limit)' },
      gpu: { kind: 'integer', min: 0, doc: 'GPUs' },
    },
    defaults: {},
  },
  slurm: {
    doc: 'Runs the task as a Slurm batch job (sbatch) instead of a local process; `@resources` becomes its request. Needs a datastore the nodes share (S3).',
    metaflow: '@batch / @kubernetes (a compute decorator)',
    placement: true,
    options: {
      partition: {
        kind: 'slurmName',
        doc: 'the Slurm partition (default: --slurm-partition, STEPWISE_SLURM_PARTITION, else the cluster’s)',
      },
    },
    defaults: {},
  },
  project: {
    doc: 'Puts the flow in a project: runs get a branch (user.<name>, test.<branch>, prod) and project tags.',
    metaflow: "@project(name='…')",
    options: { name: { kind: 'projectName', doc: 'the project: lowercase letters, digits and underscores' } },
    defaults: {},
    required: ['name'],
  },
};

export function isDecoratorName(name: string): name is DecoratorName {
  return Object.prototype.hasOwnProperty.call(DECORATORS, name);
}

export function isStepDecoratorName(name: string): name is StepDecoratorName {
  return (STEP_DECORATOR_NAMES as readonly string[]).includes(name);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** A Slurm partition (or other Slurm object) name: no spaces, commas or shell characters. */
const SLURM_NAME = /^[A-Za-z0-9_.-]+$/;
/** Metaflow's rule for project and branch names. */
export const PROJECT_NAME = /^[a-z0-9_]+$/;
export const PROJECT_NAME_MAX = 128;

/** Why one option value is wrong, or undefined when it is fine. */
export function optionProblem(decorator: DecoratorName, key: string, value: unknown): string | undefined {
  const spec = DECORATORS[decorator].options[key];
  if (!spec) {
    const known = Object.keys(DECORATORS[decorator].options);
    return `@${decorator} has no option '${key}'. Its options: ${known.join(', ')}.`;
  }
  const where = `@${decorator}'s ${key}`;
  switch (spec.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${where} must be true or false.`;
    case 'identifier':
      return typeof value === 'string' && IDENTIFIER.test(value) && !value.startsWith('_')
        ? undefined
        : `${where} must name an artifact: a plain identifier not starting with _ (e.g. 'failure').`;
    case 'slurmName':
      return typeof value === 'string' && SLURM_NAME.test(value)
        ? undefined
        : `${where} must be a Slurm name: letters, digits, '_', '-' and '.' (e.g. 'gpu').`;
    case 'projectName':
      if (typeof value !== 'string' || !PROJECT_NAME.test(value))
        return `${where} must contain only lowercase letters, digits and underscores (e.g. 'fraud_model').`;
      return value.length > PROJECT_NAME_MAX ? `${where} must be at most ${PROJECT_NAME_MAX} characters.` : undefined;
    default: {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${where} must be a number.`;
      if (spec.kind === 'integer' && !Number.isInteger(value)) return `${where} must be a whole number.`;
      if (spec.min !== undefined && (value < spec.min || (spec.aboveMin && value === spec.min)))
        return `${where} must be ${spec.aboveMin ? 'more than' : 'at least'} ${spec.min}.`;
      return undefined;
    }
  }
}

export interface RetryPolicy {
  times: number;
  minutesBetweenRetries: number;
}
export interface CatchPolicy {
  var?: string;
  printException: boolean;
}
export interface Resources {
  cpu?: number;
  memoryMb?: number;
  gpu?: number;
}

/** `@slurm`: the task is a Slurm job; a partition it names wins over the run's default. */
export interface SlurmPolicy {
  partition?: string;
}

/** What a step's decorators ask of the runtime, defaults applied. */
export interface StepPolicy {
  retry?: RetryPolicy;
  catchFailure?: CatchPolicy;
  /** @timeout's total, in seconds. */
  timeoutSeconds?: number;
  resources?: Resources;
  slurm?: SlurmPolicy;
}

type Options = Record<string, unknown>;

function num(o: Options, key: string, fallback: number): number {
  return typeof o[key] === 'number' ? (o[key] as number) : fallback;
}

/** The policy from each decorator's options (as written; defaults filled in). */
export function policyFrom(decorators: Partial<Record<StepDecoratorName, Options>>): StepPolicy {
  const p: StepPolicy = {};
  const r = decorators.retry;
  if (r) p.retry = { times: num(r, 'times', 3), minutesBetweenRetries: num(r, 'minutesBetweenRetries', 2) };
  const c = decorators.catchFailure;
  if (c) p.catchFailure = { ...(typeof c.var === 'string' ? { var: c.var } : {}), printException: c.printException !== false };
  const t = decorators.timeout;
  if (t) p.timeoutSeconds = timeoutSeconds(t);
  const res = decorators.resources;
  if (res) {
    p.resources = {};
    for (const k of ['cpu', 'memoryMb', 'gpu'] as const) if (typeof res[k] === 'number') p.resources[k] = res[k] as number;
  }
  const sl = decorators.slurm;
  if (sl) p.slurm = typeof sl.partition === 'string' ? { partition: sl.partition } : {};
  return p;
}

/** @timeout's duration: seconds + minutes + hours, like Metaflow's. */
export function timeoutSeconds(o: Options): number {
  return num(o, 'seconds', 0) + num(o, 'minutes', 0) * 60 + num(o, 'hours', 0) * 3600;
}

/** "90 s", "2 min", "1.5 h": a duration for messages. */
export function formatSeconds(s: number): string {
  if (s < 120) return `${Number(s.toFixed(3))} s`;
  if (s < 7200) return `${Number((s / 60).toFixed(2))} min`;
  return `${Number((s / 3600).toFixed(2))} h`;
}
