/**
 * Flow source text → FlowGraph, in phases (like Metaflow's graph.py): find the flow class,
 * read its members, read each step body, then link predecessors and kinds. Parse only: the
 * file is never type-checked or executed, and a file with syntax errors still gives the
 * best graph the parser's recovery allows.
 */
import { apiNames, findFlowClasses, type ApiNames } from './classes';
import { readBody, type BodyContext } from './body';
import { readDecorators } from './decorators';
import { isFunctionDefault, returnedType } from './defaultFunction';
import { API_MEMBERS } from './names';
import { SourceText, calleeName, literalValue, nameOf, unwrap, NOT_LITERAL } from './source';
import type {
  ArtifactRef,
  DecoratorNode,
  FieldNode,
  FlowGraph,
  MethodNode,
  ParameterNode,
  ParameterType,
  StepKind,
  StepNode,
  SyntaxProblem,
} from './types';
import { sourceFileFor } from './sourceFiles';
import { isStackOverflow, tooDeep } from './depth';
import { typescript, type TsTypes as ts } from './typescript';

export interface ParseOptions {
  /**
   * Re-parse incrementally from the previous text parsed under the same file name (default
   * true). The result is the same either way; false always parses from scratch.
   */
  incremental?: boolean;
}

/**
 * The flow graph of `text`. Throws FlowTooDeepError (naming the construct) when the text nests
 * deeper than the recursive parser can follow.
 */
export function parseFlow(text: string, fileName = 'flow.ts', options: ParseOptions = {}): FlowGraph {
  try {
    return parseGraph(text, fileName, options);
  } catch (err) {
    if (isStackOverflow(err)) throw tooDeep(text, fileName);
    throw err;
  }
}

function parseGraph(text: string, fileName: string, options: ParseOptions): FlowGraph {
  const sf = sourceFileFor(fileName, text, options.incremental !== false);
  const src = new SourceText(sf);
  const errors = syntaxErrors(sf, src);
  const api = apiNames(sf);
  const { flow, others } = findFlowClasses(sf, api);
  const otherFlows = others.map((c) => ({ name: c.name!.text, range: src.range(c.name!) }));
  const graph: FlowGraph = {
    version: 1,
    file: fileName,
    flowName: null,
    doc: undefined,
    classRange: undefined,
    classNameRange: undefined,
    otherFlows,
    parameters: [],
    fields: [],
    methods: [],
    steps: [],
    syntaxErrors: errors,
  };
  if (flow) {
    graph.flowName = flow.name!.text;
    graph.doc = src.docComment(flow);
    graph.classRange = src.range(flow);
    graph.classNameRange = src.range(flow.name!);
    const classDecorators = readDecorators(flow, api, src);
    if (classDecorators.length) graph.classDecorators = classDecorators;
    const members = readMembers(flow, src, api, graph);
    const notArtifacts = new Set<string>([...API_MEMBERS, ...members.steps.map((m) => m.name), ...graph.methods.map((m) => m.name)]);
    const ctx: BodyContext = { src, notArtifacts, helperAssigns: helperAssignments(members.helpers, src, notArtifacts) };
    for (const ctor of members.constructors) initialisedInConstructor(ctor, ctx, graph.fields);
    graph.steps = members.steps.map((m) => withDecorators(readStep(m.node, m.name, ctx), m.decorators));
    link(graph.steps);
  }
  return dropUndefined(graph);
}

/** Optional fields that are absent are left out, so the JSON is the same after a round trip. */
function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

function syntaxErrors(sf: ts.SourceFile, src: SourceText): SyntaxProblem[] {
  const t = typescript();
  // parseDiagnostics is the parser's own list; asking a Program for it would mean binding.
  const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return diags.map((d) => ({
    message: t.flattenDiagnosticMessageText(d.messageText, '\n'),
    range: src.span(d.start, d.start + d.length),
  }));
}

interface StepMember {
  name: string;
  node: ts.MethodDeclaration;
  decorators: DecoratorNode[];
}

