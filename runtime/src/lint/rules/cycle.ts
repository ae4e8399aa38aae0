import type { LoopProblem } from '../../graph/loops';
import type { FlowStructure } from '../../graph/structure';
import { code } from '../text';
import { defineRule } from '../rule';

/**
 * Only a switch may close a cycle, and the cycle it closes must be a loop the runner can number
 * in passes: entered at its first step only, not at `start` or at a join, and at one split level.
 */
export const cycle = defineRule(
  {
    code: 'SW007',
    name: 'cycle',
    severity: 'error',
    description:
      'Only a switch case may lead back to an earlier step (a loop); a loop is entered at its first step, which is not `start` or a join, and closes every split it opens.',
  },
  ({ structure, report }) => {
    for (const p of structure.loopProblems) {
      const b = p.edge;
      const related = b.cycle.slice(0, -1).map((name) => ({
        message: `${code(name)} is part of the cycle`,
        range: structure.byName.get(name)!.nameRange,
      }));
      if (p.entry)
        related.push({
          message: `${code(p.entry.from.name)} enters the loop here`,
          range: transitionRange(p.entry.from, p.entry.step.name),
        });
      report(b.from.successorRanges[b.index], message(p, structure), { related, data: { cycle: b.cycle, problem: p.kind } });
    }
  },
);

function message(p: LoopProblem, structure: FlowStructure): string {
  const b = p.edge;
  const from = code(b.from.name);
  const to = code(b.to.name);
  const path = `Cycle ${b.cycle.join(' -> ')}`;
  switch (p.kind) {
    case 'not-switch':
      return `${path}: ${from} always goes back to ${to}, so the flow would never end. Only a switch may close a cycle: make ${from} choose, e.g. \`this.next({ again: this.${b.to.name}, done: this.end }, { condition: 'status' })\`, or point it at a later step.`;
    case 'to-start':
      return `${path}: a loop cannot go back to \`start\`, which runs once per run. Loop back to a step after \`start\` instead.`;
    case 'join-head':
      return `${path}: ${to} takes \`inputs\`, but a loop's first step is re-entered from ${from} alone, with nothing to join. Loop back to a step after the join.`;
    case 'levels':
      return `${path}: ${from} is ${where(b.from.name, structure)}, but ${to} is ${where(b.to.name, structure)}. A pass must join every split it opens, and stay in the branch it started in: join the branches first, then loop back from the join (or a step after it).`;
    case 'entry':
      return `${path}: the loop starts at ${to}, but ${code(p.entry!.from.name)} goes to ${code(p.entry!.step.name)}, inside the loop. A loop is entered only at its first step: send ${code(p.entry!.from.name)} to ${to}.`;
  }
}

/** Where a step sits among the splits: the innermost one around it. */
function where(step: string, structure: FlowStructure): string {
  const levels = structure.nesting.levels.get(step) ?? [];
  const top = levels[levels.length - 1];
  if (!top) return 'outside every split';
  const split = structure.byName.get(top.split);
  return top.branch === '*' || !split
    ? `inside the foreach in ${code(top.split)}`
    : `on the branch ${code(top.branch)} of the split in ${code(top.split)}`;
}

function transitionRange(from: FlowStructure['order'][number], to: string) {
  const i = from.successors.indexOf(to);
  return i >= 0 ? from.successorRanges[i] : from.nameRange;
}
