import { code } from '../text';
import { defineRule } from '../rule';

export const invalidNextArgument = defineRule(
  {
    code: 'SW019',
    name: 'invalid-next-argument',
    severity: 'error',
    description: '`this.next(...)` takes steps as `this.stepName`: at least one, no repeats, exactly one with `{ foreach }`.',
  },
  ({ graph, report }) => {
    for (const s of graph.steps) {
      if (!s.nextRange || s.name === 'end') continue;
      for (const bad of s.invalidNextArgs) {
        report(
          bad.range,
          s.switch
            ? `A switch takes one cases object and its options, \`this.next({ a: this.a, b: this.b }, { condition: 'name' })\`; ${code(bad.text)} does not belong there. Remove it, or make it a case.`
            : `this.next(...) takes steps written as \`this.stepName\`; ${code(bad.text)} is not one. Pass the step method itself, e.g. \`this.next(this.end)\`.`,
          {
            data: { step: s.name },
          },
        );
      }
      if (s.switch) continue; // a switch's cases: invalid-switch-case (two keys may name one step)
      if (s.successors.length === 0 && s.invalidNextArgs.length === 0) {
        report(s.nextRange, `this.next() in ${code(s.name)} names no step: pass the step(s) that run next, e.g. \`this.next(this.end)\`.`, {
          data: { step: s.name },
        });
      }
      const hasForeach = s.foreachRange !== undefined;
      if (hasForeach && s.successors.length > 1) {
        report(
          s.nextRange,
          `A foreach runs exactly one step per item, but ${code(s.name)} names ${s.successors.length}: keep one step before \`{ foreach }\`.`,
          {
            data: { step: s.name },
          },
        );
      }
      const seen = new Set<string>();
      s.successors.forEach((name, i) => {
        if (seen.has(name)) {
          report(
            s.successorRanges[i],
            `${code(s.name)} names ${code(name)} twice in this.next(...): each branch of a split is a different step. Remove the repeat.`,
            {
              data: { step: s.name, remove: s.successorRanges[i] },
            },
          );
        }
        seen.add(name);
      });
    }
  },
);
