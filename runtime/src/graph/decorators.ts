/**
 * Production decorators as the static graph sees them: which of `@retry`, `@catchFailure`,
 * `@timeout`, `@resources`, `@slurm` and `@project` a member or the class carries, with their options as
 * written. The runner and the language server learn a step's decorators only from here (reading a
 * flow never runs it), so an option that is not a literal is kept as source text for lint to name.
 */
import { policyFrom, type StepDecoratorName, type StepPolicy } from '../api/decoratorOptions';
import type { ApiNames } from './classes';
import { fanoutOf } from './structure';
import { SourceText, calleeName, literalValue, nameOf, unwrap, NOT_LITERAL } from './source';
import type { DecoratorNode, DecoratorOption, StepNode } from './types';
import { typescript, type TsTypes as ts } from './typescript';

/** The production decorators on a declaration (a method, an accessor, a field or the class). */
export function readDecorators(node: ts.Node, api: ApiNames, src: SourceText): DecoratorNode[] {
  const t = typescript();
  const out: DecoratorNode[] = [];
  for (const d of (t.canHaveDecorators(node) ? t.getDecorators(node) : undefined) ?? []) {
    const expr = unwrap(d.expression);
    const local = calleeName(t.isCallExpression(expr) ? expr.expression : expr);
    const name = local === undefined ? undefined : api.decorators.get(local);
    if (!name) continue;
    const dec: DecoratorNode = { name, range: src.range(d), called: t.isCallExpression(expr), options: [] };
    if (t.isCallExpression(expr)) readArguments(expr, dec, src);
    out.push(dec);
  }
  return out;
}

function readArguments(call: ts.CallExpression, dec: DecoratorNode, src: SourceText): void {
  const t = typescript();
  const args = call.arguments;
  if (args.length === 0) return;
  const first = unwrap(args[0]);
  if (args.length > 1 || !t.isObjectLiteralExpression(first)) {
    dec.invalidArgument = {
      text: args.map((a) => src.nodeText(a)).join(', '),
      range: src.span(args[0].getStart(src.sf), args[args.length - 1].end),
    };
    return;
  }
  for (const prop of first.properties) {
    if (t.isPropertyAssignment(prop) || t.isShorthandPropertyAssignment(prop)) {
      const key = nameOf(prop.name) ?? src.nodeText(prop.name);
      const opt: DecoratorOption = { key, keyRange: src.range(prop.name), range: src.range(prop) };
      const value = t.isPropertyAssignment(prop) ? unwrap(prop.initializer) : undefined;
      const lit = value ? literalValue(value) : NOT_LITERAL;
      if (lit === NOT_LITERAL) opt.valueText = value ? src.nodeText(value) : key;
      else opt.value = lit;
      dec.options.push(opt);
    } else {
      // A spread or a method: the options cannot be known without running the file.
      dec.invalidArgument = { text: src.nodeText(prop), range: src.range(prop) };
    }
  }
}

/** The option values a decorator was given, as far as they are literals. */
export function literalOptions(dec: DecoratorNode): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const opt of dec.options) if (opt.valueText === undefined) o[opt.key] = opt.value;
  return o;
}

/** Step decorators `run --with` adds to every step that has none of that name. */
export interface WithDecorator {
  name: StepDecoratorName;
  options: Record<string, unknown>;
}

/**
 * What a step's decorators ask of the runtime (defaults filled in): the scheduler's retries,
 * timeout, catch, resources and placement (`@slurm`). `extra` are `--with` decorators; a step's own decorator of the
 * same name wins, and `--with catchFailure` skips foreach splits (where Metaflow forbids @catch).
 */
export function stepPolicy(step: StepNode, extra: readonly WithDecorator[] = []): StepPolicy {
  const given: Partial<Record<StepDecoratorName, Record<string, unknown>>> = {};
  for (const d of step.decorators ?? []) {
    if (d.name !== 'project' && !given[d.name]) given[d.name] = literalOptions(d);
  }
  for (const w of extra) {
    if (given[w.name]) continue;
    if (w.name === 'catchFailure' && fanoutOf(step) === 'foreach') continue;
    given[w.name] = w.options;
  }
  return policyFrom(given);
}

/** The flow's `@project` name, when the class has one with a literal name. */
export function projectName(classDecorators: readonly DecoratorNode[] | undefined): string | undefined {
  const p = classDecorators?.find((d) => d.name === 'project');
  const name = p?.options.find((o) => o.key === 'name');
  return typeof name?.value === 'string' ? name.value : undefined;
}

/** The artifact a step's `@catchFailure({ var })` sets, if any. */
export function catchVar(step: StepNode): { name: string; option: DecoratorOption } | undefined {
  const c = step.decorators?.find((d) => d.name === 'catchFailure');
  const opt = c?.options.find((o) => o.key === 'var');
  return opt && typeof opt.value === 'string' ? { name: opt.value, option: opt } : undefined;
}
