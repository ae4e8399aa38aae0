/** Small readers over one parsed source file: positions, doc comments, literal values. */
import type { Range } from './types';
import { typescript, type TsTypes as ts } from './typescript';

export class SourceText {
  private thisAt: Int32Array | undefined;

  constructor(readonly sf: ts.SourceFile) {}

  /** Whether the text between `start` and `end` contains the word `this` (a cheap pre-filter). */
  readonly mentionsThis = (start: number, end: number): boolean => {
    const at = (this.thisAt ??= wordPositions(this.sf.text, 'this'));
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < at.length && at[lo] < end;
  };

  get text(): string {
    return this.sf.text;
  }

  /** From the node's first token (decorators included, comments excluded) to its end. */
  range(node: ts.Node): Range {
    return this.span(node.getStart(this.sf), node.end);
  }

  span(start: number, end: number): Range {
    const s = this.sf.getLineAndCharacterOfPosition(start);
    const e = this.sf.getLineAndCharacterOfPosition(end);
    return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
  }

  nodeText(node: ts.Node): string {
    return this.sf.text.slice(node.getStart(this.sf), node.end);
  }

  /** The `/** … *\/` comment right before a declaration, cleaned of its stars; tags dropped. */
  docComment(node: ts.Node): string | undefined {
    const comments = typescript().getLeadingCommentRanges(this.sf.text, node.pos);
    const last = comments?.[comments.length - 1];
    if (!last) return undefined;
    const raw = this.sf.text.slice(last.pos, last.end);
    if (!raw.startsWith('/**') || raw === '/**/') return undefined;
    const lines = raw
      .slice(3, -2)
      .split(/\r?\n/)
      .map((l) => l.replace(/^\s*\*?\s?/, '').trimEnd());
    const tag = lines.findIndex((l) => l.startsWith('@'));
    const body = (tag >= 0 ? lines.slice(0, tag) : lines).join('\n').trim();
    return body || undefined;
  }
}

function wordPositions(text: string, word: string): Int32Array {
  const out: number[] = [];
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) out.push(i);
  return Int32Array.from(out);
}

/** The name of a member or class when it is a plain identifier or string. */
export function nameOf(name: ts.PropertyName | ts.Identifier | undefined): string | undefined {
  if (!name) return undefined;
  const t = typescript();
  if (t.isIdentifier(name) || t.isStringLiteral(name) || t.isNumericLiteral(name)) return name.text;
  return undefined;
}

export const NOT_LITERAL = Symbol('not a literal');
export type LiteralValue = string | number | boolean | null | LiteralValue[] | { [k: string]: LiteralValue };

/** Evaluates a JSON-like literal (strings, numbers, booleans, null, arrays, objects). */
export function literalValue(node: ts.Expression): LiteralValue | typeof NOT_LITERAL {
  const t = typescript();
  const K = t.SyntaxKind;
  if (t.isStringLiteral(node) || t.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (t.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === K.TrueKeyword) return true;
  if (node.kind === K.FalseKeyword) return false;
  if (node.kind === K.NullKeyword) return null;
  if (t.isParenthesizedExpression(node) || t.isAsExpression(node) || t.isSatisfiesExpression(node)) {
    return literalValue(node.expression);
  }
  if (t.isPrefixUnaryExpression(node) && t.isNumericLiteral(node.operand)) {
    if (node.operator === K.MinusToken) return -Number(node.operand.text);
    if (node.operator === K.PlusToken) return Number(node.operand.text);
  }
  if (t.isArrayLiteralExpression(node)) {
    const out: LiteralValue[] = [];
    for (const el of node.elements) {
      const v = literalValue(el);
      if (v === NOT_LITERAL) return NOT_LITERAL;
      out.push(v);
    }
    return out;
  }
  if (t.isObjectLiteralExpression(node)) {
    const out: { [k: string]: LiteralValue } = {};
    for (const p of node.properties) {
      if (!t.isPropertyAssignment(p)) return NOT_LITERAL;
      const key = nameOf(p.name);
      if (key === undefined) return NOT_LITERAL;
      const v = literalValue(p.initializer);
      if (v === NOT_LITERAL) return NOT_LITERAL;
      out[key] = v;
    }
    return out;
  }
  return NOT_LITERAL;
}

/** Strips `(x)`, `x as T`, `x!` and `x satisfies T` around an expression. */
export function unwrap(node: ts.Expression): ts.Expression {
  const t = typescript();
  let n = node;
  while (
    t.isParenthesizedExpression(n) ||
    t.isAsExpression(n) ||
    t.isNonNullExpression(n) ||
    t.isSatisfiesExpression(n) ||
    t.isTypeAssertionExpression(n)
  ) {
    n = n.expression;
  }
  return n;
}

/** The last identifier of `a`, `a.b.c` or `a()` / `a.b()` callee: how decorators and calls are named. */
export function calleeName(node: ts.Expression): string | undefined {
  const t = typescript();
  const n = unwrap(node);
  if (t.isIdentifier(n)) return n.text;
  if (t.isPropertyAccessExpression(n)) return n.name.text;
  if (t.isCallExpression(n)) return calleeName(n.expression);
  return undefined;
}
