/**
 * Nested-foreach progress (issue 21, item 5): the total is every split's so far, never a single
 * outer item's; the console, the status bar (RunProgress) and the events agree.
 */
import { strict as assert } from 'node:assert';
import { RunProgress } from '../../client/src/runs/progress';
import type { SplitFrame } from '../../runtime/src/datastore/types';
import type { RunEvent } from '../../runtime/src/scheduler/events';
import { ForeachProgress, progressComplete, progressText } from '../../runtime/src/scheduler/progress';
import { Workspace } from '../support/workspace';

const frame = (step: string, index: number, count: number): SplitFrame => ({ kind: 'foreach', step, taskId: '1', index, count });

describe('foreach progress', () => {
  it('sums a nested foreach over its outer items, and knows when every outer item has split', () => {
    const p = new ForeachProgress();
    assert.deepEqual(p.split('perLetter', 2, 'start', []), { done: 0, total: 2 });
    assert.deepEqual(p.finished('perLetter'), { done: 1, total: 2 });
    assert.deepEqual(p.split('perNumber', 3, 'perLetter', [frame('start', 0, 2)]), { done: 0, total: 3, outer: { split: 1, of: 2 } });
    for (let i = 0; i < 3; i++) p.finished('perNumber');
    const partial = p.state('perNumber')!;
    assert.deepEqual(partial, { done: 3, total: 3, outer: { split: 1, of: 2 } });
    assert.equal(progressComplete(partial), false);
    assert.equal(progressText('perNumber', { ...partial, running: 0 }), 'perNumber 3/3 done, 0 running (1 of 2 outer items split so far)');
    p.finished('perLetter');
    p.split('perNumber', 4, 'perLetter', [frame('start', 1, 2)]);
    for (let i = 0; i < 4; i++) p.finished('perNumber');
    const all = p.state('perNumber')!;
    assert.deepEqual(all, { done: 7, total: 7, outer: { split: 2, of: 2 } });
    assert.ok(progressComplete(all));
    assert.equal(progressText('perNumber', { ...all, running: 0 }), 'perNumber 7/7 done, 0 running');
    assert.equal(p.finished('joinNumbers'), undefined, 'a step no foreach fans out into has no progress');
  });

  it('three deep: the innermost split counts against every middle task so far', () => {
    const p = new ForeachProgress();
    p.split('x', 2, 'start', []);
    p.split('y', 3, 'x', [frame('start', 0, 2)]);
    const z = p.split('z', 5, 'y', [frame('start', 0, 2), frame('x', 0, 3)]);
    assert.deepEqual(z.outer, { split: 1, of: 3 });
    p.split('y', 3, 'x', [frame('start', 1, 2)]);
    assert.deepEqual(p.state('z')!.outer, { split: 1, of: 6 });
  });

  describe('in a run', function () {
    this.timeout(180_000);
    let ws: Workspace;
    beforeEach(() => (ws = new Workspace()));
    afterEach(() => ws.dispose());

    it('events never count past their total, end at every task, and the status bar follows them', async () => {
      const r = await ws.events(['run', ws.copy('runtime/nested_foreach.ts'), '--max-workers', '2']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const inner = r.events.filter(
        (e): e is Extract<RunEvent, { type: 'stepProgress' }> => e.type === 'stepProgress' && e.step === 'perNumber',
      );
      assert.ok(inner.length >= 6, JSON.stringify(inner));
      for (const e of inner) assert.ok(e.done <= e.total, `${e.done}/${e.total}`);
      assert.deepEqual(inner.at(-1), {
        type: 'stepProgress',
        step: 'perNumber',
        done: 6,
        total: 6,
        running: 0,
        outer: { split: 2, of: 2 },
      });
      const bar = new RunProgress();
      const seen = new Set<string>();
      for (const e of r.events) {
        bar.apply(e);
        const s = bar.snapshot();
        if (s.foreach?.step === 'perNumber') seen.add(`${s.foreach.done}/${s.foreach.total}`);
      }
      for (const x of seen) {
        const [done, total] = x.split('/').map(Number);
        assert.ok(done <= total && (total === 3 || total === 6), x);
      }
    });

    it('the plain console prints done/total with the outer items still to split, and the final count', async () => {
      const r = await ws.cli(['run', ws.copy('runtime/nested_foreach.ts'), '--max-workers', '1']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const lines = r.stdout.split('\n').filter((l) => / perNumber \d+\/\d+ done/.test(l));
      for (const l of lines) {
        const [, done, total] = / perNumber (\d+)\/(\d+) done/.exec(l)!;
        assert.ok(Number(done) <= Number(total), l);
      }
      assert.match(lines.at(-1)!, / perNumber 6\/6 done, 0 running$/);
      // Before the second letter splits, the total is the first letter's three, and the line says so.
      for (const l of lines.filter((x) => x.includes('outer items split so far')))
        assert.match(l, /\/3 done, \d running \(1 of 2 outer items split so far\)$/);
    });
  });
});
