/**
 * The base class of every flow and the `@step` decorator. The class itself holds no
 * scheduling logic: while a task runs, the task process attaches a `StepHost` that
 * receives transitions and merges, so importing a flow never does anything.
 */

export type StepMethod = (...args: any[]) => unknown;

export interface ForeachOptions {
  /**
   * Name of the artifact to go over: an array, or any iterable a step can store (a string — one
   * task per character —, a Set, a Map — one per `[key, value]` entry —, a typed array). One task
   * runs per item, seeing it as `this.input`.
   */
  foreach: string;
}

/** The options of a switch: the artifact whose value (`String(value)`) picks the case. */
export interface SwitchOptions<F> {
  condition: keyof F & string;
}

/** A switch's cases: case key → the step that runs when the condition's value is that key. */
export type SwitchCases = { readonly [key: string]: StepMethod };

/** What a switch chose, for the task's record. */
export interface SwitchChoice {
  condition: string;
  /** `String()` of the condition's value: the case that ran. */
  case: string;
}

/**
 * What `mergeArtifacts` considers: every artifact of the branches (the default), only `include`,
 * or all but `exclude` — one of the two at most, like Metaflow's `merge_artifacts`.
 */
export interface MergeOptions {
  include?: readonly string[];
  exclude?: readonly string[];
}

/** One enclosing foreach, as `foreachStack()` lists it (Metaflow's `(index, num_splits, value)`). */
export interface ForeachFrame {
  /** The position of this task's item in the foreach's list. */
  index: number;
  /** How many items (tasks) the foreach has. */
  count: number;
  /** The item itself. */
  value: unknown;
}

/** @internal What the task process provides to the flow object while one step runs. */
export interface StepHost {
  next(targets: string[], foreach: string | undefined, choice?: SwitchChoice): void;
  mergeArtifacts(flow: FlowSpec, inputs: ReadonlyArray<FlowSpec>, options: MergeOptions): void;
  readonly input: unknown;
  readonly index: number;
  foreachStack(): ForeachFrame[];
}

/** @internal */
export const HOST: unique symbol = Symbol.for('stepwise.host');

const stepNames = new WeakMap<Function, string>();

/** @internal The step name a decorated method was registered under. */
export function stepNameOf(fn: unknown): string | undefined {
  return typeof fn === 'function' ? stepNames.get(fn) : undefined;
}

/** Names keys of `F` that are methods, other than those every flow inherits. */
export type StepName<F> = Exclude<{ [K in keyof F]-?: F[K] extends StepMethod ? K : never }[keyof F], keyof FlowSpec>;

/**
 * What a join step receives: one flow view per incoming branch. Indexable (`inputs[0]`),
 * iterable, array methods (`map`, `length`…) and, after a static split, by step name
 * (`inputs.trainKnn`).
 */
export type Inputs<F extends FlowSpec = FlowSpec> = ReadonlyArray<F> & {
  readonly [K in Exclude<StepName<F>, keyof ReadonlyArray<F>>]: F;
};

function hostOf(flow: FlowSpec, what: string): StepHost {
  const host = (flow as unknown as Record<symbol, StepHost | undefined>)[HOST];
  if (!host) throw new Error(`this.${what} is only available while a step runs under stepwise.`);
  return host;
}

export abstract class FlowSpec {
  /**
   * Names the step(s) that run next: `this.next(this.a)`, `this.next(this.a, this.b)` (a
   * static split), `this.next(this.each, { foreach: 'items' })` (one task per item), or
   * `this.next({ small: this.quick, large: this.thorough }, { condition: 'sizeClass' })` (a
   * switch: the one case whose key is `String(this.sizeClass)` runs next).
   */
  next(target: StepMethod, options: ForeachOptions): void;
  next(cases: SwitchCases, options: SwitchOptions<this>): void;
  next(...targets: StepMethod[]): void;
  next(...args: unknown[]): void {
    const host = hostOf(this, 'next()');
    if (args[0] !== null && typeof args[0] === 'object') {
      const choice = chooseCase(this, args[0] as SwitchCases, args[1] as { condition?: unknown } | undefined, args.length);
      host.next([choice.step], undefined, choice.choice);
      return;
    }
    let foreach: string | undefined;
    const last = args[args.length - 1];
    if (last !== null && typeof last === 'object' && !Array.isArray(last)) {
      foreach = (last as ForeachOptions).foreach;
      args = args.slice(0, -1);
      if (typeof foreach !== 'string') {
        throw new Error("this.next(step, { foreach: 'name' }) needs the name of a list artifact as a string.");
      }
    }
    const names = args.map((fn, i) => {
      const name = stepNameOf(fn);
      if (!name) {
        throw new Error(`this.next(): argument ${i + 1} is not a @step method of this flow. Pass steps as this.stepName.`);
      }
      return name;
    });
    if (names.length === 0) throw new Error('this.next() needs at least one step.');
    if (foreach !== undefined && names.length !== 1) {
      throw new Error('this.next(step, { foreach }) takes exactly one step.');
    }
    host.next(names, foreach);
  }

