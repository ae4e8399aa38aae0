import { classInsertPoint, code, flowRange } from '../text';
import { defineRule } from '../rule';

export const missingStart = defineRule(
  { code: 'SW001', name: 'missing-start', severity: 'error', description: 'The flow has a `start` step, where every run begins.' },
  ({ graph, flowName, structure, report }) => {
    if (structure.start) return;
    report(
      flowRange(graph),
      `The flow ${code(flowName)} has no \`start\` step: every run begins at a @step method named \`start\`. Add \`@step start() { this.next(this.firstStep); }\`.`,
      { data: { flowName, step: 'start', insertAt: classInsertPoint(graph) } },
    );
  },
);
