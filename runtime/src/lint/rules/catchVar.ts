import { catchVar } from '../../graph/decorators';
import { RESERVED_NAMES } from '../../graph/names';
import type { FlowGraph } from '../../graph/types';
import { code } from '../text';
import { defineRule } from '../rule';

/**
 * A `@catchFailure({ var })` artifact is the catch's own: it must not be a parameter, an artifact
 * the flow assigns, a step or a helper. Otherwise a caught failure and the flow's own value would
 * overwrite each other.
 */
export const catchVarClash = defineRule(
  {
    code: 'SW042',
    name: 'catch-var-clash',
    severity: 'error',
    description:
      'A `@catchFailure({ var })` names an artifact of its own: not a parameter, an artifact the flow assigns, a step, a helper or a reserved name.',
  },
  ({ graph, report }) => {
    for (const s of graph.steps) {
      const v = catchVar(s);
      if (!v) continue;
      const clash = clashOf(graph, v.name);
      if (clash) {
        report(
          v.option.range,
          `@catchFailure's var ${code(v.name)} is already ${clash}: name the caught failure something else (e.g. ${code(`${s.name}Failure`)}).`,
          {
            data: { name: v.name, step: s.name },
          },
        );
      }
    }
  },
);

function clashOf(graph: FlowGraph, name: string): string | undefined {
  if (RESERVED_NAMES.has(name)) return 'a name the flow API reserves';
  const p = graph.parameters.find((x) => x.field === name || x.name === name);
  if (p) return `the ${p.declaration === 'includeFile' ? 'IncludeFile' : 'parameter'} ${code(p.name)}`;
  if (graph.steps.some((s) => s.name === name)) return 'a step';
  if (graph.methods.some((m) => m.name === name)) return 'a helper method';
  if (graph.fields.some((f) => f.name === name && f.initialized)) return 'a field of the flow';
  const assigner = graph.steps.find((s) => s.assigns.some((a) => a.name === name));
  if (assigner) return `an artifact assigned in ${code(assigner.name)}`;
  return undefined;
}
