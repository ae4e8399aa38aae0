/**
 * Every place in the flow class where a step or an artifact is named, with its exact range:
 * what go-to-definition, find-references, hover and the quick fixes resolve against. The
 * graph keeps one range per step and artifact; navigation needs all of them, so this walks
 * the syntax tree of the analysed text once, lazily, when the first request asks for it.
 */
import { typescript, type TsTypes as ts } from '../../runtime/src/graph/typescript';
import type { Position, Range } from '../../runtime/src/graph/types';
import type { Analysis } from './analysis';

export type OccurrenceRole =
  /** The name of a `@step` method. */
  | 'step-decl'
  /** The name of a class field (`declare x: T`, `k = Parameter(…)`). */
  | 'field-decl'
  /** `this.a` as an argument of `this.next(…)`. */
  | 'next-target'
  /** `this.x` read. */
  | 'read'
  /** `this.x` assigned (`=`, `+=`, `++`…). */
  | 'write'
  /** The string of `{ foreach: 'items' }` (the range excludes the quotes). */
  | 'foreach'
  /** A string of `mergeArtifacts(inputs, { include/exclude: [...] })`. */
  | 'merge-list'
  /** `inputs.a` in a join: the branch that came from step `a`. */
  | 'inputs-step'
  /** `inputs.a.x` or `inputs[0].x` in a join: artifact `x` of one branch. */
  | 'inputs-read';

export interface Occurrence {
  name: string;
  role: OccurrenceRole;
  range: Range;
  /** field-decl only: the declaration's source (`declare rows: number[][]`), for hovers. */
  declaration?: string;
}

/** The import declaration that brings `FlowSpec` in, for quick fixes that add `Inputs`. */
export interface FlowImport {
  module: string;
  typeOnly: boolean;
  names: string[];
  /** Where a new specifier goes: right after the last one (before a trailing comma). */
  insertAt?: Position;
}

export interface SourceIndex {
  occurrences: Occurrence[];
  /** Methods of the flow class without @step: where each declaration starts (modifiers included). */
  helperStarts: Map<string, Position>;
  flowImport?: FlowImport;
  /** The end of the last import declaration (or the file's start): where a new import goes. */
  afterImports: Position;
}

const cache = new WeakMap<Analysis, SourceIndex>();

export function sourceIndexOf(analysis: Analysis): SourceIndex {
  let index = cache.get(analysis);
  if (!index) {
    index = buildIndex(analysis);
    cache.set(analysis, index);
  }
  return index;
}

function buildIndex(analysis: Analysis): SourceIndex {
  const t = typescript();
  const sf = t.createSourceFile('flow.ts', analysis.text, t.ScriptTarget.Latest, true, t.ScriptKind.TS);
  const pos = (offset: number): Position => {
    const lc = sf.getLineAndCharacterOfPosition(offset);
    return { line: lc.line, character: lc.character };
  };
  const rangeOf = (node: ts.Node): Range => ({ start: pos(node.getStart(sf)), end: pos(node.getEnd()) });
  const innerRange = (lit: ts.Node): Range => ({ start: pos(lit.getStart(sf) + 1), end: pos(lit.getEnd() - 1) });

  const index: SourceIndex = { occurrences: [], helperStarts: new Map(), afterImports: { line: 0, character: 0 } };
  const stepNames = new Set(analysis.graph?.steps.map((s) => s.name) ?? []);

  for (const statement of sf.statements) {
    if (t.isImportDeclaration(statement)) {
      index.afterImports = pos(statement.getEnd());
      const found = readFlowImport(statement, pos);
      if (found) index.flowImport = found;
    }
  }

  const flowClass = findFlowClass(sf, analysis, pos);
  if (!flowClass) return index;
  const add = (name: string, role: OccurrenceRole, range: Range, declaration?: string) =>
    index.occurrences.push(declaration === undefined ? { name, role, range } : { name, role, range, declaration });

  for (const member of flowClass.members) {
    if (t.isMethodDeclaration(member) && member.name && t.isIdentifier(member.name)) {
      const name = member.name.text;
      if (stepNames.has(name)) add(name, 'step-decl', rangeOf(member.name));
      else if (!index.helperStarts.has(name)) index.helperStarts.set(name, pos(member.getStart(sf)));
    } else if (t.isPropertyDeclaration(member) && t.isIdentifier(member.name)) {
      add(member.name.text, 'field-decl', rangeOf(member.name), declarationText(member, sf));
    }
  }

  // The name a join gives its `inputs` parameter, while walking that join's body.
  let inputsName: string | undefined;
  const visit = (node: ts.Node): void => {
    if (inputsName !== undefined && t.isPropertyAccessExpression(node) && t.isIdentifier(node.name)) {
      const branch = node.expression;
      if (t.isIdentifier(branch) && branch.text === inputsName && stepNames.has(node.name.text)) {
        add(node.name.text, 'inputs-step', rangeOf(node.name));
      } else if (
        (t.isPropertyAccessExpression(branch) &&
          t.isIdentifier(branch.expression) &&
          branch.expression.text === inputsName &&
          stepNames.has(branch.name.text)) ||
        (t.isElementAccessExpression(branch) && t.isIdentifier(branch.expression) && branch.expression.text === inputsName)
      ) {
        add(node.name.text, 'inputs-read', rangeOf(node.name));
      }
    }
    if (t.isPropertyAccessExpression(node) && node.expression.kind === t.SyntaxKind.ThisKeyword && t.isIdentifier(node.name)) {
      const role = roleOfThisAccess(node);
      if (role) add(node.name.text, role, rangeOf(node.name));
    } else if (t.isCallExpression(node) && isThisCall(node, 'next')) {
      for (const arg of node.arguments) {
        if (!t.isObjectLiteralExpression(arg)) continue;
        for (const prop of arg.properties) {
          if (t.isPropertyAssignment(prop) && propertyName(prop) === 'foreach' && isPlainString(prop.initializer)) {
            add(prop.initializer.text, 'foreach', innerRange(prop.initializer));
          }
        }
      }
    } else if (t.isCallExpression(node) && isThisCall(node, 'mergeArtifacts')) {
      const options = node.arguments[1];
      if (options && t.isObjectLiteralExpression(options)) {
        for (const prop of options.properties) {
          const key = t.isPropertyAssignment(prop) ? propertyName(prop) : undefined;
          if ((key === 'include' || key === 'exclude') && t.isPropertyAssignment(prop) && t.isArrayLiteralExpression(prop.initializer)) {
            for (const el of prop.initializer.elements) {
              if (isPlainString(el)) add(el.text, 'merge-list', innerRange(el));
            }
          }
        }
      }
    }
  };
  for (const member of flowClass.members) {
    const first = t.isMethodDeclaration(member) ? member.parameters[0] : undefined;
    inputsName =
      first && t.isIdentifier(first.name) && member.name && t.isIdentifier(member.name) && stepNames.has(member.name.text)
        ? first.name.text
        : undefined;
    walk(member, visit);
  }
  return index;
}

