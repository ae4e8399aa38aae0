/**
 * The plain-data model of a flow, read from source text without executing it. Every reader
 * (CLI, language server, webview, debug adapter) receives exactly this JSON-safe shape.
 * Positions are 0-based lines and UTF-16 columns, like LSP.
 */

import type { DecoratorName } from '../api/decoratorOptions';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A value's kind as its source text shows it: a literal's, `new Set(…)`/`new Map(…)`, else `other`. */
export type ValueKind = 'string' | 'number' | 'bigint' | 'boolean' | 'null' | 'undefined' | 'object' | 'array' | 'set' | 'map' | 'other';

export type StepKind = 'start' | 'linear' | 'split' | 'foreach' | 'switch' | 'join' | 'end';

export interface ArtifactRef {
  name: string;
  range: Range;
}

/** One case of a switch: `{ key: this.step }`. */
export interface SwitchCase {
  /** The case's key, as JavaScript reads it (`{ 1: this.a }` has the key `'1'`). */
  key: string;
  keyRange: Range;
  /** The step the case goes to, when the value is written `this.<name>`. */
  step?: string;
  /** The value as written, and where. */
  valueText: string;
  valueRange: Range;
}

/**
 * `this.next({ small: this.quick, large: this.thorough }, { condition: 'sizeClass' })`: the
 * value of the artifact `condition` picks the one case that runs next.
 */
export interface SwitchNode {
  /** The condition artifact, when given as a string literal. */
  condition?: string;
  /** Range of the `condition` option's value (or of the property, when it has none); absent when there is no `condition`. */
  conditionRange?: Range;
  /** Readable cases, in source order. */
  cases: SwitchCase[];
  /** The cases object, or the expression standing where it should be. */
  casesRange: Range;
  /** The cases are not an object literal (a variable, a call): the runner could not read them. */
  casesNotLiteral?: boolean;
  /** Entries of the cases object that cannot be read without running the file (computed keys, spreads, methods). */
  dynamicCases: Array<{ text: string; range: Range }>;
  /** The options object (`{ condition: … }`), when there is one. */
  optionsRange?: Range;
  /** The options object also has `foreach`. */
  withForeach?: boolean;
}

/** One option of a decorator's options object (`times: 2`). */
export interface DecoratorOption {
  key: string;
  keyRange: Range;
  /** The whole `key: value`. */
  range: Range;
  /** The value when it is a literal; `valueText` holds the source otherwise. */
  value?: string | number | boolean | null | object;
  valueText?: string;
}

/**
 * A production decorator on a step or on the flow class (`@retry({ times: 2 })`), as written.
 * Only Stepwise's own (`retry`, `catchFailure`, `timeout`, `resources`, `slurm`, `project`, under any
 * import alias); other decorators are not read.
 */
export interface DecoratorNode {
  /** The API name, whatever the local alias. */
  name: DecoratorName;
  /** From the `@` to the end of the decorator. */
  range: Range;
  /** `@retry(...)` rather than a bare `@retry`. */
  called: boolean;
  /** The options of an object-literal argument, in source order. */
  options: DecoratorOption[];
  /** The source of arguments that are not one object literal (their options cannot be read). */
  invalidArgument?: { text: string; range: Range };
}

/** A helper method (not a step): its name and range, and any production decorators put on it. */
export interface MethodNode extends ArtifactRef {
  decorators?: DecoratorNode[];
}

