import { code, list } from '../text';
import { defineRule } from '../rule';

export const crossedJoin = defineRule(
  {
    code: 'SW010',
    name: 'crossed-join',
    severity: 'error',
    description: 'A join joins every branch of one split, and only of that split (splits and joins nest like parentheses).',
  },
  ({ structure, report }) => {
    for (const { join, split, missing } of structure.nesting.partial) {
      report(
        join.nameRange,
        `${code(join.name)} joins the split in ${code(split.name)}, but ${list(missing)} never ${missing.length === 1 ? 'reaches' : 'reach'} it, so its task would wait for ${missing.length === 1 ? 'that branch' : 'those branches'} forever. Send every branch of ${code(split.name)} to ${code(join.name)} (the cases of a switch inside a branch each count for their branch).`,
        {
          data: { join: join.name, split: split.name, missing },
          related: [{ message: `the split in ${code(split.name)}`, range: split.nextRange ?? split.nameRange }],
        },
      );
    }
    for (const { join, branches } of structure.nesting.crossed) {
      const parts = branches.map((b) => `${code(b.pred)} from the split in ${code(b.split)}`).join(', ');
      const splits = [...new Set(branches.map((b) => b.split))];
      const inner = branches.reduce((a, b) => (b.depth > a.depth ? b : a)).split;
      report(
        join.nameRange,
        `${code(join.name)} joins branches of ${splits.length} different splits (${parts}). Splits and joins nest like parentheses: join the branches of ${code(inner)} in their own join step first, then join that with the rest.`,
        {
          data: { join: join.name, branches },
          related: splits.map((name) => {
            const s = structure.byName.get(name)!;
            return { message: `the split in ${code(name)}`, range: s.nextRange ?? s.nameRange };
          }),
        },
      );
    }
  },
);
