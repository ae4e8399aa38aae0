import { strict as assert } from 'node:assert';
import { parseFlow, type StepNode } from '../../runtime/src/graph';
import { downstreamOf, fanoutOf, flowStructure } from '../../runtime/src/graph/structure';
import { rangeContains, rangeEncloses, rangesIntersect } from '../../runtime/src/graph/range';

const flow = (members: string) =>
  `import { FlowSpec, step, type Inputs } from 'stepwise';\nexport default class TestFlow extends FlowSpec {\n${members}\n}\n`;
const names = (steps: StepNode[]) => steps.map((s) => s.name);

/** start → (a → a2, b) → join → each (foreach over items) → gather → end, written out of order. */
const NESTED = flow(`
  @step gather(inputs: Inputs<TestFlow>) { this.next(this.end); }
  @step start() { this.items = [1, 2]; this.next(this.a, this.b); }
  @step b() { this.next(this.join); }
  @step a() { this.next(this.a2); }
  @step a2() { this.next(this.join); }
  @step join(inputs: Inputs<TestFlow>) { this.next(this.each, { foreach: 'items' }); }
  @step each() { this.next(this.gather); }
  @step end() {}
`);

describe('graph: flowStructure', () => {
  it('is computed once per graph object', () => {
    const g = parseFlow(NESTED, 'nested.ts');
    assert.equal(flowStructure(g), flowStructure(g));
    assert.notEqual(flowStructure(parseFlow(NESTED, 'nested.ts')), flowStructure(g));
  });

  it('orders steps for running and for reading, and names the joins', () => {
    const s = flowStructure(parseFlow(NESTED, 'nested.ts'));
    assert.deepEqual(names(s.readingOrder), ['start', 'b', 'a', 'a2', 'join', 'each', 'gather', 'end']);
    const run = names(s.order);
    for (const [before, after] of [
      ['start', 'a'],
      ['a', 'a2'],
      ['a2', 'join'],
      ['b', 'join'],
      ['join', 'each'],
      ['gather', 'end'],
    ]) {
      assert.ok(run.indexOf(before) < run.indexOf(after), `${before} before ${after} in ${run.join(', ')}`);
    }
    assert.deepEqual([...s.joins].sort(), ['gather', 'join']);
    assert.deepEqual(names(s.incoming.get('join')!), ['b', 'a2']);
  });

  it('matches each join to the split it closes', () => {
    const s = flowStructure(parseFlow(NESTED, 'nested.ts'));
    assert.deepEqual(s.nesting.stacks.get('a2'), ['start']);
    assert.deepEqual(s.nesting.stacks.get('join'), []);
    assert.deepEqual(s.nesting.stacks.get('each'), ['join']);
    assert.deepEqual(s.nesting.stacks.get('end'), []);
    assert.deepEqual([s.nesting.crossed, s.nesting.unjoined, s.nesting.joinWithoutSplit], [[], [], []]);
    assert.equal(fanoutOf(s.byName.get('start')!), 'split');
    assert.equal(fanoutOf(s.byName.get('join')!), 'foreach');
    assert.equal(fanoutOf(s.byName.get('end')!), 'end');
  });

  it('finds cycles, unreachable steps and splits that reach end unjoined', () => {
    const g = parseFlow(
      flow(`
  @step start() { this.next(this.a, this.b); }
  @step a() { this.next(this.c); }
  @step c() { this.next(this.a); }
  @step b() { this.next(this.end); }
  @step lost() { this.next(this.end); }
  @step end() {}
`),
      'odd.ts',
    );
    const s = flowStructure(g);
    assert.deepEqual(
      s.backEdges.map((b) => b.cycle),
      [['a', 'c', 'a']],
    );
    assert.ok(!s.reachable.has('lost'));
    assert.deepEqual(names(s.readingOrder).slice(-1), ['lost']);
    assert.deepEqual(
      s.nesting.unjoined.map((u) => [u.split.name, u.reachedBy]),
      [['start', ['b']]],
    );
  });

  it('lists what a resume from a step re-runs', () => {
    const g = parseFlow(NESTED, 'nested.ts');
    assert.deepEqual([...downstreamOf(g, 'a2')].sort(), ['a2', 'each', 'end', 'gather', 'join']);
  });
});

describe('graph: ranges', () => {
  const r = { start: { line: 1, character: 4 }, end: { line: 3, character: 2 } };
  it('contains its ends and nothing outside them', () => {
    assert.ok(rangeContains(r, { line: 1, character: 4 }));
    assert.ok(rangeContains(r, { line: 3, character: 2 }));
    assert.ok(rangeContains(r, { line: 2, character: 99 }));
    assert.ok(!rangeContains(r, { line: 1, character: 3 }));
    assert.ok(!rangeContains(r, { line: 3, character: 3 }));
  });
  it('encloses and intersects', () => {
    assert.ok(rangeEncloses(r, { start: { line: 2, character: 0 }, end: { line: 3, character: 1 } }));
    assert.ok(!rangeEncloses(r, { start: { line: 2, character: 0 }, end: { line: 4, character: 0 } }));
    assert.ok(rangesIntersect(r, { start: { line: 0, character: 0 }, end: { line: 1, character: 4 } }));
    assert.ok(rangesIntersect({ start: { line: 2, character: 0 }, end: { line: 2, character: 1 } }, r));
    assert.ok(!rangesIntersect(r, { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }));
  });
});
