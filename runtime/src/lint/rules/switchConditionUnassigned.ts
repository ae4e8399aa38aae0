import { RESERVED_NAMES } from '../../graph/names';
import { closest, code } from '../text';
import { defineRule } from '../rule';

export const switchConditionUnassigned = defineRule(
  {
    code: 'SW031',
    name: 'switch-condition-unassigned',
    severity: 'error',
    description:
      "A switch's condition names an artifact that is set when the step ends: assigned in the step, on every path into it, or a parameter.",
  },
  ({ graph, structure, dataFlow: data, report }) => {
    const assignedAnywhere = new Set(graph.steps.flatMap((s) => s.assigns.map((a) => a.name)));
    for (const s of graph.steps) {
      const sw = s.switch;
      if (!sw?.condition || !sw.conditionRange || s.name === 'end') continue;
      const c = sw.condition;
      const member = structure.byName.has(c)
        ? 'a step'
        : graph.methods.some((m) => m.name === c)
          ? 'a method'
          : RESERVED_NAMES.has(c)
            ? 'part of the flow API'
            : undefined;
      if (member) {
        report(
          sw.conditionRange,
          `The switch in ${code(s.name)} picks its case by ${code(c)}, which is ${member}, not an artifact. Name the artifact that holds the choice, e.g. \`this.${s.assigns[0]?.name ?? 'choice'}\`.`,
          { data: { step: s.name, artifact: c } },
        );
        continue;
      }
      const reachable = structure.reachable.has(s.name);
      const available = new Set<string>(data.base);
      for (const x of reachable ? (data.defOut.get(s.name) ?? []) : assignedAnywhere) available.add(x);
      for (const a of s.assigns) available.add(a.name);
      if (available.has(c)) continue;
      const suggestion = closest(c, available);
      const where =
        reachable && (data.maybeIn.get(s.name)?.has(c) ?? false)
          ? `is not assigned on every path into ${code(s.name)}`
          : `${code(s.name)} never assigns and no step before it does`;
      const hint = suggestion ? ` Did you mean ${code(suggestion)}?` : '';
      report(
        sw.conditionRange,
        `The switch in ${code(s.name)} picks its case by ${code(c)}, which ${where}, so the step would fail when it ends. Assign it in ${code(s.name)} before this.next(...), e.g. \`this.${c} = '${sw.cases[0]?.key ?? 'a'}'\`.${hint}`,
        { data: suggestion ? { step: s.name, artifact: c, suggestion } : { step: s.name, artifact: c } },
      );
    }
  },
);
