import type { FlowStructure } from '../../graph/structure';
import type { StepNode } from '../../graph/types';
import { code } from '../text';
import { defineRule } from '../rule';

/**
 * A step that takes `inputs` where only the cases of a switch meet: one case ran, so there is
 * nothing to join. (With a split open, the join closes that split instead: see crossed-join.)
 */
export const joinAfterSwitch = defineRule(
  {
    code: 'SW033',
    name: 'join-after-switch',
    severity: 'error',
    description: 'A join closes a split: the cases of a switch meet again in a plain step, without `inputs`.',
  },
  ({ structure, report }) => {
    for (const s of structure.nesting.joinWithoutSplit) {
      const sw = switchFeeding(structure, s);
      if (!sw) continue;
      report(
        s.parametersRange,
        `${code(s.name)} takes \`inputs\`, but what leads to it are the cases of the switch in ${code(sw.name)}: only one of them runs, so there is nothing to join. Remove the parameter: the cases of a switch meet again in a plain step.`,
        {
          data: { step: s.name, switch: sw.name, remove: s.parametersRange },
          related: [{ message: `the switch in ${code(sw.name)}`, range: sw.nextRange ?? sw.nameRange }],
        },
      );
    }
  },
);

/**
 * The switch whose cases reach `step`, when `step` is where they meet (several ways in) or
 * a case itself: the nearest switch walking back.
 */
export function switchFeeding(structure: FlowStructure, step: StepNode): StepNode | undefined {
  const inc = structure.incoming.get(step.name) ?? [];
  if (inc.length < 2 && !inc.some((p) => p.switch)) return undefined;
  const seen = new Set<string>();
  let frontier = inc;
  while (frontier.length) {
    const sw = frontier.find((p) => p.switch);
    if (sw) return sw;
    const next: StepNode[] = [];
    for (const p of frontier) {
      if (seen.has(p.name)) continue;
      seen.add(p.name);
      next.push(...(structure.incoming.get(p.name) ?? []));
    }
    frontier = next;
  }
  return undefined;
}
