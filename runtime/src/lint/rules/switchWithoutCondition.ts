import type { Range, StepNode } from '../../graph/types';
import { code } from '../text';
import { defineRule, type RuleContext } from '../rule';

/** How many artifacts the quick fix offers as the condition. */
const CANDIDATES = 3;

export const switchWithoutCondition = defineRule(
  {
    code: 'SW030',
    name: 'switch-without-condition',
    severity: 'error',
    description: "A switch's cases come with `{ condition: 'name' }`, naming as a string literal the artifact whose value picks the case.",
  },
  (ctx) => {
    for (const s of ctx.graph.steps) {
      const sw = s.switch;
      if (!sw || s.name === 'end' || sw.casesNotLiteral) continue;
      if (sw.conditionRange && sw.condition === undefined) {
        ctx.report(
          sw.conditionRange,
          `The switch in ${code(s.name)} must name its condition artifact as a string literal, e.g. \`{ condition: 'sizeClass' }\`, so the runner and the editor can read it without running the flow.`,
          { data: { step: s.name } },
        );
      } else if (!sw.conditionRange) {
        const candidates = candidatesFor(ctx, s);
        ctx.report(
          sw.casesRange,
          `The switch in ${code(s.name)} has no \`condition\`: a cases object picks its step by the value of an artifact. Name it: \`this.next({ … }, { condition: '${candidates[0] ?? 'choice'}' })\`, and assign that artifact in ${code(s.name)}.`,
          { data: { step: s.name, candidates, insert: insertion(s) } },
        );
      }
    }
  },
);

/** Artifacts the step assigns (most likely the choice), then those it receives. */
function candidatesFor(ctx: RuleContext, s: StepNode): string[] {
  const names = s.assigns.map((a) => a.name);
  const reachable = ctx.structure.reachable.has(s.name);
  if (reachable) for (const x of ctx.dataFlow.defIn.get(s.name) ?? []) if (!names.includes(x)) names.push(x);
  const params = new Set(ctx.graph.parameters.map((p) => p.field));
  return [...names.filter((n) => !params.has(n)), ...names.filter((n) => params.has(n))].slice(0, CANDIDATES);
}

/** Where the option goes: into the existing options object, or as a new one after the cases. */
function insertion(s: StepNode): { at: Range['start']; prefix: string; suffix: string } {
  const sw = s.switch!;
  if (sw.optionsRange) {
    const at = { line: sw.optionsRange.start.line, character: sw.optionsRange.start.character + 1 };
    return { at, prefix: ' condition: ', suffix: ',' };
  }
  return { at: sw.casesRange.end, prefix: ', { condition: ', suffix: ' }' };
}
