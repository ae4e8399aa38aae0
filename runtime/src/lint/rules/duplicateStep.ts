import { code } from '../text';
import { defineRule } from '../rule';

export const duplicateStep = defineRule(
  { code: 'SW018', name: 'duplicate-step', severity: 'error', description: 'Each step name is declared once.' },
  ({ graph, structure, report }) => {
    for (const s of graph.steps) {
      const first = structure.byName.get(s.name)!;
      if (first === s) continue;
      report(s.nameRange, `Step ${code(s.name)} is declared twice: the later method replaces the first. Rename or remove one.`, {
        data: { step: s.name },
        related: [{ message: `${code(s.name)} first declared here`, range: first.nameRange }],
      });
    }
  },
);
