import { code } from '../text';
import { switchFeeding } from './joinAfterSwitch';
import { defineRule } from '../rule';

export const inputsOnNonJoin = defineRule(
  {
    code: 'SW012',
    name: 'inputs-on-non-join',
    severity: 'error',
    description: 'Only a join takes `inputs`: never `start` or `end`, nor a step with no split open before it.',
  },
  ({ graph, structure, report }) => {
    const noSplit = new Set(structure.nesting.joinWithoutSplit.map((s) => s.name));
    for (const s of graph.steps) {
      if (!s.takesInputs) continue;
      let why: string | undefined;
      if (s.name === 'start') why = '`start` runs first, with nothing to join';
      else if (s.name === 'end') why = '`end` cannot be a join; join the branches in a step before it';
      else if (noSplit.has(s.name) && switchFeeding(structure, s))
        continue; // join-after-switch says why
      else if (noSplit.has(s.name)) why = `no split is open before ${code(s.name)}, so there are no branches to join`;
      if (!why) continue;
      report(s.parametersRange, `${code(s.name)} takes \`inputs\` but is not a join: ${why}. Remove the parameter.`, {
        data: { step: s.name, remove: s.parametersRange },
      });
    }
  },
);
