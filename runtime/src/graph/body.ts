/**
 * Phase 2b: what one method body does with `this`: its `next` calls, the artifacts it assigns
 * and reads (in evaluation order, so `this.x += 1` is a read before an assignment), and its
 * `mergeArtifacts` call. Nested `function`s and classes rebind `this` and are skipped; arrow
 * functions share it and are read.
 */
import { SourceText, literalValue, unwrap, NOT_LITERAL } from './source';
import { isPrivateName } from './names';
import { comparePositions } from './range';
import type { ArtifactRef, Range, StepNode } from './types';
import { typescript, type TsTypes as ts } from './typescript';

export interface NextCall {
  node: ts.CallExpression;
  successors: string[];
  successorRanges: Range[];
  invalidArgs: Array<{ text: string; range: Range }>;
  /** The options object had a `foreach` property. */
  hasForeach: boolean;
  foreachVar?: string;
  foreachRange?: Range;
}

export interface BodyFacts {
  nextCalls: NextCall[];
  assigns: ArtifactRef[];
  reads: ArtifactRef[];
  upstreamReads: ArtifactRef[];
  merge?: StepNode['merge'];
}

interface Use {
  readAt: number;
  readRange?: Range;
  assignAt: number;
  assignRange?: Range;
}

/** `this.x` or `this['x']`: the member name, else undefined. */
export function thisMember(node: ts.Node): string | undefined {
  const t = typescript();
  if (t.isPropertyAccessExpression(node)) {
    if (node.expression.kind === t.SyntaxKind.ThisKeyword && t.isIdentifier(node.name)) return node.name.text;
  } else if (t.isElementAccessExpression(node)) {
    const arg = node.argumentExpression;
    if (node.expression.kind === t.SyntaxKind.ThisKeyword && (t.isStringLiteral(arg) || t.isNoSubstitutionTemplateLiteral(arg)))
      return arg.text;
  }
  return undefined;
}

export interface BodyContext {
  src: SourceText;
  /** Member names whose `this.<name>` reads are not artifact reads (steps, helpers, the API). */
  notArtifacts: ReadonlySet<string>;
  /** The artifacts a helper method assigns (`this.load()` sets what `load` sets), if a helper. */
  helperAssigns?: (name: string) => readonly string[] | undefined;
}

