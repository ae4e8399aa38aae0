import { closest, code } from '../text';
import { defineRule } from '../rule';

export const unknownTransition = defineRule(
  {
    code: 'SW003',
    name: 'unknown-transition',
    severity: 'error',
    description: 'Every step named in `this.next(...)` is a @step method of the flow.',
  },
  ({ graph, flowName, structure, report }) => {
    const stepNames = [...structure.byName.keys()];
    for (const s of graph.steps) {
      s.successors.forEach((target, i) => {
        if (structure.byName.has(target)) return;
        const range = s.successorRanges[i];
        const helper = graph.methods.find((m) => m.name === target);
        if (helper) {
          report(
            range,
            `${code(s.name)} goes to ${code(target)}, a method without @step: only steps can run next. Decorate ${code(target)} with @step, or name a step.`,
            {
              data: { target, addDecorator: true },
              related: [{ message: `${code(target)} is declared here without @step`, range: helper.range }],
            },
          );
          return;
        }
        const suggestion = closest(target, stepNames);
        const fix = suggestion
          ? `Did you mean ${code(suggestion)}? Otherwise add a @step method ${code(target)}.`
          : `Name an existing step, or add a @step method ${code(target)}.`;
        report(range, `${code(s.name)} goes to ${code(target)}, which is not a step of ${code(flowName)}. ${fix}`, {
          data: suggestion ? { target, suggestion } : { target },
        });
      });
    }
  },
);