/**
 * Visits every descendant of `root` in source order, without recursion: a text the parser
 * followed (thousands of nested conditionals) must not exhaust the stack here.
 */
function walk(root: ts.Node, visit: (node: ts.Node) => void): void {
  const t = typescript();
  const stack: ts.Node[] = [];
  const push = (parent: ts.Node) => {
    const children: ts.Node[] = [];
    t.forEachChild(parent, (c) => void children.push(c));
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  };
  push(root);
  while (stack.length) {
    const node = stack.pop()!;
    visit(node);
    push(node);
  }
}

/** The field's declaration without its doc comment and decorators, cut short when long. */
function declarationText(member: ts.PropertyDeclaration, sf: ts.SourceFile): string {
  const text = member.getText(sf).replace(/\s+/g, ' ').replace(/;$/, '');
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

function findFlowClass(sf: ts.SourceFile, analysis: Analysis, pos: (offset: number) => Position): ts.ClassDeclaration | undefined {
  const t = typescript();
  const graph = analysis.graph;
  if (!graph) return undefined;
  const classes = sf.statements.filter(t.isClassDeclaration);
  const wantedLine = graph.classNameRange?.start.line ?? graph.classRange?.start.line;
  return (
    classes.find((c) => graph.flowName !== null && c.name?.text === graph.flowName) ??
    classes.find((c) => wantedLine !== undefined && pos(c.getStart(sf)).line <= wantedLine && pos(c.getEnd()).line >= wantedLine)
  );
}

function readFlowImport(decl: ts.ImportDeclaration, pos: (offset: number) => Position): FlowImport | undefined {
  const t = typescript();
  const bindings = decl.importClause?.namedBindings;
  if (!bindings || !t.isNamedImports(bindings) || !t.isStringLiteral(decl.moduleSpecifier)) return undefined;
  const names = bindings.elements.map((e) => e.name.text);
  const imported = bindings.elements.map((e) => (e.propertyName ?? e.name).getText());
  if (!imported.includes('FlowSpec') && !imported.includes('Inputs') && decl.moduleSpecifier.text !== 'stepwise') return undefined;
  const last = bindings.elements[bindings.elements.length - 1];
  return {
    module: decl.moduleSpecifier.text,
    typeOnly: decl.importClause?.isTypeOnly ?? false,
    names,
    insertAt: last ? pos(last.getEnd()) : undefined,
  };
}

function roleOfThisAccess(node: ts.PropertyAccessExpression): OccurrenceRole | undefined {
  const t = typescript();
  const parent = node.parent;
  // `this.next(…)` and `this.mergeArtifacts(…)` are calls of the base class, not names.
  if (t.isCallExpression(parent) && parent.expression === node) return undefined;
  if (t.isCallExpression(parent) && isThisCall(parent, 'next') && parent.arguments.includes(node as ts.Expression)) {
    return 'next-target';
  }
  if (t.isBinaryExpression(parent) && parent.left === node && isAssignmentOperator(parent.operatorToken.kind)) return 'write';
  if (
    (t.isPrefixUnaryExpression(parent) || t.isPostfixUnaryExpression(parent)) &&
    (parent.operator === t.SyntaxKind.PlusPlusToken || parent.operator === t.SyntaxKind.MinusMinusToken)
  ) {
    return 'write';
  }
  return 'read';
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  const t = typescript();
  return kind >= t.SyntaxKind.FirstAssignment && kind <= t.SyntaxKind.LastAssignment;
}

function isThisCall(call: ts.CallExpression, method: string): boolean {
  const t = typescript();
  const callee = call.expression;
  return (
    t.isPropertyAccessExpression(callee) &&
    callee.expression.kind === t.SyntaxKind.ThisKeyword &&
    t.isIdentifier(callee.name) &&
    callee.name.text === method
  );
}

function propertyName(prop: ts.PropertyAssignment): string | undefined {
  const t = typescript();
  const n = prop.name;
  return t.isIdentifier(n) || t.isStringLiteral(n) ? n.text : undefined;
}

function isPlainString(node: ts.Node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  const t = typescript();
  return t.isStringLiteral(node) || t.isNoSubstitutionTemplateLiteral(node);
}
