import { code } from '../text';
import { defineRule } from '../rule';

/** A loop whose condition no step of the loop assigns: every pass sees the same value. */
export const loopConditionUnchanged = defineRule(
  {
    code: 'SW034',
    name: 'loop-condition-unchanged',
    severity: 'warning',
    description: 'A switch that closes a loop has a condition some step of the loop assigns; otherwise the loop never ends once it starts.',
  },
  ({ structure, report }) => {
    for (const loop of structure.loops) {
      const assigned = new Set<string>();
      for (const name of loop.body) for (const a of structure.byName.get(name)?.assigns ?? []) assigned.add(a.name);
      for (const latch of loop.latches) {
        const sw = latch.switch;
        if (!sw?.condition || !sw.conditionRange || assigned.has(sw.condition)) continue;
        report(
          sw.conditionRange,
          `The loop back to ${code(loop.head.name)} goes round while ${code(sw.condition)} picks that case, but no step of the loop assigns ${code(sw.condition)}: every pass sees the value it had on entry, so once it loops it never stops. Assign \`this.${sw.condition}\` in a step of the loop (e.g. in ${code(latch.name)}).`,
          { data: { step: latch.name, artifact: sw.condition, head: loop.head.name } },
        );
      }
    }
  },
);
