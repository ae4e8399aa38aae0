/**
 * Foreach values as Metaflow gives them (issues 20 and 21): a join's `inputs[k].input`,
 * `.index` and `.foreachStack()`, `this.foreachStack()`, one rule for `this.input` in joins, and
 * a foreach over any iterable.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import type { TaskRecord } from '../../runtime/src/datastore/types';
import { Workspace, taskLines } from '../support/workspace';
import { describeIsolations } from '../support/isolation';

describeIsolations('foreach values, as in Metaflow', function () {
  this.timeout(180_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  /** An artifact of the task of `step` at foreach position `at` (outermost first; task ids follow scheduling, not position). */
  const data = async (flow: string, step: string, name: string, at: number[] = []) => {
    const run = await ws.flow(flow).latestRun();
    const tasks = await run.step(step).tasks();
    const position = (t: (typeof tasks)[number]) =>
      (t.record as TaskRecord).stack
        .filter((f) => f.kind === 'foreach')
        .map((f) => f.index)
        .join(',');
    const task = tasks.find((t) => position(t) === at.join(','));
    assert.ok(task, `no ${step} task at [${at.join(',')}]`);
    return task.data(name);
  };

  it("a foreach join reads each branch's item, index and foreach stack; its own stack is the enclosing one", async () => {
    const r = await ws.cli(['run', ws.copy('parity/join_inputs.ts')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(await data('JoinInputsFlow', 'gather', 'pairs'), [
      ['ada', 0],
      ['grace', 1],
      ['edsger', 2],
    ]);
    assert.deepEqual(await data('JoinInputsFlow', 'gather', 'stacks'), [
      [{ index: 0, count: 3, value: 'ada' }],
      [{ index: 1, count: 3, value: 'grace' }],
      [{ index: 2, count: 3, value: 'edsger' }],
    ]);
    assert.deepEqual(await data('JoinInputsFlow', 'gather', 'own_stack'), []);
    assert.deepEqual(await data('JoinInputsFlow', 'greet', 'stack', [1]), [{ index: 1, count: 3, value: 'grace' }]);
  });

  it('nested: the innermost item on inputs, every level in foreachStack(), in both joins and after them', async () => {
    const r = await ws.cli(['run', ws.copy('parity/nested_foreach.ts')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const F = 'NestedForeachFlow';
    assert.deepEqual(await data(F, 'inner', 'stack', [1, 1]), [
      { index: 1, count: 2, value: 'b' },
      { index: 1, count: 3, value: 2 },
    ]);
    assert.deepEqual(await data(F, 'inner_join', 'pairs', [1]), [
      [1, 0],
      [2, 1],
      [3, 2],
    ]);
    assert.deepEqual(await data(F, 'inner_join', 'own_stack', [1]), [{ index: 1, count: 2, value: 'b' }]);
    assert.deepEqual(await data(F, 'after_inner', 'stack_after', [0]), [{ index: 0, count: 2, value: 'a' }]);
    assert.deepEqual(await data(F, 'outer_join', 'outer_pairs'), [
      ['a', 0],
      ['b', 1],
    ]);
    assert.deepEqual(await data(F, 'outer_join', 'all_words'), [
      ['a', 'aa', 'aaa'],
      ['b', 'bb', 'bbb'],
    ]);
  });

  it('after a static split, reading a branch input is an error that says why (never undefined)', async () => {
    const r = await ws.cli(['run', ws.copy('parity/static_join_input.ts')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Step failure: step join/);
    assert.match(r.stdout, /inputs\[0\]\.input is not defined here: branch 'a' comes from a static split, not a foreach/);
  });

  it('this.input in a join that closes a foreach is an error, top-level and nested alike, naming inputs[k].input', async () => {
    for (const [file, step, split] of [
      ['parity/join_self_input.ts', 'join', 'start'],
      ['parity/nested_join_self_input.ts', 'inner_join', 'outer'],
    ]) {
      const r = await ws.cli(['run', ws.copy(file)]);
      assert.equal(r.code, 1, file);
      assert.match(r.stdout, new RegExp(`Step failure: step ${step}`), file);
      assert.match(
        r.stdout,
        new RegExp(`this\\.input is not defined here: '${step}' is the join of the foreach split in '${split}'.*inputs\\[k\\]\\.input`),
        file,
      );
    }
  });

  it('a static join inside a foreach is still in it: this.input and inputs[k].input are the foreach item', async () => {
    const r = await ws.cli(['run', ws.copy('runtime/foreach_static.ts')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(taskLines(r.stdout, 'end'), ['all [["u",0,["u","u"],"u"],["v",1,["v","v"],"v"]]']);
  });

  describe('over any iterable, materialised once at the split', () => {
    const run = (items: string) => ws.cli(['run', ws.copy('runtime/foreach_iterables.ts')], { ITEMS: items });
    const split = async () =>
      ((await (await ws.flow('ForeachIterablesFlow').latestRun()).step('start').task()).record as TaskRecord).transition!;

    for (const [items, seen, materialised] of [
      ['array', '[["p",0],["q",1]]', false],
      ['string', '[["a",0],["b",1],["\u{1F600}",2]]', true],
      ['set', '[["x",0],["y",1]]', true],
      ['map', '[[["k",1],0],[["j",2],1]]', true],
      ['typed', '[[1.5,0],[2.5,1]]', false],
    ] as const) {
      it(`${items}: one task per item (by code point for a string, [key, value] for a Map)`, async () => {
        const r = await run(items);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.deepEqual(taskLines(r.stdout, 'end'), [`seen ${seen}`]);
        const t = await split();
        assert.equal(!!t.foreachItems, materialised, 'items stored beside the artifact only when it is not indexable');
        assert.equal(t.foreachCount, JSON.parse(seen).length);
      });
    }

    it('a value that is not iterable fails the split, naming it and the fix', async () => {
      const obj = await run('object');
      assert.equal(obj.code, 1);
      assert.match(
        obj.stdout,
        /foreach over 'items', which is an object: a foreach needs something iterable.*Object\.keys\(this\.items\) or Object\.entries/,
      );
      const num = await run('number');
      assert.match(
        num.stdout,
        /which is a number: a foreach needs something iterable\. Fix: assign an array \(or a string, Set, Map or typed array\)/,
      );
    });
  });

  it('a failed task keeps the artifacts it had, as in Metaflow: dump shows them', async () => {
    const file = ws.copy('flows/counter_branch.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('this.creature = inputs[0].creature;', ''));
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 1);
    const end = await (await ws.flow('CounterBranchFlow').latestRun()).step('end').task();
    assert.equal(end.successful, false);
    assert.equal(await end.data('count'), 2);
    const dump = await ws.cli(['dump', end.pathspec]);
    assert.match(dump.stdout, /^  count \(number, \d+ B\): 2$/m);
  });
});
