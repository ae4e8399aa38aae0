import { code } from '../text';
import { defineRule } from '../rule';

export const parameterAssigned = defineRule(
  {
    code: 'SW021',
    name: 'parameter-assigned',
    severity: 'error',
    description: 'Steps do not assign parameters or IncludeFiles (their values are fixed for the run).',
  },
  ({ graph, report }) => {
    const params = new Map(graph.parameters.map((p) => [p.field, p]));
    for (const s of graph.steps) {
      for (const a of s.assigns) {
        const p = params.get(a.name);
        if (!p) continue;
        report(
          a.range,
          `${code(s.name)} assigns ${code(a.name)}, a ${p.declaration === 'includeFile' ? 'IncludeFile' : 'Parameter'}: its value is fixed for the run (and kept by resume). Store the new value in another artifact.`,
          {
            data: { step: s.name, artifact: a.name },
            related: [{ message: `${code(a.name)} is declared here`, range: p.range }],
          },
        );
      }
    }
  },
);
