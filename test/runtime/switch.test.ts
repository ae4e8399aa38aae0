/**
 * Switches and loops through the real CLI: only the chosen case runs, a loop makes one task per
 * pass, resume and spin work per pass, and the client API lists the passes in order.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace, runIdOf, taskLines } from '../support/workspace';

describe('switch and loops through the CLI', function () {
  this.timeout(240_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('runs only the case the condition picks, and a loop once per pass with current.pass', async () => {
    const file = ws.copy('runtime/switch_loop.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual(
      taskLines(r.stdout, 'refine').map((l) => l.replace(/ task \d+$/, '')),
      ['pass 1 total 1', 'pass 2 total 2', 'pass 3 total 3'],
    );
    assert.deepEqual(taskLines(r.stdout, 'end'), ['path start > quick; 3 passes; seen 1,2,3']);
    const run = await ws.flow('SwitchLoopFlow').latestRun();
    assert.deepEqual(
      (await run.steps()).map((s) => s.name),
      ['start', 'quick', 'refine', 'end'],
      'thorough never ran',
    );
    const start = await run.step('start').task();
    assert.deepEqual(start.switchCase, { condition: 'sizeClass', case: 'small' });
    const passes = await run.step('refine').tasks();
    assert.deepEqual(
      passes.map((t) => [t.pass, t.passes, t.switchCase?.case]),
      [
        [1, [1], 'again'],
        [2, [2], 'again'],
        [3, [3], 'done'],
      ],
    );
    assert.equal(new Set(passes.map((t) => t.id)).size, 3, 'each pass is its own task');
    assert.deepEqual(await Promise.all(passes.map((t) => t.data('total'))), [1, 2, 3], 'artifacts flow from one pass to the next');
    assert.equal((await run.step('end').task()).pass, undefined);

    const large = await ws.cli(['run', file, '--size', '20', '--passes', '1']);
    assert.equal(large.code, 0, large.stderr);
    assert.deepEqual(taskLines(large.stdout, 'end'), ['path start > thorough; 1 passes; seen 1']);
  });

  it('fails the task when the condition matches no case, naming the value and the cases', async () => {
    const file = join(ws.dir, 'wrong.ts');
    writeFileSync(
      file,
      [
        "import { FlowSpec, step } from 'stepwise';",
        'export default class WrongCaseFlow extends FlowSpec {',
        '  declare level: number;',
        '  @step start() {',
        '    this.level = 3;',
        '    this.next({ 1: this.a, 2: this.end }, { condition: "level" });',
        '  }',
        '  @step a() { this.next(this.end); }',
        '  @step end() {}',
        '}',
        '',
      ].join('\n'),
    );
    assert.equal((await ws.cli(['check', file])).code, 0);
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout + r.stderr, /condition 'level' is 3 \(String\(\) of a number\), which matches no case; the cases are '1', '2'/);
    const run = await ws.flow('WrongCaseFlow').latestRun();
    assert.deepEqual(
      (await run.steps()).map((s) => s.name),
      ['start'],
    );
  });

  it('resumes inside a loop: earlier passes are cloned, the failed pass and the rest run', async () => {
    const file = ws.copy('runtime/switch_loop.ts');
    const failed = await ws.cli(['run', file, '--passes', '4'], { FAIL_PASS: '3' });
    assert.equal(failed.code, 1);
    assert.match(failed.stdout + failed.stderr, /refine fails in pass 3/);
    const origin = runIdOf(failed.stdout);

    const r = await ws.cli(['resume', file]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual(
      taskLines(r.stdout, 'refine').map((l) => l.replace(/ task \d+$/, '')),
      ['pass 3 total 3', 'pass 4 total 4'],
    );
    assert.deepEqual(taskLines(r.stdout, 'end'), ['path start > quick; 4 passes; seen 1,2,3,4']);
    const run = await ws.flow('SwitchLoopFlow').latestRun();
    const refine = await run.step('refine').tasks();
    assert.deepEqual(
      refine.map((t) => [t.pass, !!t.clonedFrom]),
      [
        [1, true],
        [2, true],
        [3, false],
        [4, false],
      ],
    );

    // Naming the step inside the loop: the same, from the origin's first failed pass.
    const again = await ws.cli(['resume', file, 'refine', '--origin-run-id', origin]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(
      taskLines(again.stdout, 'refine').map((l) => l.replace(/ task \d+$/, '')),
      ['pass 3 total 3', 'pass 4 total 4'],
    );
    // From a run where every pass succeeded, naming the loop's step re-runs all its passes.
    const all = await ws.cli(['resume', file, 'refine']);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(taskLines(all.stdout, 'refine').length, 4);
    assert.equal(taskLines(all.stdout, 'quick').length, 0, 'quick is cloned');
  });

  it("spins one pass of a loop with that pass's inputs", async () => {
    const file = ws.copy('runtime/switch_loop.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stderr);
    const run = await ws.flow('SwitchLoopFlow').latestRun();
    const second = (await run.step('refine').tasks())[1];
    const spin = await ws.cli(['spin', file, `${run.id}/refine/${second.id}`]);
    assert.equal(spin.code, 0, spin.stderr + spin.stdout);
    assert.deepEqual(
      taskLines(spin.stdout, 'refine').map((l) => l.replace(/ task \d+$/, '')),
      ['pass 2 total 2'],
    );
  });

  it('runs a switch inside a foreach and a loop inside each item', async () => {
    const file = ws.copy('runtime/switch_foreach.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual(taskLines(r.stdout, 'end'), ['odd 1: 1; even 2: 2; odd 3: 3']);
    const run = await ws.flow('SwitchForeachFlow').latestRun();
    assert.equal((await run.step('odd').tasks()).length, 2);
    assert.equal((await run.step('even').tasks()).length, 1);
    const count = await run.step('count').tasks();
    const byItem = new Map<number, number[]>();
    for (const t of count) byItem.set(t.foreachIndex!, [...(byItem.get(t.foreachIndex!) ?? []), t.pass!]);
    assert.deepEqual(
      [...byItem.entries()].sort((a, b) => a[0] - b[0]),
      [
        [0, [1]],
        [1, [1, 2]],
        [2, [1, 2, 3]],
      ],
    );
  });

  it('keeps --max-workers in a loop inside a foreach: never more tasks alive than asked, the same result', async () => {
    const file = ws.copy('runtime/switch_foreach.ts');
    for (const workers of [1, 2]) {
      const r = await ws.events(['run', file, '--max-workers', String(workers)]);
      assert.equal(r.code, 0, r.stderr);
      let alive = 0;
      let peak = 0;
      for (const e of r.events) {
        if (e.type === 'taskStarted') peak = Math.max(peak, ++alive);
        if (e.type === 'taskFinished' && !e.cloned) alive--;
      }
      // The items' loops run side by side up to the limit: 2 workers are used, never 3.
      assert.equal(peak, workers, `peak ${peak} tasks alive with --max-workers ${workers}`);
      const log = r.events.filter((e) => e.type === 'taskLog' && e.step === 'end').map((e) => (e as { line: string }).line);
      assert.deepEqual(log, ['odd 1: 1; even 2: 2; odd 3: 3']);
    }
  });

  it('show draws the switch with its cases and condition, and the loop back', async () => {
    const file = ws.copy('runtime/switch_loop.ts');
    const r = await ws.cli(['show', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Step start \(switch\)\n {4}=> small: quick \| large: thorough by sizeClass\n/);
    assert.match(r.stdout, /Step refine \(switch\)\n {4}=> again: refine \(loops back\) \| done: end by status\n/);
    const check = await ws.cli(['check', file]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /no problems/);
  });
});
