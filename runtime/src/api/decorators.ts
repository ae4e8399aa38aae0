/**
 * The production decorators: `@retry`, `@catchFailure`, `@timeout`, `@resources`, `@slurm` on steps and
 * `@project` on the flow class (Metaflow's `@retry`, `@catch`, `@timeout`, `@resources`,
 * `@project`). Each only records its options on the method or class, so they stack with `@step`
 * in either order, in both the standard (TC39) and the legacy (`experimentalDecorators`) form.
 *
 * The runner learns them from the static graph (their options are literals; lint says so
 * otherwise); the task process reads them here at run time. Importing a flow does nothing else.
 */
import { DECORATORS, optionProblem, type DecoratorName, type StepDecoratorName } from './decoratorOptions';

export interface RetryOptions {
  /** More attempts after the first fails (default 3). */
  times?: number;
  /** Minutes to wait before each retry (default 2; 0 retries at once). */
  minutesBetweenRetries?: number;
}

export interface CatchFailureOptions {
  /** The artifact that holds `{ type, message, stack }` of a caught failure (null when the step succeeded). */
  var?: string;
  /** Print the caught exception to the task's stderr (default true). */
  printException?: boolean;
}

export interface TimeoutOptions {
  seconds?: number;
  minutes?: number;
  hours?: number;
}

export interface ResourcesOptions {
  cpu?: number;
  /** Memory in MB; locally, the task's heap limit. */
  memoryMb?: number;
  gpu?: number;
}

export interface SlurmOptions {
  /** The Slurm partition (default: `--slurm-partition`, `STEPWISE_SLURM_PARTITION`, else the cluster's). */
  partition?: string;
}

export interface ProjectOptions {
  /** Lowercase letters, digits and underscores. */
  name: string;
}

/** What a caught failure looks like in the `@catchFailure({ var })` artifact. */
export interface CaughtFailure {
  type: string;
  message: string;
  stack: string;
}

type AnyFunction = (...args: any[]) => unknown;

/** A method decorator usable in both forms. */
export interface StepDecorator {
  <T extends AnyFunction>(method: T, context: ClassMethodDecoratorContext): T;
  (target: object, key: string | symbol, descriptor: PropertyDescriptor): void;
}

/** A class decorator usable in both forms. */
export interface FlowDecorator {
  <C extends abstract new (...args: any[]) => unknown>(cls: C, context: ClassDecoratorContext): C;
  <C extends abstract new (...args: any[]) => unknown>(cls: C): C;
}

const onMethods = new WeakMap<Function, Partial<Record<StepDecoratorName, Record<string, unknown>>>>();
const onClasses = new WeakMap<Function, ProjectOptions>();

function checkOptions(name: DecoratorName, options: object | undefined): Record<string, unknown> {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new Error(`@${name} takes an options object, e.g. @${name}(${example(name)}).`);
  }
  const o = { ...(options as Record<string, unknown> | undefined) };
  for (const [key, value] of Object.entries(o)) {
    if (value === undefined) continue;
    const problem = optionProblem(name, key, value);
    if (problem) throw new Error(problem);
  }
  for (const key of DECORATORS[name].required ?? []) {
    if (o[key] === undefined) throw new Error(`@${name} needs ${key}: @${name}(${example(name)}).`);
  }
  return o;
}

function example(name: DecoratorName): string {
  return name === 'project' ? "{ name: 'my_project' }" : name === 'timeout' ? '{ minutes: 10 }' : '{ … }';
}

function record(name: StepDecoratorName, fn: unknown, options: Record<string, unknown>): void {
  if (typeof fn !== 'function') throw new Error(`@${name} decorates step methods only.`);
  const set = onMethods.get(fn) ?? {};
  set[name] = options;
  onMethods.set(fn, set);
}

function isContext(x: unknown): x is DecoratorContext {
  return x !== null && typeof x === 'object' && 'kind' in x;
}

