import { code } from '../text';
import { defineRule } from '../rule';

export const endHasNext = defineRule(
  { code: 'SW004', name: 'end-has-next', severity: 'error', description: 'The `end` step does not call `this.next(...)`.' },
  ({ analysis, report }) => {
    const end = analysis.end;
    if (!end?.nextRange) return;
    report(end.nextRange, '`end` is the last step and must not call this.next(...): remove the call (a run finishes after `end`).', {
      data: { step: 'end', remove: end.nextRange },
    });
  },
);

export const missingNext = defineRule(
  { code: 'SW005', name: 'missing-next', severity: 'error', description: 'Every step except `end` names what runs next with `this.next(...)`.' },
  ({ graph, report }) => {
    for (const s of graph.steps) {
      if (s.name === 'end' || s.nextCallCount > 0) continue;
      report(
        s.nameRange,
        `Step ${code(s.name)} never calls this.next(...): every step except \`end\` must finish by naming the step(s) that run next, e.g. \`this.next(this.end)\`.`,
        { data: { step: s.name } },
      );
    }
  },
);

export const nextNotLast = defineRule(
  {
    code: 'SW006',
    name: 'next-not-last',
    severity: 'error',
    description: '`this.next(...)` is called once per step, as its last statement.',
  },
  ({ graph, report }) => {
    for (const s of graph.steps) {
      if (s.name === 'end' || !s.nextRange) continue;
      if (s.nextCallCount > 1) {
        report(
          s.nextRange,
          `Step ${code(s.name)} calls this.next(...) ${s.nextCallCount} times: a step names its successors once, in one call at its end. Use a split (\`this.next(this.a, this.b)\`) to run several steps.`,
          { data: { step: s.name } },
        );
      } else if (s.nextNotLast) {
        report(s.nextRange, `this.next(...) must be the last statement of ${code(s.name)}: move the code after it above the call.`, {
          data: { step: s.name },
        });
      }
    }
  },
);

export const invalidNextArgument = defineRule(
  {
    code: 'SW019',
    name: 'invalid-next-argument',
    severity: 'error',
    description: '`this.next(...)` takes steps as `this.stepName`: at least one, no repeats, exactly one with `{ foreach }`.',
  },
  ({ graph, report }) => {
    for (const s of graph.steps) {
      if (!s.nextRange || s.name === 'end') continue;
      for (const bad of s.invalidNextArgs) {
        report(bad.range, `this.next(...) takes steps written as \`this.stepName\`; ${code(bad.text)} is not one. Pass the step method itself, e.g. \`this.next(this.end)\`.`, {
          data: { step: s.name },
        });
      }
      if (s.successors.length === 0 && s.invalidNextArgs.length === 0) {
        report(s.nextRange, `this.next() in ${code(s.name)} names no step: pass the step(s) that run next, e.g. \`this.next(this.end)\`.`, { data: { step: s.name } });
      }
      const hasForeach = s.foreachRange !== undefined;
      if (hasForeach && s.successors.length > 1) {
        report(s.nextRange, `A foreach runs exactly one step per item, but ${code(s.name)} names ${s.successors.length}: keep one step before \`{ foreach }\`.`, {
          data: { step: s.name },
        });
      }
      const seen = new Set<string>();
      s.successors.forEach((name, i) => {
        if (seen.has(name)) {
          report(s.successorRanges[i], `${code(s.name)} names ${code(name)} twice in this.next(...): each branch of a split is a different step. Remove the repeat.`, {
            data: { step: s.name, remove: s.successorRanges[i] },
          });
        }
        seen.add(name);
      });
    }
  },
);