/** Production decorators go on the node only when there are some (the JSON stays as it was otherwise). */
function withDecorators<T extends StepNode | MethodNode>(node: T, decorators: DecoratorNode[]): T {
  if (decorators.length) node.decorators = decorators;
  return node;
}

function hasStepDecorator(node: ts.MethodDeclaration, api: ApiNames): boolean {
  const t = typescript();
  const decorators = t.canHaveDecorators(node) ? t.getDecorators(node) : undefined;
  return decorators?.some((d) => api.step.has(calleeName(d.expression) ?? '')) ?? false;
}

function isStatic(node: ts.Node): boolean {
  const t = typescript();
  return (t.canHaveModifiers(node) && t.getModifiers(node)?.some((m) => m.kind === t.SyntaxKind.StaticKeyword)) ?? false;
}

/** Phase 2a: steps, parameters, declared fields and helper methods of the flow class. */
function readMembers(cls: ts.ClassDeclaration, src: SourceText, api: ApiNames, graph: FlowGraph) {
  const t = typescript();
  const steps: StepMember[] = [];
  const constructors: ts.ConstructorDeclaration[] = [];
  const helpers = new Map<string, ts.Node>();
  for (const m of cls.members) {
    if (t.isConstructorDeclaration(m)) {
      constructors.push(m);
      continue;
    }
    if (isStatic(m)) continue;
    const name = nameOf(m.name);
    if (name === undefined || !m.name) continue;
    const ref: ArtifactRef = { name, range: src.range(m.name) };
    if (t.isMethodDeclaration(m)) {
      if (!m.body) continue; // an overload signature; the implementation follows
      if (hasStepDecorator(m, api)) steps.push({ name, node: m, decorators: readDecorators(m, api, src) });
      else {
        graph.methods.push(withDecorators(ref, readDecorators(m, api, src)));
        helpers.set(name, m.body);
      }
    } else if (t.isGetAccessorDeclaration(m) || t.isSetAccessorDeclaration(m)) {
      if (!graph.methods.some((x) => x.name === name)) graph.methods.push(withDecorators(ref, readDecorators(m, api, src)));
    } else if (t.isPropertyDeclaration(m)) {
      const init = m.initializer && unwrap(m.initializer);
      const callee = init && t.isCallExpression(init) ? calleeName(init.expression) : undefined;
      if (init && t.isCallExpression(init) && callee && (api.parameter.has(callee) || api.includeFile.has(callee))) {
        graph.parameters.push(readParameter(m, name, init, api.includeFile.has(callee), src));
      } else if (init && (t.isArrowFunction(init) || t.isFunctionExpression(init))) {
        graph.methods.push(withDecorators(ref, readDecorators(m, api, src)));
        if (t.isArrowFunction(init)) helpers.set(name, init.body);
      } else {
        const declared = t.getModifiers(m)?.some((x) => x.kind === t.SyntaxKind.DeclareKeyword) ?? false;
        graph.fields.push({ ...ref, initialized: !!init && !declared });
      }
    }
  }
  return { steps, constructors, helpers };
}

/**
 * What each helper method assigns, following helpers it calls in turn (a recursive helper
 * contributes what was found before the recursion).
 */
function helperAssignments(
  helpers: Map<string, ts.Node>,
  src: SourceText,
  notArtifacts: ReadonlySet<string>,
): (name: string) => readonly string[] | undefined {
  const done = new Map<string, readonly string[]>();
  const busy = new Set<string>();
  const lookup = (name: string): readonly string[] | undefined => {
    const body = helpers.get(name);
    if (!body) return undefined;
    const known = done.get(name);
    if (known) return known;
    if (busy.has(name)) return [];
    busy.add(name);
    const names = readBody(body, { src, notArtifacts, helperAssigns: lookup }).assigns.map((a) => a.name);
    busy.delete(name);
    done.set(name, names);
    return names;
  };
  return lookup;
}

/** `this.x = …` in a constructor makes `x` exist before `start`, like a field initialiser. */
function initialisedInConstructor(ctor: ts.ConstructorDeclaration, ctx: BodyContext, fields: FieldNode[]): void {
  for (const a of readBody(ctor.body, ctx).assigns) {
    const f = fields.find((x) => x.name === a.name);
    if (f) f.initialized = true;
    else fields.push({ ...a, initialized: true });
  }
}

