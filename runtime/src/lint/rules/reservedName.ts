import { RESERVED_NAMES } from '../../graph/names';
import type { ArtifactRef } from '../../graph/types';
import { code } from '../text';
import { defineRule } from '../rule';

const ROLE: Record<string, string> = {
  next: 'this.next(...) names the next steps',
  input: 'this.input is the foreach item',
  index: 'this.index is the foreach position',
  inputs: '`inputs` is what a join receives',
  mergeArtifacts: "this.mergeArtifacts(...) merges a join's branches",
  foreachStack: 'this.foreachStack() lists the enclosing foreaches',
  foreach: '`foreach` names the list of a foreach split',
};

export const reservedName = defineRule(
  {
    code: 'SW015',
    name: 'reserved-name',
    severity: 'error',
    description:
      'Steps, parameters and artifacts do not use names reserved by the flow API (`next`, `input`, `index`, `inputs`, `mergeArtifacts`, `foreachStack`, `foreach`).',
  },
  ({ graph, report }) => {
    const seen = new Set<string>();
    const check = (what: string, ref: ArtifactRef) => {
      if (!RESERVED_NAMES.has(ref.name)) return;
      const key = `${ref.range.start.line}:${ref.range.start.character}`;
      if (seen.has(key)) return;
      seen.add(key);
      report(ref.range, `${code(ref.name)} is reserved (${ROLE[ref.name]}) and cannot be ${what}: rename it.`, {
        data: { name: ref.name },
      });
    };
    for (const s of graph.steps) check('a step name', { name: s.name, range: s.nameRange });
    for (const p of graph.parameters) check('a parameter field', { name: p.field, range: p.range });
    for (const f of graph.fields) check('an artifact', f);
    for (const s of graph.steps) for (const a of s.assigns) check('an artifact', a);
  },
);
