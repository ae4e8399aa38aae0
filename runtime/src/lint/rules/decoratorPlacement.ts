import { isStepDecoratorName } from '../../api/decoratorOptions';
import { code } from '../text';
import { defineRule } from '../rule';

/**
 * `@retry`, `@catchFailure`, `@timeout`, `@resources` and `@slurm` go on `@step` methods, `@project` on the
 * flow class; elsewhere they would silently do nothing.
 */
export const decoratorPlacement = defineRule(
  {
    code: 'SW041',
    name: 'decorator-placement',
    severity: 'error',
    description:
      'Step decorators (`@retry`, `@catchFailure`, `@timeout`, `@resources`, `@slurm`) decorate `@step` methods; `@project` decorates the flow class.',
  },
  ({ graph, report }) => {
    for (const m of graph.methods) {
      for (const d of m.decorators ?? []) {
        const fix = isStepDecoratorName(d.name)
          ? `add @step to make ${code(m.name)} a step, or remove @${d.name}`
          : `move @project to the flow class`;
        report(d.range, `@${d.name} on ${code(m.name)}, which is not a step, does nothing: ${fix}.`, {
          data: { decorator: d.name, method: m.name },
        });
      }
    }
    for (const s of graph.steps) {
      for (const d of s.decorators ?? []) {
        if (d.name === 'project')
          report(d.range, `@project goes on the flow class, not on the step ${code(s.name)}.`, { data: { decorator: d.name } });
      }
    }
    for (const d of graph.classDecorators ?? []) {
      if (isStepDecoratorName(d.name)) {
        report(
          d.range,
          `@${d.name} goes on @step methods, not on the flow class (\`stepwise run --with ${d.name}\` adds it to every step).`,
          {
            data: { decorator: d.name },
          },
        );
      }
    }
  },
);