const TYPE_NAMES: Record<string, ParameterType> = { String: 'string', Number: 'number', Boolean: 'boolean', JSONType: 'json' };

function readParameter(m: ts.PropertyDeclaration, field: string, call: ts.CallExpression, isFile: boolean, src: SourceText): ParameterNode {
  const t = typescript();
  const [nameArg, optsArg] = call.arguments;
  const nameLit = nameArg && unwrap(nameArg);
  const hasName = !!nameLit && (t.isStringLiteral(nameLit) || t.isNoSubstitutionTemplateLiteral(nameLit));
  const p: ParameterNode = {
    name: hasName ? (nameLit as ts.StringLiteral).text : field,
    field,
    declaration: isFile ? 'includeFile' : 'parameter',
    type: 'string',
    required: false,
    range: src.range(m),
    nameRange: src.range(hasName ? nameLit : m.name),
  };
  let declaredType: ParameterType | undefined;
  let returned: ParameterType | undefined;
  const opts = optsArg && unwrap(optsArg);
  if (opts && t.isObjectLiteralExpression(opts)) {
    for (const prop of opts.properties) {
      if (!t.isPropertyAssignment(prop)) continue;
      const key = nameOf(prop.name);
      const value = unwrap(prop.initializer);
      const lit = literalValue(value);
      switch (key) {
        case 'default':
          if (lit === NOT_LITERAL) p.defaultText = src.nodeText(value);
          else p.default = lit;
          if (isFunctionDefault(value)) {
            p.defaultFunction = true;
            returned = returnedType(value);
          }
          break;
        case 'type': {
          const tn = calleeName(value);
          if (tn && TYPE_NAMES[tn]) declaredType = TYPE_NAMES[tn];
          break;
        }
        case 'required':
          p.required = lit === true;
          break;
        case 'help':
          if (typeof lit === 'string') p.help = lit;
          break;
        case 'isText':
          if (typeof lit === 'boolean') p.isText = lit;
          break;
      }
    }
  }
  if (isFile) p.type = 'string';
  else if (declaredType) p.type = declaredType;
  else if (returned) p.type = returned;
  else if ('default' in p) {
    const d = p.default;
    p.type =
      typeof d === 'number' ? 'number' : typeof d === 'boolean' ? 'boolean' : d !== null && typeof d === 'object' ? 'json' : 'string';
  }
  return p;
}

/** Phase 2b: one step method. */
function readStep(node: ts.MethodDeclaration, name: string, ctx: BodyContext): StepNode {
  const t = typescript();
  const src = ctx.src;
  const facts = readBody(node.body, ctx);
  const last = facts.nextCalls[facts.nextCalls.length - 1];
  const conditional = facts.nextCalls.length > 1 && facts.nextCalls.every((c) => endsMethod(c.node, node.body!));
  const step: StepNode = {
    name,
    kind: 'linear',
    doc: src.docComment(node),
    successors: last?.successors ?? [],
    predecessors: [],
    foreachVar: last?.hasForeach ? last.foreachVar : undefined,
    foreachRange: last?.hasForeach ? last.foreachRange : undefined,
    switch: last?.switch,
    conditionalNext: conditional || undefined,
    foreachValues: last?.hasForeach && last.foreachVar !== undefined ? facts.assignedValues.get(last.foreachVar) : undefined,
    isAsync: node.modifiers?.some((m) => m.kind === t.SyntaxKind.AsyncKeyword) ?? false,
    takesInputs: node.parameters.length > 0,
    range: src.range(node),
    nameRange: src.range(node.name),
    parametersRange: src.span(node.parameters.pos, node.parameters.end),
    nextRange: last ? src.range(last.node) : undefined,
    successorRanges: last?.successorRanges ?? [],
    nextCallCount: facts.nextCalls.length,
    nextNotLast: !!last && !conditional && !isLastStatement(node.body, last.node),
    invalidNextArgs: facts.nextCalls.flatMap((c) => c.invalidArgs),
    assigns: facts.assigns,
    reads: facts.reads,
    upstreamReads: facts.upstreamReads,
    merge: facts.merge,
  };
  step.kind = kindOf(step, !!last?.hasForeach);
  return dropUndefined(step);
}

