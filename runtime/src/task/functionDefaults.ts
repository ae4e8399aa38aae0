/**
 * Function defaults (`Parameter('test-mode', { default: (ctx) => !ctx.isProduction })`): called
 * with the run's context and checked against the parameter's type. The runner calls them once,
 * before the run exists, in a short child process that loads the compiled flow
 * (`node dist/task.js --stepwise-defaults <json>`), so that a user's code never runs inside the
 * runner and the value is stored in the run's record like any default. `start` calls a function
 * default only when the runner could not see it was one (a default written as a variable).
 */
import { __internal } from '../api';
import type { DefaultFunction, ParameterContext } from '../api/parameter';
import type { ParameterType } from '../graph/types';
import type { ProjectRecord } from '../datastore/types';
import { installResolver, loadFlowClass } from './flowModule';
import { errorType, userStack } from './outcome';

export const DEFAULTS_ARG = '--stepwise-defaults';

/** What the runner asks of the child process. */
export interface DefaultsRequest {
  bundle: string;
  flowFile: string;
  flow: string;
  /** Parameters whose default may be a function, with the type each must give. */
  parameters: Array<{ name: string; type: ParameterType }>;
  context: ParameterContext;
}

/** The child's answer: a value per parameter whose default was a function, or why one failed. */
export type DefaultsReply =
  { ok: true; values: Record<string, unknown> } | { ok: false; parameter?: string; message: string; stack?: string };

/** The context a run's function defaults see, from what the run knows when it starts. */
export function parameterContext(flowName: string, user: string, project: ProjectRecord | undefined): ParameterContext {
  return {
    flowName,
    user,
    projectName: project?.name,
    branchName: project?.branch,
    isProduction: project?.production ?? false,
  };
}

/** A function default's failure, naming the parameter. */
export class DefaultFunctionError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
    /** The `at …` lines of the function's own error, in the flow's TypeScript. */
    readonly frames?: string,
  ) {
    super(message);
    this.name = 'DefaultFunctionError';
  }
}

const TYPE_LABEL: Record<ParameterType, string> = { string: 'String', number: 'Number', boolean: 'Boolean', json: 'JSONType' };

/** Calls the function and checks what it returned; throws DefaultFunctionError naming the parameter. */
export function callDefault(name: string, type: ParameterType, fn: DefaultFunction, ctx: ParameterContext): unknown {
  const where = `the default of --${name} (a function of the run's context)`;
  let value: unknown;
  try {
    value = fn(Object.freeze({ ...ctx }));
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const frames = framesOf(e);
    throw new DefaultFunctionError(name, `${where} threw ${errorType(e)}: ${e.message}`, frames || undefined);
  }
  const problem = typeProblem(type, value);
  if (problem) {
    throw new DefaultFunctionError(
      name,
      `${where} returned ${shown(value)}, but --${name} is a ${TYPE_LABEL[type]} parameter: ${problem}.`,
    );
  }
  return value;
}

function typeProblem(type: ParameterType, value: unknown): string | undefined {
  const fix = `return a ${type === 'json' ? 'JSON-safe value' : type}, or declare the type the value has (type: Number, Boolean, String or JSONType)`;
  if (value instanceof Promise) return 'a function default must return its value, not a promise';
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : fix;
    case 'boolean':
    case 'string':
      return typeof value === type ? undefined : fix;
    case 'json':
      try {
        return value !== undefined && JSON.stringify(value) !== undefined ? undefined : fix;
      } catch {
        return fix;
      }
  }
}

function shown(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (value instanceof Promise) return 'a promise';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (text.length > 80) text = `${text.slice(0, 77)}...`;
  return `${text} (${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`})`;
}

/**
 * The child process: loads the flow, constructs it with a resolver that notes each parameter's
 * options, and calls the function defaults. Constructing the flow runs its field initialisers, as
 * every task does; nothing else of the flow runs.
 */
export function defaultsMain(request: DefaultsRequest): DefaultsReply {
  const { setParameterResolver } = __internal;
  const seen = new Map<string, unknown>();
  try {
    setParameterResolver({
      parameter(name, options) {
        seen.set(name, options.default);
        return undefined;
      },
      includeFile: () => undefined,
    });
    installResolver(request.bundle, request.flowFile);
    const FlowClass = loadFlowClass(request.bundle, request.flow);
    new FlowClass();
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const frames = framesOf(e);
    return {
      ok: false,
      message: `loading the flow to compute its parameter defaults failed: ${errorType(e)}: ${e.message}`,
      stack: frames,
    };
  } finally {
    setParameterResolver(undefined);
  }
  const values: Record<string, unknown> = {};
  for (const p of request.parameters) {
    const d = seen.get(p.name);
    if (typeof d !== 'function') continue;
    try {
      values[p.name] = callDefault(p.name, p.type, d as DefaultFunction, request.context);
    } catch (err) {
      const e = err as DefaultFunctionError;
      return { ok: false, parameter: p.name, message: e.message, stack: e.frames };
    }
  }
  return { ok: true, values };
}

/** The `at …` lines of an error's stack that are the flow's own (the runtime's are dropped). */
function framesOf(e: Error): string {
  return userStack(e)
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .join('\n');
}
