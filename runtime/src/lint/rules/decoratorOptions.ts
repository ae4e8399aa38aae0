import { DECORATORS, optionProblem, timeoutSeconds } from '../../api/decoratorOptions';
import { literalOptions } from '../../graph/decorators';
import type { DecoratorNode } from '../../graph/types';
import { code } from '../text';
import { defineRule, type RuleContext } from '../rule';

/**
 * Production decorators take one object literal whose options exist, have literal values of the
 * right kind, and make sense (`times` ≥ 0, a positive timeout); each decorator once per step.
 * The runner reads them from the source without running it, so a computed value cannot be used.
 */
export const decoratorOptions = defineRule(
  {
    code: 'SW040',
    name: 'decorator-options',
    severity: 'error',
    description:
      'Options of `@retry`, `@catchFailure`, `@timeout`, `@resources`, `@slurm` and `@project` are known, literal and valid (`times` ≥ 0, a positive timeout, a project name in lowercase); each decorator appears once.',
  },
  (ctx) => {
    for (const s of ctx.graph.steps) checkAll(ctx, s.decorators ?? [], `step ${code(s.name)}`);
    checkAll(ctx, ctx.graph.classDecorators ?? [], `the flow ${code(ctx.flowName)}`);
  },
);

function checkAll(ctx: RuleContext, decorators: DecoratorNode[], owner: string): void {
  const seen = new Map<string, DecoratorNode>();
  for (const d of decorators) {
    const first = seen.get(d.name);
    if (first) {
      ctx.report(d.range, `@${d.name} is given twice on ${owner}: keep one.`, {
        data: { decorator: d.name },
        related: [{ message: `first @${d.name}`, range: first.range }],
      });
      continue;
    }
    seen.set(d.name, d);
    check(ctx, d);
  }
}

function check(ctx: RuleContext, d: DecoratorNode): void {
  const spec = DECORATORS[d.name];
  if (d.invalidArgument) {
    ctx.report(
      d.invalidArgument.range,
      `@${d.name} takes one options object written in place, e.g. @${d.name}({ ${Object.keys(spec.options)[0]}: … }): the runner reads it without running the file.`,
      { data: { decorator: d.name } },
    );
    return;
  }
  for (const opt of d.options) {
    if (!spec.options[opt.key]) {
      ctx.report(opt.keyRange, optionProblem(d.name, opt.key, undefined)!, { data: { decorator: d.name, option: opt.key } });
    } else if (opt.valueText !== undefined) {
      ctx.report(
        opt.range,
        `@${d.name}'s ${opt.key} must be a literal value, not ${code(opt.valueText)}: the runner reads decorators without running the file.`,
        { data: { decorator: d.name, option: opt.key } },
      );
    } else {
      const problem = optionProblem(d.name, opt.key, opt.value);
      if (problem) ctx.report(opt.range, problem, { data: { decorator: d.name, option: opt.key } });
    }
  }
  for (const key of spec.required ?? []) {
    if (!d.options.some((o) => o.key === key)) {
      ctx.report(d.range, `@${d.name} needs ${code(key)}, e.g. @project({ name: 'my_project' }).`, {
        data: { decorator: d.name, option: key },
      });
    }
  }
  if (d.name === 'timeout' && d.options.every((o) => o.valueText === undefined) && !(timeoutSeconds(literalOptions(d)) > 0)) {
    ctx.report(
      d.range,
      '@timeout needs a positive duration: give seconds, minutes or hours (they add up), e.g. @timeout({ minutes: 10 }).',
      {
        data: { decorator: d.name },
      },
    );
  }
}
