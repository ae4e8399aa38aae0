import { code, list } from '../text';
import { defineRule } from '../rule';

/**
 * A switch's cases are read from the source, never run (DESIGN §9): they must be an object
 * literal of `key: this.step` entries with literal keys, at least two, alone in the call.
 */
export const invalidSwitchCase = defineRule(
  {
    code: 'SW032',
    name: 'invalid-switch-case',
    severity: 'error',
    description: "A switch's cases are an object literal of at least two `key: this.step` entries with literal keys, without `foreach`.",
  },
  ({ graph, report }) => {
    for (const s of graph.steps) {
      const sw = s.switch;
      if (!sw || s.name === 'end') continue;
      const data = { step: s.name };
      if (sw.casesNotLiteral) {
        report(
          sw.casesRange,
          `The cases of the switch in ${code(s.name)} must be written out in the call as an object literal, e.g. \`this.next({ small: this.quick, large: this.thorough }, { condition: '${sw.condition ?? 'sizeClass'}' })\`: the runner and the editor read them without running the flow.`,
          { data },
        );
        continue;
      }
      for (const d of sw.dynamicCases) {
        report(
          d.range,
          `The case ${code(d.text)} of the switch in ${code(s.name)} cannot be read without running the flow: write each case as \`key: this.step\`, with a literal key.`,
          { data },
        );
      }
      const seen = new Set<string>();
      for (const c of sw.cases) {
        if (c.step === undefined) {
          report(
            c.valueRange,
            `The case ${code(c.key)} of the switch in ${code(s.name)} goes to ${code(c.valueText)}, which is not a step: write it as \`this.<step>\`, e.g. \`${c.key}: this.end\`.`,
            { data: { ...data, key: c.key } },
          );
        }
        if (seen.has(c.key)) {
          report(
            c.keyRange,
            `The switch in ${code(s.name)} has the case ${code(c.key)} twice; JavaScript keeps only the last one. Remove or rename one.`,
            {
              data: { ...data, key: c.key },
            },
          );
        }
        seen.add(c.key);
      }
      const count = sw.cases.length + sw.dynamicCases.length;
      if (count < 2) {
        const what = count === 0 ? 'no cases' : `one case (${list(sw.cases.map((c) => c.key))})`;
        report(
          sw.casesRange,
          `The switch in ${code(s.name)} has ${what}: a switch picks one of at least two steps. Add the other case(s), or go to one step with \`this.next(this.${sw.cases[0]?.step ?? 'end'})\`.`,
          { data },
        );
      }
      if (sw.withForeach) {
        report(
          s.foreachRange ?? sw.casesRange,
          `A switch cannot also be a foreach (${code(s.name)}): switch to a step that starts the foreach, or foreach into a step that switches.`,
          { data },
        );
      }
    }
  },
);
