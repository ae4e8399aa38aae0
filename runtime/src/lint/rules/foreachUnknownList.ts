import { closest, code } from '../text';
import { defineRule } from '../rule';

export const foreachUnknownList = defineRule(
  {
    code: 'SW013',
    name: 'foreach-unknown-list',
    severity: 'error',
    description:
      'A foreach names, as a string literal, a list artifact available in its step (assigned there or upstream, or a parameter).',
  },
  ({ graph, structure, dataFlow: data, report }) => {
    const assignedAnywhere = new Set(graph.steps.flatMap((s) => s.assigns.map((a) => a.name)));
    for (const s of graph.steps) {
      if (!s.foreachRange || s.name === 'end' || s.switch) continue;
      if (s.foreachVar === undefined) {
        report(
          s.foreachRange,
          `The foreach in ${code(s.name)} must name its list artifact as a string literal, e.g. \`{ foreach: 'items' }\`, so it can be checked and shown.`,
          {
            data: { step: s.name },
          },
        );
        continue;
      }
      const v = s.foreachVar;
      const reachable = structure.reachable.has(s.name);
      const available = new Set<string>(data.base);
      if (reachable) {
        for (const x of data.defIn.get(s.name) ?? []) available.add(x);
        for (const x of data.carried.get(s.name) ?? []) available.add(x);
      } else {
        for (const x of assignedAnywhere) available.add(x);
      }
      for (const a of s.assigns) available.add(a.name);
      if (available.has(v)) continue;
      const suggestion = closest(v, available);
      const where =
        reachable && (data.maybeIn.get(s.name)?.has(v) ?? false)
          ? `is not assigned on every path into ${code(s.name)}`
          : `${code(s.name)} never assigns and no step before it does`;
      const hint = suggestion ? ` Did you mean ${code(suggestion)}?` : '';
      report(
        s.foreachRange,
        `The foreach in ${code(s.name)} goes over ${code(v)}, which ${where}. Assign the list in ${code(s.name)} (\`this.${v} = [...]\`) before this.next(...), or name an existing list artifact.${hint}`,
        { data: suggestion ? { step: s.name, artifact: v, suggestion } : { step: s.name, artifact: v } },
      );
    }
  },
);
