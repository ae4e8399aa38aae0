import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlow, type FlowGraph, type Range, type StepNode } from '../../runtime/src/graph';
import { fixtures } from '../support/cli';
import { expectGolden } from '../lint/golden';

const flowsDir = join(fixtures, 'flows');
const read = (name: string) => readFileSync(join(flowsDir, name), 'utf8');
const parseFixture = (name: string) => parseFlow(read(name), `flows/${name}`);

function step(g: FlowGraph, name: string): StepNode {
  const s = g.steps.find((x) => x.name === name);
  assert.ok(s, `step ${name} not found in ${g.steps.map((x) => x.name).join(', ')}`);
  return s;
}

/** The source text a range covers. */
function textAt(text: string, r: Range): string {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  return [
    lines[r.start.line].slice(r.start.character),
    ...lines.slice(r.start.line + 1, r.end.line),
    lines[r.end.line].slice(0, r.end.character),
  ].join('\n');
}

/** A flow class around the given members. */
const flow = (members: string, head = "import { FlowSpec, step, Parameter, IncludeFile, JSONType, type Inputs } from 'stepwise';") =>
  `${head}\nexport default class TestFlow extends FlowSpec {\n${members}\n}\n`;

describe('graph: parseFlow', () => {
  it('reads hello.ts: flow name, doc, steps in order with kinds, transitions and doc comments', () => {
    const g = parseFixture('hello.ts');
    assert.equal(g.flowName, 'HelloWorldFlow');
    assert.equal(g.doc, 'The smallest flow: start -> hello -> end.');
    assert.deepEqual(
      g.steps.map((s) => [s.name, s.kind, s.successors, s.predecessors, s.doc]),
      [
        ['start', 'start', ['hello'], [], 'Starting point'],
        ['hello', 'linear', ['end'], ['start'], 'Just saying hi'],
        ['end', 'end', [], ['hello'], 'Finish line'],
      ],
    );
    assert.deepEqual(g.syntaxErrors, []);
    assert.deepEqual(g.otherFlows, []);
  });

  it('gives ranges on the method name, the whole method (decorator included), the next call and each successor', () => {
    const text = read('hello.ts');
    const g = parseFlow(text);
    const start = step(g, 'start');
    assert.equal(textAt(text, start.nameRange), 'start');
    assert.equal(start.nameRange.start.line, 5);
    assert.ok(textAt(text, start.range).startsWith('@step start() {'));
    assert.ok(textAt(text, start.range).endsWith('}'));
    assert.equal(textAt(text, start.nextRange!), 'this.next(this.hello)');
    assert.deepEqual(
      start.successorRanges.map((r) => textAt(text, r)),
      ['this.hello'],
    );
    assert.equal(textAt(text, g.classNameRange!), 'HelloWorldFlow');
    assert.equal(step(g, 'end').nextRange, undefined);
  });

  it('classifies split, join and foreach steps and records the foreach variable and its range', () => {
    const branch = parseFixture('counter_branch.ts');
    assert.deepEqual(
      branch.steps.map((s) => s.kind),
      ['start', 'linear', 'linear', 'join', 'end'],
    );
    assert.deepEqual(step(branch, 'start').successors, ['addOne', 'addTwo']);
    assert.deepEqual(step(branch, 'join').predecessors, ['addOne', 'addTwo']);
    assert.equal(step(branch, 'join').takesInputs, true);

    const text = read('foreach.ts');
    const fe = parseFlow(text);
    const start = step(fe, 'start');
    assert.equal(start.foreachVar, 'creatures');
    assert.equal(textAt(text, start.foreachRange!), "'creatures'");
    assert.deepEqual(start.successors, ['analyzeCreatures']);
    assert.equal(step(fe, 'join').kind, 'join');

    const inner = parseFlow(
      flow(`  @step start() { this.next(this.a); }
  @step a() { this.items = [1]; this.next(this.each, { foreach: 'items' }); }
  @step b() { this.next(this.x, this.y); }`),
    );
    assert.equal(step(inner, 'a').kind, 'foreach');
    assert.equal(step(inner, 'b').kind, 'split');
  });

  it('reads parameters: CLI name, field, types given or inferred from the default, required, help, IncludeFile', () => {
    const p = parseFixture('parameters.ts').parameters;
    assert.deepEqual(
      p.map((x) => [x.name, x.field, x.type, x.required, x.default, x.help]),
      [
        ['creature', 'animal', 'string', true, undefined, 'Specify an animal'],
        ['count', 'count', 'number', false, 1, 'Number of animals'],
        ['ratio', 'ratio', 'number', false, undefined, 'Ratio between 0.0 and 1.0'],
      ],
    );
    const json = parseFixture('json_parameter.ts').parameters[0];
    assert.equal(json.type, 'json');
    assert.equal(json.default, '{"some": "default"}');
    const csv = parseFixture('csv_file.ts').parameters;
    assert.deepEqual(
      csv.map((x) => [x.name, x.field, x.declaration, x.type, x.isText ?? null]),
      [
        ['csv', 'data', 'includeFile', 'string', true],
        ['delimiter', 'delimiter', 'parameter', 'string', null],
      ],
    );
    const inferred = parseFlow(
      flow(`  a = Parameter('a', { default: true });
  b = Parameter('b', { default: { k: [1, 2] } });
  c = Parameter('c', { default: -2.5 });
  d = Parameter('d', { default: Date.now() });
  e = Parameter('e');
  @step start() { this.next(this.end); }
  @step end() {}`),
    ).parameters;
    assert.deepEqual(
      inferred.map((x) => [x.name, x.type, x.default ?? null, x.defaultText ?? null]),
      [
        ['a', 'boolean', true, null],
        ['b', 'json', { k: [1, 2] }, null],
        ['c', 'number', -2.5, null],
        ['d', 'string', null, 'Date.now()'],
        ['e', 'string', null, null],
      ],
    );
  });

  it('marks a function default as computed at run start, and reads its type from what it returns', () => {
    const params = parseFlow(
      flow(`  a = Parameter('a', { default: (ctx) => !ctx.isProduction });
  b = Parameter('b', { default: (ctx) => { if (ctx.isProduction) return 1000; return 10; } });
  c = Parameter('c', { default: function (ctx) { return \`\${ctx.user}-x\`; } });
  d = Parameter('d', { default: (ctx) => (ctx.isProduction ? { all: true } : [1]) });
  e = Parameter('e', { default: (ctx) => pick(ctx) });
  f = Parameter('f', { type: Number, default: (ctx) => ctx.user.length });
  g = Parameter('g', { default: (ctx) => { const inner = () => 'text'; return ctx.branchName === inner(); } });
  @step start() { this.next(this.end); }
  @step end() {}`),
    ).parameters;
    assert.deepEqual(
      params.map((x) => [x.name, x.type, x.defaultFunction ?? false, 'default' in x]),
      [
        ['a', 'boolean', true, false],
        ['b', 'number', true, false],
        ['c', 'string', true, false],
        ['d', 'json', true, false],
        ['e', 'string', true, false],
        ['f', 'number', true, false],
        ['g', 'boolean', true, false],
      ],
    );
    assert.equal(params[0].defaultText, '(ctx) => !ctx.isProduction');
  });

  it('records assigns and reads per step; `this.x += 1` is a read before an assignment', () => {
    const g = parseFixture('counter_branch.ts');
    const names = (refs: Array<{ name: string }>) => refs.map((r) => r.name);
    assert.deepEqual(names(step(g, 'start').assigns), ['creature', 'count']);
    assert.deepEqual(names(step(g, 'addOne').assigns), ['count']);
    assert.deepEqual(names(step(g, 'addOne').reads), ['count']);
    assert.deepEqual(names(step(g, 'addOne').upstreamReads), ['count']);
    assert.deepEqual(names(step(g, 'join').assigns), ['count', 'creature']);
    assert.deepEqual(names(step(g, 'join').upstreamReads), []);
    assert.deepEqual(names(step(g, 'end').reads), ['creature', 'count']);
    // Read after its own assignment in the same step: not an upstream read.
    const train = parseFixture('classifier_train.ts');
    assert.deepEqual(names(step(train, 'chooseModel').reads), ['results']);
    assert.deepEqual(names(step(train, 'chooseModel').upstreamReads), []);
  });

  it('does not count the flow API, steps, helpers, private names or other `this` as artifacts', () => {
    const g = parseFlow(
      flow(`  declare items: number[];
  declare total: number;
  helper() { return 1; }
  get twice() { return 2; }
  @step start() {
    this._scratch = this.helper() + this.twice;
    const self = this.start;
    [this.total, this.items] = [0, []];
    const f = function (this: any) { return this.notMine; };
    const g = () => this['viaArrow'];
    this.total++;
    this.next(this.each, { foreach: 'items' });
  }
  @step each() { console.log(this.input, this.index); this.next(this.join); }
  @step join(inputs: Inputs) { this.mergeArtifacts(inputs, { include: ['total'] }); this.next(this.end); }
  @step end() {}`),
    );
    const start = step(g, 'start');
    assert.deepEqual(
      start.assigns.map((a) => a.name),
      ['total', 'items'],
    );
    assert.deepEqual(start.reads.map((a) => a.name).sort(), ['total', 'viaArrow']);
    assert.deepEqual(step(g, 'each').reads, []);
    assert.deepEqual(step(g, 'join').merge?.include, ['total']);
    assert.deepEqual(
      g.methods.map((m) => m.name),
      ['helper', 'twice'],
    );
    assert.deepEqual(
      g.steps.map((s) => s.name),
      ['start', 'each', 'join', 'end'],
    );
  });

  it('counts what helper methods assign as assigned by the step that calls them, at the call', () => {
    const text = flow(`  declare data: number[];
  declare extra: number;
  load() { this.data = [1]; this.more(); }
  more = () => { this.extra = 2; };
  @step start() { this.load(); console.log(this.data, this.extra); this.next(this.end); }
  @step end() { console.log(this.data); }`);
    const g = parseFlow(text);
    const start = step(g, 'start');
    assert.deepEqual(
      start.assigns.map((a) => a.name),
      ['data', 'extra'],
    );
    assert.equal(textAt(text, start.assigns[0].range), 'this.load()');
    assert.deepEqual(start.upstreamReads, []);
    assert.deepEqual(
      step(g, 'end').upstreamReads.map((r) => r.name),
      ['data'],
    );
  });

  it('takes only @step methods as steps (with an aliased import too)', () => {
    const g = parseFlow(
      flow(
        `  @s start() { this.next(this.end); }
  notAStep() { this.next(this.end); }
  @s async end() {}`,
        "import { FlowSpec, step as s } from 'stepwise';",
      ),
    );
    assert.deepEqual(
      g.steps.map((x) => x.name),
      ['start', 'end'],
    );
    assert.equal(step(g, 'end').isAsync, true);
    assert.deepEqual(
      g.methods.map((m) => m.name),
      ['notAStep'],
    );
  });

  it('records next-call problems: several calls, not last, non-step arguments', () => {
    const g = parseFlow(
      flow(`  @step start() { if (Math.random()) { this.next(this.a); } else { this.next(this.b); } }
  @step a() { this.next(this.end); console.log('late'); }
  @step b() { this.next('end', this.end); }
  @step end() {}`),
    );
    assert.equal(step(g, 'start').nextCallCount, 2);
    assert.deepEqual(step(g, 'start').successors, ['b']);
    assert.equal(step(g, 'a').nextNotLast, true);
    assert.equal(step(g, 'b').nextNotLast, false);
    assert.deepEqual(
      step(g, 'b').invalidNextArgs.map((x) => x.text),
      ["'end'"],
    );
    assert.deepEqual(step(g, 'b').successors, ['end']);
  });

  it('tells declared fields from initialised ones (field initialisers and constructor assignments)', () => {
    const g = parseFlow(
      flow(`  declare a: number;
  b = 3;
  c: string[] = [];
  d?: number;
  constructor() { super(); this.d = 1; this.e = 2; }
  @step start() { this.next(this.end); }
  @step end() {}`),
    );
    assert.deepEqual(
      g.fields.map((f) => [f.name, f.initialized]),
      [
        ['a', false],
        ['b', true],
        ['c', true],
        ['d', true],
        ['e', true],
      ],
    );
  });

  it('picks the default-exported flow class and lists the others', () => {
    const g = parseFlow(`import { FlowSpec, step } from 'stepwise';
class Helper {}
export class First extends FlowSpec { @step start() { this.next(this.end); } @step end() {} }
export default class Second extends FlowSpec { @step start() { this.next(this.end); } @step end() {} }
`);
    assert.equal(g.flowName, 'Second');
    assert.deepEqual(
      g.otherFlows.map((f) => f.name),
      ['First'],
    );
    assert.equal(g.otherFlows[0].range.start.line, 2);
  });

  it('gives flowName null and no steps for a file without a FlowSpec class', () => {
    const g = parseFlow(`export class NotAFlow { start() {} }\nexport const x = 1;\n`, 'plain.ts');
    assert.equal(g.flowName, null);
    assert.deepEqual(g.steps, []);
    assert.equal(g.file, 'plain.ts');
  });

  it('still yields the best graph it can, plus syntaxErrors, for a file with syntax errors', () => {
    const text = flow(`  @step start() { const x = ; this.next(this.middle); }
  @step middle() { this.next(this.end) 
  @step end() {}`);
    const g = parseFlow(text);
    assert.ok(g.syntaxErrors.length > 0);
    assert.ok(
      g.syntaxErrors.some((e) => e.range.start.line === 2),
      'the missing expression in start is reported on its line',
    );
    assert.equal(g.flowName, 'TestFlow');
    assert.deepEqual(step(g, 'start').successors, ['middle']);
    assert.ok(g.steps.some((s) => s.name === 'middle'));
    for (const e of g.syntaxErrors) {
      assert.ok(e.message.length > 0);
      assert.ok(e.range.start.line >= 2 && e.range.start.line < text.split('\n').length, JSON.stringify(e));
    }
  });

  it('matches the golden FlowGraph JSON of every conformance flow', () => {
    for (const name of readdirSync(flowsDir)
      .filter((f) => f.endsWith('.ts'))
      .sort()) {
      expectGolden(`graph/${name.replace(/\.ts$/, '.json')}`, JSON.stringify(parseFixture(name), null, 2) + '\n');
    }
  });
});