export interface StepNode {
  name: string;
  /** start | end by name; join if it takes `inputs`; else foreach / switch / split / linear by its `next`. */
  kind: StepKind;
  /** Step names from the (last) `this.next(...)` call, in argument order (a switch: its cases' steps, in case order). */
  successors: string[];
  /** Steps whose `next` names this one, in source order. Filled after all steps are read. */
  predecessors: string[];
  /** The list artifact of `this.next(this.x, { foreach: 'items' })`. */
  foreachVar?: string;
  foreachRange?: Range;
  /** The `next` call is a switch (a cases object). */
  switch?: SwitchNode;
  /**
   * More than one `this.next` call, each ending its own path through the method (`if … else`):
   * a choice made at run time that the graph cannot see. A switch says it statically.
   */
  conditionalNext?: boolean;
  /**
   * What the step itself assigns to `foreachVar` with `=`, each value's kind as far as the source
   * says (`other` when it is not a literal), in source order: lint flags a foreach over a value
   * that cannot be iterated.
   */
  foreachValues?: Array<{ kind: ValueKind; range: Range }>;
  doc?: string;
  isAsync: boolean;
  /** The method declares a parameter (the join's `inputs`). */
  takesInputs: boolean;
  /** Range of the whole method declaration (decorators included). */
  range: Range;
  /** Range of the method's name. */
  nameRange: Range;
  /** Range of the `this.next(...)` call expression, when present. */
  nextRange?: Range;
  /** One range per argument of `next` naming a step (`this.a`; a switch: per case value), parallel to `successors`. */
  successorRanges: Range[];
  /** How many `this.next` calls the method contains (more than one is a lint error). */
  nextCallCount: number;
  /** `this.next` exists but is not the last statement of the method body. */
  nextNotLast: boolean;
  /** Artifacts assigned with `this.x = …`, `this.x += …`, `this.x++`…; first range of each. */
  assigns: ArtifactRef[];
  /** Artifacts read as `this.x` (not as the target of a plain assignment); first range of each. */
  reads: ArtifactRef[];
  /** The step calls `this.mergeArtifacts(...)`; include/exclude lists when given as literals. */
  merge?: { range: Range; include?: string[]; exclude?: string[] };
  /**
   * Artifacts whose value must come from upstream: read before the step itself assigns them
   * (in source order; `this.x += 1` reads first). First read of each; a subset of `reads`.
   */
  upstreamReads: ArtifactRef[];
  /** Arguments of `next` that are not `this.<step>` (nor the trailing foreach options). */
  invalidNextArgs: Array<{ text: string; range: Range }>;
  /** Range inside the parentheses of the method's parameter list (where `inputs` goes). */
  parametersRange: Range;
  /** `@retry`, `@catchFailure`, `@timeout`, `@resources`, `@slurm` on the step, in source order. */
  decorators?: DecoratorNode[];
}

export interface FieldNode extends ArtifactRef {
  /** `x = value` in the class body: the artifact exists before `start` runs. */
  initialized: boolean;
}

export type ParameterType = 'string' | 'number' | 'boolean' | 'json';

export interface ParameterNode {
  /** The name on the command line (`--name`), the first argument of `Parameter(...)`. */
  name: string;
  /** The class field that holds the value; the artifact's name. */
  field: string;
  /** `Parameter` or `IncludeFile`. */
  declaration: 'parameter' | 'includeFile';
  type: ParameterType;
  /** The default value when it is a literal; `defaultText` holds the source otherwise. */
  default?: string | number | boolean | null | object;
  defaultText?: string;
  /**
   * The default is a function of the run's context (`default: (ctx) => !ctx.isProduction`),
   * called when a run starts; its type is `type`, else what its returns show, else string.
   */
  defaultFunction?: boolean;
  required: boolean;
  help?: string;
  /** IncludeFile only: read as text. */
  isText?: boolean;
  range: Range;
  nameRange: Range;
}

export interface SyntaxProblem {
  message: string;
  range: Range;
}

export interface FlowGraph {
  /** Bumped when this shape changes incompatibly. */
  version: 1;
  /** The file the text came from, when known. */
  file?: string;
  /** The flow class (the default export, else the first class extending FlowSpec). */
  flowName: string | null;
  doc?: string;
  classRange?: Range;
  classNameRange?: Range;
  /** Further classes extending FlowSpec in the same file (one flow per file is a lint error). */
  otherFlows: Array<{ name: string; range: Range }>;
  /** Steps in source order. */
  steps: StepNode[];
  parameters: ParameterNode[];
  /** Fields declared with `declare x: T` or initialised (not parameters): name and range. */
  fields: FieldNode[];
  /** Non-step methods and accessors of the flow class: helpers, never artifacts. */
  methods: MethodNode[];
  /** Production decorators on the flow class (`@project`), in source order. */
  classDecorators?: DecoratorNode[];
  /** Syntax errors reported by the parser; the graph is the best that could be read. */
  syntaxErrors: SyntaxProblem[];
}
