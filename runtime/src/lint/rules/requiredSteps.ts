import { classInsertPoint, code, flowRange } from '../text';
import { defineRule } from '../rule';

export const missingStart = defineRule(
  { code: 'SW001', name: 'missing-start', severity: 'error', description: 'The flow has a `start` step, where every run begins.' },
  ({ graph, flowName, analysis, report }) => {
    if (analysis.start) return;
    report(
      flowRange(graph),
      `The flow ${code(flowName)} has no \`start\` step: every run begins at a @step method named \`start\`. Add \`@step start() { this.next(this.firstStep); }\`.`,
      { data: { flowName, step: 'start', insertAt: classInsertPoint(graph) } },
    );
  },
);

export const missingEnd = defineRule(
  { code: 'SW002', name: 'missing-end', severity: 'error', description: 'The flow has an `end` step, where every run finishes.' },
  ({ graph, flowName, analysis, report }) => {
    if (analysis.end) return;
    report(
      flowRange(graph),
      `The flow ${code(flowName)} has no \`end\` step: every run finishes in a @step method named \`end\`. Add \`@step end() {}\` and point the last step at it with \`this.next(this.end)\`.`,
      { data: { flowName, step: 'end', insertAt: classInsertPoint(graph) } },
    );
  },
);