  /**
   * The item of the innermost foreach this task runs in (on a join's `inputs[k]`: that branch's
   * item). Reading it where there is none — outside every foreach, after a static split, or in
   * the join that closes a foreach — is an error that says where the value is instead.
   */
  get input(): unknown {
    return hostOf(this, 'input').input;
  }

  /** The position of `input` in its foreach's list; where `input` is an error, so is this. */
  get index(): number {
    return hostOf(this, 'index').index;
  }

  /**
   * Every foreach this task runs in, outermost first: `{ index, count, value }` each (Metaflow's
   * `foreach_stack()`). Empty outside any foreach; in a join, the foreaches it is still inside.
   */
  foreachStack(): ForeachFrame[] {
    return hostOf(this, 'foreachStack()').foreachStack();
  }

  /**
   * Copies every artifact whose value is the same on all incoming branches. An artifact whose
   * values differ must be set before this call or excluded; otherwise this throws, naming it.
   */
  mergeArtifacts(inputs: ReadonlyArray<FlowSpec>, options: MergeOptions = {}): void {
    hostOf(this, 'mergeArtifacts()').mergeArtifacts(this, inputs, options);
  }
}

/** The case a switch takes, by the value of its condition artifact; throws naming the value and the cases. */
function chooseCase(
  flow: FlowSpec,
  cases: SwitchCases,
  options: { condition?: unknown; foreach?: unknown } | undefined,
  argCount: number,
): { step: string; choice: SwitchChoice } {
  const keys = Object.keys(cases);
  const shown = keys.map((k) => `'${k}'`).join(', ');
  if (argCount !== 2 || options === null || typeof options !== 'object' || typeof options.condition !== 'string') {
    throw new Error(
      `this.next(cases, { condition: 'name' }): a switch takes its cases (${shown}) and an options object naming the condition artifact as a string.`,
    );
  }
  if (options.foreach !== undefined) throw new Error('this.next(cases, { condition }) cannot also be a foreach.');
  const condition = options.condition;
  const value = (flow as unknown as Record<string, unknown>)[condition];
  if (value === undefined) {
    throw new Error(
      `the switch's condition artifact '${condition}' is not set; assign this.${condition} (one of ${shown}) before this.next(...).`,
    );
  }
  const key = String(value);
  if (!Object.prototype.hasOwnProperty.call(cases, key)) {
    const seen = typeof value === 'string' ? `'${key}'` : `${key} (String() of a ${typeof value})`;
    throw new Error(`the switch's condition '${condition}' is ${seen}, which matches no case; the cases are ${shown}.`);
  }
  const step = stepNameOf(cases[key]);
  if (!step) throw new Error(`this.next(cases): the case '${key}' is not a @step method of this flow. Write it as ${key}: this.stepName.`);
  return { step, choice: { condition, case: key } };
}

/** TC39 (standard) decorator form. */
export function step<T extends StepMethod>(method: T, context: ClassMethodDecoratorContext): T;
/** Legacy (`experimentalDecorators`) form. */
export function step(target: object, key: string | symbol, descriptor: PropertyDescriptor): void;
export function step(a: unknown, b: unknown, c?: unknown): unknown {
  if (b !== null && typeof b === 'object' && 'kind' in (b as object)) {
    const context = b as ClassMethodDecoratorContext;
    if (context.kind !== 'method') throw new Error('@step decorates methods only.');
    stepNames.set(a as Function, String(context.name));
    return a;
  }
  const descriptor = c as PropertyDescriptor | undefined;
  if (descriptor && typeof descriptor.value === 'function') {
    stepNames.set(descriptor.value as Function, String(b));
    return undefined;
  }
  throw new Error('@step decorates methods only.');
}
