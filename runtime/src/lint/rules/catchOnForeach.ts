import { fanoutOf } from '../../graph/structure';
import { code } from '../text';
import { defineRule } from '../rule';

/**
 * Like Metaflow, `@catchFailure` is not supported on a foreach split: a caught failure would leave
 * no list to split over, so the steps after it could not run.
 */
export const catchOnForeach = defineRule(
  {
    code: 'SW043',
    name: 'catch-on-foreach',
    severity: 'error',
    description: '`@catchFailure` is not supported on a step that splits with foreach (as in Metaflow).',
  },
  ({ graph, report }) => {
    for (const s of graph.steps) {
      const c = s.decorators?.find((d) => d.name === 'catchFailure');
      if (!c || fanoutOf(s) !== 'foreach') continue;
      report(
        c.range,
        `@catchFailure is not supported on ${code(s.name)}, a foreach split: a caught failure leaves no list to split over. Move the risky work to a step before the split, and catch there.`,
        { data: { step: s.name } },
      );
    }
  },
);
