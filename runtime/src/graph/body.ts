/**
 * Phase 2b: what one method body does with `this`: its `next` calls, the artifacts it assigns
 * and reads (in evaluation order, so `this.x += 1` is a read before an assignment), and its
 * `mergeArtifacts` call. Nested `function`s and classes rebind `this` and are skipped; arrow
 * functions share it and are read.
 */
import { SourceText, literalValue, unwrap, NOT_LITERAL } from './source';
import { isPrivateName } from './names';
import { comparePositions } from './range';
import type { ArtifactRef, Range, StepNode, SwitchNode, ValueKind } from './types';
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
  /** The call's first argument is a cases object (or it has a `condition` option): a switch. */
  switch?: SwitchNode;
}

export interface BodyFacts {
  nextCalls: NextCall[];
  assigns: ArtifactRef[];
  reads: ArtifactRef[];
  upstreamReads: ArtifactRef[];
  merge?: StepNode['merge'];
  /** Every `this.x = value`: the kind of each value, by artifact, in source order. */
  assignedValues: Map<string, Array<{ kind: ValueKind; range: Range }>>;
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
  const reader = new BodyReader(ctx);
  if (body) reader.visit(body);
  return reader.facts();
}

/** One walk over a method body, recording the first read and first assignment of each artifact. */
class BodyReader {
  private readonly t = typescript();
  private readonly uses = new Map<string, Use>();
  private readonly nextCalls: NextCall[] = [];
  private readonly assignedValues = new Map<string, Array<{ kind: ValueKind; range: Range }>>();
  private merge: StepNode['merge'];

  constructor(private readonly ctx: BodyContext) {}

  visit = (node: ts.Node): void => {
    const K = this.t.SyntaxKind;
    switch (node.kind) {
      case K.FunctionExpression:
      case K.FunctionDeclaration:
      case K.ClassExpression:
      case K.ClassDeclaration:
        return; // `this` means something else in there
      case K.BinaryExpression:
        if (this.assignment(node as ts.BinaryExpression)) return;
        break;
      case K.PrefixUnaryExpression:
      case K.PostfixUnaryExpression:
        if (this.increment(node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression)) return;
        break;
      case K.CallExpression:
        if (this.call(node as ts.CallExpression)) return;
        break;
      case K.PropertyAccessExpression:
      case K.ElementAccessExpression: {
        const name = thisMember(node);
        if (name !== undefined) return this.read(name, node);
        break;
      }
    }
    // Everything recorded here involves `this`: skip subtrees whose text never says it.
    if (this.ctx.src.mentionsThis(node.pos, node.end)) this.t.forEachChild(node, this.visit);
  };

