/**
 * A parameter whose default is a function of the run's context (the test-mode pattern,
 * `default: (ctx) => !ctx.isProduction`). Reading the flow never calls it: the graph only knows
 * that the default is computed at run start, and which type its returns show when no `type`
 * is declared, so that `--test-mode false` parses as the value the function would give.
 */
import type { ParameterType } from './types';
import { typescript, type TsTypes as ts } from './typescript';

/** Whether a default is written as a function (an arrow function or a function expression). */
export function isFunctionDefault(node: ts.Expression): node is ts.ArrowFunction | ts.FunctionExpression {
  const t = typescript();
  return t.isArrowFunction(node) || t.isFunctionExpression(node);
}

/**
 * The parameter type the function's returned expressions show, when they all agree
 * (`!x`, a comparison, a literal, `c ? 1 : 2`…); undefined when any of them cannot be told.
 */
export function returnedType(fn: ts.ArrowFunction | ts.FunctionExpression): ParameterType | undefined {
  const t = typescript();
  const returned: ts.Expression[] = [];
  if (t.isArrowFunction(fn) && !t.isBlock(fn.body)) returned.push(fn.body);
  else collectReturns(fn.body as ts.Block, returned);
  const kinds = new Set(returned.map(kindOf));
  if (kinds.size !== 1) return undefined;
  const [kind] = kinds;
  return kind;
}

/** The `return` expressions of a function body; a nested function's returns are its own. */
function collectReturns(node: ts.Node, out: ts.Expression[]): void {
  const t = typescript();
  node.forEachChild((c) => {
    if (t.isFunctionLike(c) || t.isClassLike(c)) return;
    if (t.isReturnStatement(c)) {
      if (c.expression) out.push(c.expression);
    } else collectReturns(c, out);
  });
}

const BOOLEAN_OPERATORS = new Set<number>();

function kindOf(e: ts.Expression): ParameterType | undefined {
  const t = typescript();
  const K = t.SyntaxKind;
  if (BOOLEAN_OPERATORS.size === 0) {
    for (const k of [
      K.EqualsEqualsEqualsToken,
      K.ExclamationEqualsEqualsToken,
      K.EqualsEqualsToken,
      K.ExclamationEqualsToken,
      K.LessThanToken,
      K.LessThanEqualsToken,
      K.GreaterThanToken,
      K.GreaterThanEqualsToken,
      K.InstanceOfKeyword,
      K.InKeyword,
    ])
      BOOLEAN_OPERATORS.add(k);
  }
  while (t.isParenthesizedExpression(e) || t.isAsExpression(e) || t.isSatisfiesExpression(e)) e = e.expression;
  if (e.kind === K.TrueKeyword || e.kind === K.FalseKeyword) return 'boolean';
  if (t.isPrefixUnaryExpression(e)) {
    if (e.operator === K.ExclamationToken) return 'boolean';
    if (e.operator === K.MinusToken || e.operator === K.PlusToken) return t.isNumericLiteral(e.operand) ? 'number' : undefined;
  }
  if (t.isNumericLiteral(e)) return 'number';
  if (t.isStringLiteral(e) || t.isNoSubstitutionTemplateLiteral(e) || t.isTemplateExpression(e)) return 'string';
  if (t.isObjectLiteralExpression(e) || t.isArrayLiteralExpression(e)) return 'json';
  if (t.isBinaryExpression(e) && BOOLEAN_OPERATORS.has(e.operatorToken.kind)) return 'boolean';
  if (t.isConditionalExpression(e)) {
    const a = kindOf(e.whenTrue);
    return a !== undefined && a === kindOf(e.whenFalse) ? a : undefined;
  }
  return undefined;
}
