import { code } from '../text';
import { defineRule } from '../rule';

export const multipleFlows = defineRule(
  { code: 'SW014', name: 'multiple-flows', severity: 'error', description: 'A file holds one flow class (one class extending FlowSpec).' },
  ({ graph, flowName, report }) => {
    for (const other of graph.otherFlows) {
      report(
        other.range,
        `${code(other.name)} is a second flow in this file: Stepwise runs one flow class per file (here ${code(flowName)}). Move ${code(other.name)} to a file of its own.`,
        {
          data: { flowName, other: other.name },
          related: graph.classNameRange ? [{ message: `the file's flow is ${code(flowName)}`, range: graph.classNameRange }] : [],
        },
      );
    }
  },
);
