/**
 * Parameters and included files. At run time a field initialiser such as
 * `k = Parameter('k', { default: 5 })` evaluates to the run's value for `k`: the task
 * process installs a resolver before it constructs the flow object.
 */

/** Marker type for parameters whose value is parsed as JSON. */
export const JSONType: unique symbol = Symbol.for('stepwise.JSONType');
export type JSONTypeMarker = typeof JSONType;

export type ParameterType = StringConstructor | NumberConstructor | BooleanConstructor | JSONTypeMarker;

/**
 * What a function default sees (Metaflow's deploy-time parameter context): the run's place, known
 * when the run starts. Without `@project`, `projectName` and `branchName` are undefined (as
 * `current.projectName`) and `isProduction` is false.
 */
export interface ParameterContext {
  readonly flowName: string;
  readonly user: string;
  readonly projectName: string | undefined;
  readonly branchName: string | undefined;
  readonly isProduction: boolean;
}

/** A value a parameter can hold (its default, or what a function default returns). */
export type ParameterDefault = string | number | boolean | object | null;

/**
 * A default computed when the run starts, from the run's context: the test-mode pattern,
 * `Parameter('test-mode', { default: (ctx) => !ctx.isProduction })`. The runner calls it once,
 * before the run exists, and stores what it returns as the parameter's default value.
 */
export type DefaultFunction = (ctx: ParameterContext) => ParameterDefault;

export interface ParameterOptions {
  default?: ParameterDefault | DefaultFunction;
  type?: ParameterType;
  required?: boolean;
  help?: string;
}

export interface IncludeFileOptions {
  default?: string;
  required?: boolean;
  help?: string;
  /** Read the file as UTF-8 text (a `string`); otherwise the artifact is a `Uint8Array`. */
  isText?: boolean;
}

/** The value type a parameter declaration yields, following `type`, then `default`. */
export type ParameterValue<O> = O extends { type: JSONTypeMarker }
  ? unknown
  : O extends { type: NumberConstructor }
    ? number
    : O extends { type: BooleanConstructor }
      ? boolean
      : O extends { type: StringConstructor }
        ? string
        : O extends { default: (ctx: ParameterContext) => infer R }
          ? ValueOf<R>
          : O extends { default: number }
            ? number
            : O extends { default: boolean }
              ? boolean
              : O extends { default: string }
                ? string
                : O extends { default: object | null }
                  ? unknown
                  : string;

/** The value type of a function default's result. */
type ValueOf<R> = [R] extends [number] ? number : [R] extends [boolean] ? boolean : [R] extends [string] ? string : unknown;

export type IncludeFileValue<O> = O extends { isText: false } ? Uint8Array : string;

/** How the task process supplies values; absent while flows are only being imported. */
export interface ParameterResolver {
  parameter(name: string, options: ParameterOptions): unknown;
  includeFile(name: string, options: IncludeFileOptions): unknown;
}

let resolver: ParameterResolver | undefined;

/** @internal Installed by the runtime before a flow object is constructed. */
export function setParameterResolver(r: ParameterResolver | undefined): void {
  resolver = r;
}

export function Parameter<const O extends ParameterOptions>(name: string, options?: O): ParameterValue<O> {
  if (!resolver) return (options?.default ?? undefined) as ParameterValue<O>;
  return resolver.parameter(name, options ?? {}) as ParameterValue<O>;
}

export function IncludeFile<const O extends IncludeFileOptions>(name: string, options?: O): IncludeFileValue<O> {
  if (!resolver) return (options?.default ?? undefined) as IncludeFileValue<O>;
  return resolver.includeFile(name, options ?? {}) as IncludeFileValue<O>;
}
