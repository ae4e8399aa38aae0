import { code, list } from '../text';
import { defineRule } from '../rule';

export const joinWithoutInputs = defineRule(
  {
    code: 'SW011',
    name: 'join-without-inputs',
    severity: 'error',
    description: 'A step where branches meet takes `inputs` (it is a join).',
  },
  ({ flowName, structure, report }) => {
    const unjoinedAtEnd = structure.nesting.unjoined.length > 0;
    // Where parallel branches meet; the cases of a switch meeting again are not branches.
    for (const { step: s, branches } of structure.nesting.meetings) {
      const preds = branches.map((p) => p.name);
      if (s.name === 'end') {
        if (unjoinedAtEnd) continue; // reported at the split that is not joined
        report(
          s.nameRange,
          `\`end\` receives ${preds.length} branches (${list(preds)}) but cannot be a join: join them in a step that takes \`inputs\`, and go from there to \`end\`.`,
          {
            data: { step: s.name, branches: preds },
          },
        );
        continue;
      }
      const text = `inputs: Inputs<${flowName}>`;
      report(
        s.nameRange,
        `${code(s.name)} receives ${preds.length} branches (${list(preds)}) but takes no \`inputs\`: a step where branches meet is a join. Declare it as \`${s.name}(${text})\` (import \`type Inputs\` from 'stepwise').`,
        { data: { flowName, step: s.name, insertAt: s.parametersRange.start, text, branches: preds } },
      );
    }
  },
);
