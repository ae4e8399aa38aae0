import { classInsertPoint, code, flowRange } from '../text';
import { defineRule } from '../rule';

export const missingEnd = defineRule(
  { code: 'SW002', name: 'missing-end', severity: 'error', description: 'The flow has an `end` step, where every run finishes.' },
  ({ graph, flowName, structure, report }) => {
    if (structure.end) return;
    report(
      flowRange(graph),
      `The flow ${code(flowName)} has no \`end\` step: every run finishes in a @step method named \`end\`. Add \`@step end() {}\` and point the last step at it with \`this.next(this.end)\`.`,
      { data: { flowName, step: 'end', insertAt: classInsertPoint(graph) } },
    );
  },
);
