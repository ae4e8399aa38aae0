import type { ValueKind } from '../../graph/types';
import { code } from '../text';
import { defineRule } from '../rule';

/** What a foreach cannot go over; strings, arrays, Sets, Maps and anything else iterable it can. */
const NOT_ITERABLE: ReadonlySet<ValueKind> = new Set(['number', 'bigint', 'boolean', 'null', 'undefined', 'object']);

const A: Record<string, string> = { object: 'an object literal', undefined: 'undefined', null: 'null' };

export const foreachNotIterable = defineRule(
  {
    code: 'SW023',
    name: 'foreach-not-iterable',
    severity: 'error',
    description:
      'A foreach goes over something iterable: an array, a string (one task per character), a Set, a Map (one per entry), a typed array. Reported when the step assigns the artifact only literals that are not.',
  },
  ({ graph, report }) => {
    for (const s of graph.steps) {
      const values = s.foreachValues;
      if (!s.foreachVar || !s.foreachRange || !values?.length || !values.every((v) => NOT_ITERABLE.has(v.kind))) continue;
      const last = values[values.length - 1];
      const what = A[last.kind] ?? `a ${last.kind}`;
      const fix =
        last.kind === 'object'
          ? `go over Object.keys(this.${s.foreachVar}) or Object.entries(this.${s.foreachVar}) instead (a plain object is not iterable)`
          : `assign an array (or a string, Set, Map or typed array) to this.${s.foreachVar}`;
      report(
        s.foreachRange,
        `The foreach in ${code(s.name)} goes over ${code(s.foreachVar)}, which ${code(s.name)} sets to ${what}: a foreach needs something iterable. Fix: ${fix}.`,
        {
          data: { step: s.name, artifact: s.foreachVar, kind: last.kind },
          related: [{ message: `${code(s.foreachVar)} is set here`, range: last.range }],
        },
      );
    }
  },
);