function stepDecorator(name: StepDecoratorName, options: object | undefined): StepDecorator {
  const checked = checkOptions(name, options);
  return ((a: unknown, b: unknown, c?: unknown) => {
    if (isContext(b)) {
      if (b.kind !== 'method') throw new Error(`@${name} decorates step methods only.`);
      record(name, a, checked);
      return a;
    }
    record(name, (c as PropertyDescriptor | undefined)?.value, checked);
    return undefined;
  }) as StepDecorator;
}

/**
 * `@retry` or `@retry({ times, minutesBetweenRetries })`: a failed attempt runs again in a new
 * process (same task id; `current.retryCount` counts). Metaflow's `@retry`.
 */
export function retry(options?: RetryOptions): StepDecorator;
export function retry<T extends AnyFunction>(method: T, context: ClassMethodDecoratorContext): T;
export function retry(a?: unknown, b?: unknown): unknown {
  if (typeof a === 'function') return stepDecorator('retry', undefined)(a as AnyFunction, b as ClassMethodDecoratorContext);
  return stepDecorator('retry', a as object | undefined);
}

/**
 * `@catchFailure` or `@catchFailure({ var, printException })`: when the step still fails after
 * its retries (a timeout too), the task succeeds without the step's artifacts, the flow goes on,
 * and `var` holds the failure. Metaflow's `@catch` (`catch` is reserved in JavaScript).
 */
export function catchFailure(options?: CatchFailureOptions): StepDecorator;
export function catchFailure<T extends AnyFunction>(method: T, context: ClassMethodDecoratorContext): T;
export function catchFailure(a?: unknown, b?: unknown): unknown {
  if (typeof a === 'function') return stepDecorator('catchFailure', undefined)(a as AnyFunction, b as ClassMethodDecoratorContext);
  return stepDecorator('catchFailure', a as object | undefined);
}

/** `@timeout({ seconds, minutes, hours })`: an attempt running longer than the sum is killed and fails. */
export function timeout(options: TimeoutOptions): StepDecorator {
  return stepDecorator('timeout', options);
}

/** `@resources({ cpu, memoryMb, gpu })`: what the task needs; locally `memoryMb` caps its heap. */
export function resources(options: ResourcesOptions): StepDecorator {
  return stepDecorator('resources', options);
}

/**
 * `@slurm` or `@slurm({ partition })`: the task runs as a Slurm batch job, not a local process
 * (like Metaflow's `@batch`); `@resources` becomes its request. `run --with slurm` puts it on
 * every step. The run needs a datastore the cluster's nodes share (`--datastore s3`).
 */
export function slurm(options?: SlurmOptions): StepDecorator;
export function slurm<T extends AnyFunction>(method: T, context: ClassMethodDecoratorContext): T;
export function slurm(a?: unknown, b?: unknown): unknown {
  if (typeof a === 'function') return stepDecorator('slurm', undefined)(a as AnyFunction, b as ClassMethodDecoratorContext);
  return stepDecorator('slurm', a as object | undefined);
}

/** `@project({ name })` on the flow class: runs get a branch and project tags (Metaflow's `@project`). */
export function project(options: ProjectOptions): FlowDecorator {
  const checked = checkOptions('project', options) as unknown as ProjectOptions;
  return ((cls: Function, context?: unknown) => {
    if (context !== undefined && isContext(context) && context.kind !== 'class') throw new Error('@project decorates the flow class.');
    onClasses.set(cls, checked);
    return cls;
  }) as FlowDecorator;
}

/** @internal The production decorators recorded on a step method. */
export function decoratorsOf(fn: unknown): Partial<Record<StepDecoratorName, Record<string, unknown>>> {
  return (typeof fn === 'function' && onMethods.get(fn)) || {};
}

/** @internal The `@project` options of a flow class (or of the class it extends). */
export function projectOf(cls: unknown): ProjectOptions | undefined {
  for (let c = cls; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    const p = onClasses.get(c);
    if (p) return p;
  }
  return undefined;
}
