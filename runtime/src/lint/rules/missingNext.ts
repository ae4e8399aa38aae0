import { code } from '../text';
import { defineRule } from '../rule';

export const missingNext = defineRule(
  {
    code: 'SW005',
    name: 'missing-next',
    severity: 'error',
    description: 'Every step except `end` names what runs next with `this.next(...)`.',
  },
  ({ graph, report }) => {
    for (const s of graph.steps) {
      if (s.name === 'end' || s.nextCallCount > 0) continue;
      report(
        s.nameRange,
        `Step ${code(s.name)} never calls this.next(...): every step except \`end\` must finish by naming the step(s) that run next, e.g. \`this.next(this.end)\`.`,
        { data: { step: s.name } },
      );
    }
  },
);
