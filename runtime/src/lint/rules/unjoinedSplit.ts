import { code, list } from '../text';
import { defineRule } from '../rule';

export const unjoinedSplit = defineRule(
  { code: 'SW009', name: 'unjoined-split', severity: 'error', description: 'Every split and foreach is closed by a join before `end`.' },
  ({ structure, report }) => {
    for (const { split, reachedBy } of structure.nesting.unjoined) {
      const isForeach = split.foreachRange !== undefined;
      const what = isForeach ? 'foreach' : 'split';
      const branches = list(split.successors);
      const fix = isForeach
        ? `Add a join step that takes \`inputs\` after ${branches} and goes to the next step.`
        : `Add a join step that takes \`inputs\`, send ${branches} to it, and go on from there.`;
      report(
        split.nextRange ?? split.nameRange,
        `The ${what} in ${code(split.name)} is never joined: its branches reach \`end\`${reachedBy.length ? ` (from ${list(reachedBy)})` : ''} without a join step, and \`end\` takes no inputs. ${fix}`,
        {
          data: { split: split.name, branches: split.successors },
          related: reachedBy.map((name) => ({
            message: `${code(name)} goes on to \`end\` without a join`,
            range: structure.byName.get(name)!.nextRange ?? structure.byName.get(name)!.nameRange,
          })),
        },
      );
    }
  },
);
