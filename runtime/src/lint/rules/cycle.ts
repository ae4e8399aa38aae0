import { code } from '../text';
import { defineRule } from '../rule';

export const cycle = defineRule(
  { code: 'SW007', name: 'cycle', severity: 'error', description: 'The steps form a DAG: no step leads back to itself.' },
  ({ structure, report }) => {
    for (const b of structure.backEdges) {
      const path = b.cycle.join(' -> ');
      const related = b.cycle.slice(0, -1).map((name) => ({
        message: `${code(name)} is part of the cycle`,
        range: structure.byName.get(name)!.nameRange,
      }));
      report(
        b.from.successorRanges[b.index],
        `Cycle ${path}: a flow is a DAG, so ${code(b.from.name)} cannot go back to ${code(b.to.name)}. Point it at a later step (such as \`end\`), or loop inside one step or with a foreach.`,
        { related, data: { cycle: b.cycle } },
      );
    }
  },
);
