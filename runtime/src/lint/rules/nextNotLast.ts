import { code } from '../text';
import { defineRule } from '../rule';

export const nextNotLast = defineRule(
  {
    code: 'SW006',
    name: 'next-not-last',
    severity: 'error',
    description: '`this.next(...)` is called once per step, as its last statement (a choice between steps is a switch, not an `if`).',
  },
  ({ graph, report }) => {
    for (const s of graph.steps) {
      if (s.name === 'end' || !s.nextRange) continue;
      if (s.conditionalNext) {
        report(
          s.nextRange,
          `Step ${code(s.name)} chooses its next step with \`if\`: the runner, the editor and resume read the flow's graph without running it, so they cannot see that choice. Keep the choice in an artifact and end with one switch, e.g. \`this.next({ yes: this.a, no: this.b }, { condition: 'choice' })\`.`,
          { data: { step: s.name } },
        );
      } else if (s.nextCallCount > 1) {
        report(
          s.nextRange,
          `Step ${code(s.name)} calls this.next(...) ${s.nextCallCount} times: a step names its successors once, in one call at its end. Use a split (\`this.next(this.a, this.b)\`) to run several steps.`,
          { data: { step: s.name } },
        );
      } else if (s.nextNotLast) {
        report(s.nextRange, `this.next(...) must be the last statement of ${code(s.name)}: move the code after it above the call.`, {
          data: { step: s.name },
        });
      }
    }
  },
);
