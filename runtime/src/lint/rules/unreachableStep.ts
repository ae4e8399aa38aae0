import type { StepNode } from '../../graph/types';
import { code, list } from '../text';
import { defineRule } from '../rule';

/**
 * Reports each unreachable region once, at its first step (one that no other unreachable step
 * leads to), listing the steps only it leads to: `end` behind an orphan is one problem, not two.
 */
export const unreachableStep = defineRule(
  { code: 'SW008', name: 'unreachable-step', severity: 'error', description: 'Every step can be reached from `start`.' },
  ({ graph, structure, report }) => {
    if (!structure.start) return;
    const unreachable = graph.steps.filter((s) => !structure.reachable.has(s.name) && structure.byName.get(s.name) === s);
    const isUnreachable = new Set(unreachable.map((s) => s.name));
    // An unreachable `end` on its own is always explained by another finding (a cycle, an
    // unknown transition, a step without next), so it is only listed behind an orphan.
    const roots = unreachable.filter((s) => s.name !== 'end' && !s.predecessors.some((p) => p !== s.name && isUnreachable.has(p)));
    const covered = new Set<string>();
    const visit = (root: StepNode): void => {
      covered.add(root.name);
      const region: string[] = [];
      const stack = [root];
      while (stack.length) {
        const cur = stack.pop()!;
        if (cur.name === 'end') continue;
        for (const name of cur.successors) {
          const next = structure.byName.get(name);
          if (!next || !isUnreachable.has(name) || covered.has(name)) continue;
          covered.add(name);
          region.push(name);
          stack.push(next);
        }
      }
      const also = region.length ? ` (and so ${region.length === 1 ? 'is' : 'are'} ${list(region)}, reached only through it)` : '';
      report(
        root.nameRange,
        `Step ${code(root.name)} is unreachable from \`start\`${also}: no reachable step's this.next(...) leads to it. Name it in a reachable step's this.next(...), or delete it.`,
        {
          data: { step: root.name, alsoUnreachable: region },
          related: region.map((name) => ({
            message: `${code(name)} is reached only through ${code(root.name)}`,
            range: structure.byName.get(name)!.nameRange,
          })),
        },
      );
    };
    for (const r of roots) if (!covered.has(r.name)) visit(r);
    for (const s of unreachable) if (!covered.has(s.name) && s.name !== 'end') visit(s);
  },
);