  facts(): BodyFacts {
    const facts: BodyFacts = {
      nextCalls: this.nextCalls,
      assigns: [],
      reads: [],
      upstreamReads: [],
      merge: this.merge,
      assignedValues: this.assignedValues,
    };
    if (!this.merge) delete facts.merge;
    for (const [name, u] of this.uses) {
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

  private use(name: string): Use {
    let u = this.uses.get(name);
    if (!u) this.uses.set(name, (u = { readAt: Infinity, assignAt: Infinity }));
    return u;
  }

  private read(name: string, node: ts.Node): void {
    if (this.ctx.notArtifacts.has(name) || isPrivateName(name)) return;
    const u = this.use(name);
    if (u.readRange) return;
    u.readAt = node.end;
    u.readRange = this.ctx.src.range(node);
  }

  private assign(name: string, target: ts.Node, at: number): void {
    if (isPrivateName(name)) return;
    const u = this.use(name);
    if (u.assignRange) return;
    u.assignAt = at;
    u.assignRange = this.ctx.src.range(target);
  }

  /** `this.x = …`, `this.x += …`, `[this.a, this.b] = …`: true when handled. */
  private assignment(b: ts.BinaryExpression): boolean {
    const t = this.t;
    const K = t.SyntaxKind;
    const op = b.operatorToken.kind;
    if (op < K.FirstAssignment || op > K.LastAssignment) return false;
    const left = unwrap(b.left);
    const name = thisMember(left);
    if (name !== undefined) {
      if (op !== K.EqualsToken) this.read(name, left);
      else this.assignedValue(name, b.right);
      this.visit(b.right);
      this.assign(name, left, b.end);
      return true;
    }
    if (op === K.EqualsToken && (t.isArrayLiteralExpression(left) || t.isObjectLiteralExpression(left))) {
      this.visit(b.right);
      this.destructure(left, b.end);
      return true;
    }
    return false;
  }

  private assignedValue(name: string, value: ts.Expression): void {
    let list = this.assignedValues.get(name);
    if (!list) this.assignedValues.set(name, (list = []));
    list.push({ kind: valueKind(value), range: this.ctx.src.range(value) });
  }

  /** `this.x++`, `--this.x`: a read, then an assignment. True when handled. */
  private increment(u: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression): boolean {
    const K = this.t.SyntaxKind;
    if (u.operator !== K.PlusPlusToken && u.operator !== K.MinusMinusToken) return false;
    const operand = unwrap(u.operand);
    const name = thisMember(operand);
    if (name === undefined) return false;
    this.read(name, operand);
    this.assign(name, operand, u.end);
    return true;
  }

  /** `this.next(…)`, `this.mergeArtifacts(…)`, or a helper that assigns artifacts. True when handled. */
  private call(c: ts.CallExpression): boolean {
    const callee = thisMember(unwrap(c.expression));
    if (callee === 'next') {
      this.nextCall(c);
      return true;
    }
    if (callee === 'mergeArtifacts') {
      this.mergeCall(c);
      return true;
    }
    const viaHelper = callee !== undefined ? this.ctx.helperAssigns?.(callee) : undefined;
    if (!viaHelper) return false;
    for (const arg of c.arguments) this.visit(arg);
    for (const name of viaHelper) this.assign(name, c, c.end);
    return true;
  }

  /** Targets of a destructuring assignment: `[this.a, this.b] = …`, `({ k: this.c } = …)`. */
  private destructure(pattern: ts.Expression, at: number): void {
    const t = this.t;
    const p = unwrap(pattern);
    const name = thisMember(p);
    if (name !== undefined) return this.assign(name, p, at);
    if (t.isArrayLiteralExpression(p)) {
      for (const el of p.elements) this.destructure(t.isSpreadElement(el) ? el.expression : el, at);
    } else if (t.isObjectLiteralExpression(p)) {
      for (const prop of p.properties) {
        if (t.isPropertyAssignment(prop)) this.destructure(prop.initializer, at);
        else if (t.isSpreadAssignment(prop)) this.destructure(prop.expression, at);
      }
    } else if (t.isBinaryExpression(p) && p.operatorToken.kind === t.SyntaxKind.EqualsToken) {
      this.visit(p.right);
      this.destructure(p.left, at);
    } else {
      this.visit(p);
    }
  }

  private nextCall(call: ts.CallExpression): void {
    const t = this.t;
    const { src } = this.ctx;
    const rec: NextCall = { node: call, successors: [], successorRanges: [], invalidArgs: [], hasForeach: false };
    this.nextCalls.push(rec);
    const args = call.arguments;
    const first = args[0] && unwrap(args[0]);
    const last = args.length > 1 ? unwrap(args[args.length - 1]) : undefined;
    const options = last && t.isObjectLiteralExpression(last) ? last : undefined;
    if (first && t.isObjectLiteralExpression(first)) {
      rec.switch = { cases: [], casesRange: src.range(first), dynamicCases: [] };
      for (const prop of first.properties) this.switchCase(prop, rec.switch, rec);
    } else if (options && this.hasOption(options, 'condition')) {
      // A condition with cases that are not written out (a variable, or steps as arguments).
      const casesEnd = args[args.length - 2];
      rec.switch = { cases: [], casesRange: src.span(args[0].getStart(src.sf), casesEnd.end), casesNotLiteral: true, dynamicCases: [] };
    }
    const steps = rec.switch && !rec.switch.casesNotLiteral ? [] : args.slice(0, options ? -1 : undefined);
    const extra = rec.switch && !rec.switch.casesNotLiteral ? args.slice(1, options ? -1 : undefined) : [];
    for (const arg of steps) {
      const a = unwrap(arg);
      const name = thisMember(a);
      if (name !== undefined) {
        rec.successors.push(name);
        rec.successorRanges.push(src.range(a));
      } else if (!rec.switch) {
        rec.invalidArgs.push({ text: src.nodeText(arg), range: src.range(arg) });
        this.visit(arg);
      } else {
        this.visit(arg);
      }
    }
    for (const arg of extra) {
      rec.invalidArgs.push({ text: src.nodeText(arg), range: src.range(arg) });
      this.visit(arg);
    }
    if (options) this.nextOptions(options, rec);
    if (rec.switch && options) rec.switch.optionsRange = src.range(options);
    if (rec.switch && rec.hasForeach) rec.switch.withForeach = true;
  }

  private hasOption(options: ts.ObjectLiteralExpression, name: string): boolean {
    const t = this.t;
    return options.properties.some((p) => !!p.name && t.isIdentifier(p.name) && p.name.text === name);
  }

  private switchCase(prop: ts.ObjectLiteralElementLike, sw: SwitchNode, rec: NextCall): void {
    const t = this.t;
    const { src } = this.ctx;
    const key = t.isPropertyAssignment(prop) ? caseKey(prop.name) : undefined;
    if (!t.isPropertyAssignment(prop) || key === undefined) {
      sw.dynamicCases.push({ text: src.nodeText(prop), range: src.range(prop) });
      this.visit(prop);
      return;
    }
    const value = unwrap(prop.initializer);
    const step = thisMember(value);
    sw.cases.push({
      key,
      keyRange: src.range(prop.name),
      ...(step !== undefined ? { step } : {}),
      valueText: src.nodeText(prop.initializer),
      valueRange: src.range(prop.initializer),
    });
    if (step !== undefined) {
      rec.successors.push(step);
      rec.successorRanges.push(src.range(value));
    } else {
      this.visit(prop.initializer);
    }
  }

  /** The trailing options of a `next` call: `{ foreach: 'items' }`, or a switch's `{ condition: 'name' }`. */
  private nextOptions(options: ts.ObjectLiteralExpression, rec: NextCall): void {
    const t = this.t;
    const { src } = this.ctx;
    for (const prop of options.properties) {
      if (!prop.name || !t.isIdentifier(prop.name)) continue;
      const option = prop.name.text;
      if (option !== 'foreach' && option !== 'condition') continue;
      let value: string | undefined;
      let range = src.range(prop);
      if (t.isPropertyAssignment(prop)) {
        const v = unwrap(prop.initializer);
        range = src.range(v);
        if (t.isStringLiteral(v) || t.isNoSubstitutionTemplateLiteral(v)) value = v.text;
        else this.visit(v);
      }
      if (option === 'foreach') {
        rec.hasForeach = true;
        rec.foreachRange = range;
        if (value !== undefined) rec.foreachVar = value;
      } else if (rec.switch) {
        rec.switch.conditionRange = range;
        if (value !== undefined) rec.switch.condition = value;
      }
    }
  }

  private mergeCall(call: ts.CallExpression): void {
    const t = this.t;
    for (const arg of call.arguments) this.visit(arg);
    if (this.merge) return;
    const merge: NonNullable<StepNode['merge']> = { range: this.ctx.src.range(call) };
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
    this.merge = merge;
  }
}

/** A case key JavaScript fixes without running anything: `small`, `'big one'`, `1`. Computed keys are not. */
function caseKey(name: ts.PropertyName): string | undefined {
  const t = typescript();
  if (t.isIdentifier(name) || t.isStringLiteral(name) || t.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (t.isNumericLiteral(name)) return String(Number(name.text));
  if (t.isComputedPropertyName(name)) {
    const e = unwrap(name.expression);
    if (t.isStringLiteral(e) || t.isNoSubstitutionTemplateLiteral(e)) return e.text;
    if (t.isNumericLiteral(e)) return String(Number(e.text));
  }
  return undefined;
}

/** What the source says a value is: a literal's kind, a `new Set`/`new Map`, else `other`. */
export function valueKind(expr: ts.Expression): ValueKind {
  const t = typescript();
  const K = t.SyntaxKind;
  const e = unwrap(expr);
  if (t.isStringLiteral(e) || t.isNoSubstitutionTemplateLiteral(e) || t.isTemplateExpression(e)) return 'string';
  if (t.isNumericLiteral(e)) return 'number';
  if (t.isBigIntLiteral(e)) return 'bigint';
  if (t.isPrefixUnaryExpression(e) && (e.operator === K.MinusToken || e.operator === K.PlusToken)) {
    const operand = unwrap(e.operand);
    if (t.isNumericLiteral(operand)) return 'number';
    if (t.isBigIntLiteral(operand)) return 'bigint';
  }
  if (e.kind === K.TrueKeyword || e.kind === K.FalseKeyword) return 'boolean';
  if (e.kind === K.NullKeyword) return 'null';
  if (t.isIdentifier(e) && e.text === 'undefined') return 'undefined';
  if (t.isObjectLiteralExpression(e)) return 'object';
  if (t.isArrayLiteralExpression(e)) return 'array';
  if (t.isNewExpression(e) && t.isIdentifier(e.expression)) {
    if (e.expression.text === 'Set') return 'set';
    if (e.expression.text === 'Map') return 'map';
  }
  return 'other';
}
