/**
 * What a debugger shows of a step's `this` (a task under the inspector only). A debugger lists an
 * object's own data properties as values, but accessors as their getter (js-debug shows
 * `ƒ input() { return hostOf(…`), and names an object by the function V8 compiled as its class,
 * which for a decorated flow is esbuild's inner `_TrainFlow`. So before the step runs:
 * `input` and `index` (getters on FlowSpec) and the parameters (immutable accessors) become own
 * data properties holding their values, on `this` and on each of a join's `inputs`; and the flow
 * class's prototype names it with `Symbol.toStringTag`, which V8 reads before the compiled name.
 * Inherited artifacts stay lazy accessors: reading one may load a large blob.
 */
import { runInThisContext } from 'node:vm';
import type { FlowSpec } from '../api/flowspec';

/** FlowSpec getters that a step may read: shown only where they have a value. */
const FOREACH_VALUES = ['input', 'index'] as const;

export function showValuesToDebugger(flow: FlowSpec, parameterFields: ReadonlySet<string>, inputs: readonly FlowSpec[] = []): void {
  nameFlowClass(flow);
  for (const target of [flow, ...inputs]) pinForeachValues(target);
  pinParameters(flow, parameterFields);
}

/** The class's own name (esbuild keeps it as `name`) where V8 looks first. */
function nameFlowClass(flow: FlowSpec): void {
  const proto = Object.getPrototypeOf(flow) as object;
  const name = (flow.constructor as { name?: unknown }).name;
  if (typeof name !== 'string' || !name || Object.prototype.hasOwnProperty.call(proto, Symbol.toStringTag)) return;
  Object.defineProperty(proto, Symbol.toStringTag, { value: name, configurable: true });
}

/**
 * Not enumerable, so never stored as an artifact; read-only, as the getter was. Where the getter
 * throws (no foreach, a join that closes it) nothing is defined and reading still explains why.
 */
function pinForeachValues(target: FlowSpec): void {
  for (const name of FOREACH_VALUES) {
    let value: unknown;
    try {
      value = target[name];
    } catch {
      continue;
    }
    Object.defineProperty(target, name, { value, enumerable: false, writable: false, configurable: true });
  }
}

/** Parameters are small and read-only: their values, still enumerable (stored as before). */
function pinParameters(flow: FlowSpec, fields: ReadonlySet<string>): void {
  for (const name of fields) {
    const d = Object.getOwnPropertyDescriptor(flow, name);
    if (!d?.get) continue;
    let value: unknown;
    try {
      value = d.get.call(flow);
    } catch {
      continue;
    }
    Object.defineProperty(flow, name, { value, enumerable: d.enumerable ?? true, writable: false, configurable: true });
  }
}

/**
 * The user pressed Pause while no task was under the debugger: this task stops here, before its
 * step runs, in a script of its own (the runtime's code is skipped by the debugger, so a
 * `debugger` statement there would not be shown), named after the step.
 */
export function pauseBeforeStep(step: string): void {
  const source = [
    '(function () {',
    `  // Paused by Stepwise before the step \`${step}\` runs (you pressed Pause).`,
    '  // Step Into goes on into the step; Continue runs it (and stops at its breakpoints).',
    '  debugger;',
    '})',
  ].join('\n');
  const pause = runInThisContext(source, { filename: `stepwise://pause/${encodeURIComponent(step)}.js` }) as () => void;
  pause();
}
