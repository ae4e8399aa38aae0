import type { ArtifactRef } from '../../graph/types';
import { code } from '../text';
import { defineRule } from '../rule';

export const duplicateParameter = defineRule(
  {
    code: 'SW016',
    name: 'duplicate-parameter',
    severity: 'error',
    description: "Parameter names (the `--name` on the command line) are unique, and a parameter's field is not also a step name.",
  },
  ({ graph, report }) => {
    const first = new Map<string, { name: string; nameRange: ArtifactRef['range']; field: string }>();
    for (const p of graph.parameters) {
      const prev = first.get(p.name);
      if (prev) {
        report(
          p.nameRange,
          `Parameter name ${code(p.name)} is already used by the field ${code(prev.field)}: each parameter needs its own \`--${p.name}\`. Rename one of them.`,
          {
            data: { name: p.name },
            related: [{ message: `${code(p.name)} first declared here`, range: prev.nameRange }],
          },
        );
      } else {
        first.set(p.name, p);
      }
    }
    const steps = new Set(graph.steps.map((s) => s.name));
    for (const p of graph.parameters) {
      if (steps.has(p.field)) {
        report(p.range, `The parameter field ${code(p.field)} has the name of a step: rename the field.`, { data: { name: p.field } });
      }
    }
  },
);
