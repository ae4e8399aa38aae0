import { defineRule } from '../rule';

export const endHasNext = defineRule(
  { code: 'SW004', name: 'end-has-next', severity: 'error', description: 'The `end` step does not call `this.next(...)`.' },
  ({ structure, report }) => {
    const end = structure.end;
    if (!end?.nextRange) return;
    report(end.nextRange, '`end` is the last step and must not call this.next(...): remove the call (a run finishes after `end`).', {
      data: { step: 'end', remove: end.nextRange },
    });
  },
);