function kindOf(step: StepNode, foreach: boolean): StepKind {
  if (step.name === 'start') return 'start';
  if (step.name === 'end') return 'end';
  if (step.takesInputs) return 'join';
  if (foreach) return 'foreach';
  if (step.switch) return 'switch';
  return step.successors.length > 1 ? 'split' : 'linear';
}

function isLastStatement(body: ts.Block | undefined, call: ts.CallExpression): boolean {
  const t = typescript();
  const lastStatement = body?.statements[body.statements.length - 1];
  if (!lastStatement) return false;
  let expr: ts.Expression | undefined;
  if (t.isExpressionStatement(lastStatement)) expr = lastStatement.expression;
  else if (t.isReturnStatement(lastStatement)) expr = lastStatement.expression;
  if (!expr) return false;
  let e = unwrap(expr);
  if (t.isAwaitExpression(e) || t.isVoidExpression(e)) e = unwrap(e.expression);
  return e === call;
}

/**
 * The `next` call ends the method on its own path: each statement from it up to the method body
 * is followed by nothing (or by a bare `return;` / `break;`), or the call is returned. Such calls
 * in an `if … else` are alternatives, not repeated calls.
 */
function endsMethod(call: ts.CallExpression, body: ts.Block): boolean {
  const t = typescript();
  // Parents are not always set (the parser runs with setParentNodes off, and error recovery can
  // leave a node without one): a call whose place cannot be followed up is not a conditional next.
  let stmt: ts.Node | undefined = call.parent;
  while (stmt && (t.isParenthesizedExpression(stmt) || t.isAwaitExpression(stmt) || t.isVoidExpression(stmt))) stmt = stmt.parent;
  if (!stmt) return false;
  const returned = t.isReturnStatement(stmt);
  if (!returned && !t.isExpressionStatement(stmt)) return false;
  let s = stmt as ts.Statement;
  for (;;) {
    const p: ts.Node | undefined = s.parent;
    if (!p) return false;
    const statements = t.isBlock(p) || t.isCaseClause(p) || t.isDefaultClause(p) ? p.statements : undefined;
    if (statements && !returned && !onlyExitsAfter(statements, s, !t.isBlock(p))) return false;
    if (p === body) return true;
    if (t.isBlock(p) || t.isIfStatement(p) || t.isLabeledStatement(p)) s = p as ts.Statement;
    else if (t.isCaseClause(p) || t.isDefaultClause(p)) s = p.parent.parent;
    else if (returned && (t.isTryStatement(p) || t.isCatchClause(p) || t.isIterationStatement(p, false)))
      s = (t.isCatchClause(p) ? p.parent : p) as ts.Statement;
    else return false;
  }
}

/** Nothing follows `s` in `statements` but one bare `return;` (or `break;` in a switch case). */
function onlyExitsAfter(statements: ts.NodeArray<ts.Statement>, s: ts.Statement, inCase: boolean): boolean {
  const t = typescript();
  const rest = statements.slice(statements.indexOf(s) + 1);
  if (rest.length === 0) return true;
  if (rest.length > 1) return false;
  return (t.isReturnStatement(rest[0]) && !rest[0].expression) || (inCase && t.isBreakStatement(rest[0]) && !rest[0].label);
}

/** Phase 3: predecessors, in source order of the steps that name each step. */
function link(steps: StepNode[]): void {
  const byName = new Map<string, StepNode>();
  for (const s of steps) if (!byName.has(s.name)) byName.set(s.name, s);
  for (const s of steps) {
    for (const succ of new Set(s.successors)) {
      const target = byName.get(succ);
      if (target && !target.predecessors.includes(s.name)) target.predecessors.push(s.name);
    }
  }
}