export function readBody(body: ts.Node | undefined, ctx: BodyContext): BodyFacts {
  const { src, notArtifacts, helperAssigns } = ctx;
  const mentionsThis = src.mentionsThis;
  const t = typescript();
  const K = t.SyntaxKind;
  const uses = new Map<string, Use>();
  const facts: BodyFacts = { nextCalls: [], assigns: [], reads: [], upstreamReads: [] };

  const use = (name: string): Use => {
    let u = uses.get(name);
    if (!u) uses.set(name, (u = { readAt: Infinity, assignAt: Infinity }));
    return u;
  };
  const read = (name: string, node: ts.Node): void => {
    if (notArtifacts.has(name) || isPrivateName(name)) return;
    const u = use(name);
    if (u.readRange) return;
    u.readAt = node.end;
    u.readRange = src.range(node);
  };
  const assign = (name: string, target: ts.Node, at: number): void => {
    if (isPrivateName(name)) return;
    const u = use(name);
    if (u.assignRange) return;
    u.assignAt = at;
    u.assignRange = src.range(target);
  };

  /** Targets of a destructuring assignment: `[this.a, this.b] = …`, `({ k: this.c } = …)`. */
  const destructure = (pattern: ts.Expression, at: number): void => {
    const p = unwrap(pattern);
    const name = thisMember(p);
    if (name !== undefined) return assign(name, p, at);
    if (t.isArrayLiteralExpression(p)) {
      for (const el of p.elements) destructure(t.isSpreadElement(el) ? el.expression : el, at);
    } else if (t.isObjectLiteralExpression(p)) {
      for (const prop of p.properties) {
        if (t.isPropertyAssignment(prop)) destructure(prop.initializer, at);
        else if (t.isSpreadAssignment(prop)) destructure(prop.expression, at);
      }
    } else if (t.isBinaryExpression(p) && p.operatorToken.kind === K.EqualsToken) {
      visit(p.right);
      destructure(p.left, at);
    } else {
      visit(p);
    }
  };

  const nextCall = (call: ts.CallExpression): void => {
    const rec: NextCall = { node: call, successors: [], successorRanges: [], invalidArgs: [], hasForeach: false };
    call.arguments.forEach((arg, i) => {
      const a = unwrap(arg);
      const name = thisMember(a);
      if (name !== undefined) {
        rec.successors.push(name);
        rec.successorRanges.push(src.range(a));
        return;
      }
      if (i === call.arguments.length - 1 && t.isObjectLiteralExpression(a)) {
        for (const prop of a.properties) {
          if (!prop.name || !t.isIdentifier(prop.name) || prop.name.text !== 'foreach') continue;
          rec.hasForeach = true;
          if (t.isPropertyAssignment(prop)) {
            const value = unwrap(prop.initializer);
            rec.foreachRange = src.range(value);
            if (t.isStringLiteral(value) || t.isNoSubstitutionTemplateLiteral(value)) rec.foreachVar = value.text;
            else visit(value);
          } else {
            rec.foreachRange = src.range(prop);
          }
        }
        return;
      }
      rec.invalidArgs.push({ text: src.nodeText(arg), range: src.range(arg) });
      visit(arg);
    });
    facts.nextCalls.push(rec);
  };

  const mergeCall = (call: ts.CallExpression): void => {
    for (const arg of call.arguments) visit(arg);
    if (facts.merge) return;
    const merge: NonNullable<StepNode['merge']> = { range: src.range(call) };
    const opts = call.arguments[1] && unwrap(call.arguments[1]);
    if (opts && t.isObjectLiteralExpression(opts)) {
      for (const prop of opts.properties) {
        if (!t.isPropertyAssignment(prop) || !t.isIdentifier(prop.name)) continue;
        const key = prop.name.text;
        if (key !== 'include' && key !== 'exclude') continue;
        const v = literalValue(prop.initializer);
        if (v !== NOT_LITERAL && Array.isArray(v) && v.every((x) => typeof x === 'string')) merge[key] = v as string[];
      }
    }
    facts.merge = merge;
  };

  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case K.FunctionExpression:
      case K.FunctionDeclaration:
      case K.ClassExpression:
      case K.ClassDeclaration:
        return; // `this` means something else in there
      case K.BinaryExpression: {
        const b = node as ts.BinaryExpression;
        const op = b.operatorToken.kind;
        if (op >= K.FirstAssignment && op <= K.LastAssignment) {
          const left = unwrap(b.left);
          const name = thisMember(left);
          if (name !== undefined) {
            if (op !== K.EqualsToken) read(name, left);
            visit(b.right);
            assign(name, left, b.end);
            return;
          }
          if (op === K.EqualsToken && (t.isArrayLiteralExpression(left) || t.isObjectLiteralExpression(left))) {
            visit(b.right);
            destructure(left, b.end);
            return;
          }
        }
        break;
      }
      case K.PrefixUnaryExpression:
      case K.PostfixUnaryExpression: {
        const u = node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        if (u.operator === K.PlusPlusToken || u.operator === K.MinusMinusToken) {
          const operand = unwrap(u.operand);
          const name = thisMember(operand);
          if (name !== undefined) {
            read(name, operand);
            assign(name, operand, u.end);
            return;
          }
        }
        break;
      }
      case K.CallExpression: {
        const c = node as ts.CallExpression;
        const callee = thisMember(unwrap(c.expression));
        if (callee === 'next') return nextCall(c);
        if (callee === 'mergeArtifacts') return mergeCall(c);
        const viaHelper = callee !== undefined ? helperAssigns?.(callee) : undefined;
        if (viaHelper) {
          for (const arg of c.arguments) visit(arg);
          for (const name of viaHelper) assign(name, c, c.end);
          return;
        }
        break;
      }
      case K.PropertyAccessExpression:
      case K.ElementAccessExpression: {
        const name = thisMember(node);
        if (name !== undefined) {
          read(name, node);
          return;
        }
        break;
      }
    }
    // Everything recorded here involves `this`: skip subtrees whose text never says it.
    if (mentionsThis(node.pos, node.end)) t.forEachChild(node, visit);
  };

  if (body) visit(body);

  for (const [name, u] of uses) {
    if (u.assignRange) facts.assigns.push({ name, range: u.assignRange });
    if (u.readRange) {
      facts.reads.push({ name, range: u.readRange });
      if (u.readAt <= u.assignAt) facts.upstreamReads.push({ name, range: u.readRange });
    }
  }
  const byPosition = (a: ArtifactRef, b: ArtifactRef) => comparePositions(a.range.start, b.range.start);
  facts.assigns.sort(byPosition);
  facts.reads.sort(byPosition);
  facts.upstreamReads.sort(byPosition);
  return facts;
}
