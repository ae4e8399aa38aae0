import { defineRule } from '../rule';

export const syntaxError = defineRule(
  {
    code: 'SW000',
    name: 'syntax-error',
    severity: 'error',
    description: 'The file parses: TypeScript syntax errors are reported (the graph is read around them).',
    withoutFlow: true,
  },
  ({ graph, report }) => {
    for (const e of graph.syntaxErrors) {
      report(e.range, `Syntax error: ${e.message.replace(/\.$/, '')}. Fix it so the flow can be read and run.`);
    }
  },
);
