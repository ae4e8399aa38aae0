/** Runtime behaviour beyond the conformance table: values, merges, nesting, imports, errors. */
import { strict as assert } from 'node:assert';
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace, taskLines } from '../support/workspace';
import { describeIsolations } from '../support/isolation';

describeIsolations('runtime behaviour', function () {
  this.timeout(120_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('structured values round-trip: bigint, undefined, NaN, Date, RegExp, Map, Set, typed arrays, Error, cycles, shared refs', async () => {
    const file = ws.copy('runtime/values.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(taskLines(r.stdout, 'end').includes('same list twice: true cycle: true map: 1'));
    const t = await (await ws.flow('ValuesFlow').latestRun()).step('end').task();
    const d = await t.data<Record<string, unknown>>('data');
    assert.equal(d.big, 12345678901234567890n);
    assert.ok('nothing' in d && d.nothing === undefined);
    assert.ok(Number.isNaN(d.nan));
    assert.equal((d.when as Date).toISOString(), '2026-01-02T03:04:05.000Z');
    assert.equal(String(d.re), '/ab+c/gi');
    assert.equal((d.map as Map<string, number>).get('one'), 1);
    assert.deepEqual([...(d.set as Set<string>)], ['x', 'y']);
    assert.deepEqual([...(d.floats as Float64Array)], [1.5, 2.5]);
    assert.equal((d.buf as ArrayBuffer).byteLength, 3);
    assert.ok(d.err instanceof Error && (d.err as Error).message === 'out of range');
    assert.ok(!t.hasData('_scratch'), 'underscore fields are not artifacts');
    const types = Object.fromEntries(t.artifacts().map((a) => [a.name, a.type]));
    assert.equal(types.data, 'object');
  });

  it('a class instance cannot be stored: the task fails naming the artifact path', async () => {
    const file = ws.copy('runtime/values.ts');
    const r = await ws.cli(['run', file], { STORE: 'bad' });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /cannot store this\.model\.cache: it is an instance of Model/);
  });

  it('mergeArtifacts: divergent values fail naming them; settled ones merge', async () => {
    const file = ws.copy('runtime/merge_conflict.ts');
    const bad = await ws.cli(['run', file]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /different values on different branches: x \(left ≠ right\)/);
    assert.match(bad.stdout, /exclude: \['x'\]/);
    const ok = await ws.cli(['run', file], { SETTLE: '1' });
    assert.equal(ok.code, 0, ok.stdout);
    assert.ok(taskLines(ok.stdout, 'end').includes('x 2 same kept'));
  });

  it('nested foreach: every pair once, index is the inner position', async () => {
    const file = ws.copy('runtime/nested_foreach.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(taskLines(r.stdout, 'end').includes('pairs a1@0 a2@1 a3@2 b1@0 b2@1 b3@2'), r.stdout);
    const run = await ws.flow('NestedForeachFlow').latestRun();
    assert.equal((await run.step('perNumber').taskIds()).length, 6);
    assert.equal((await run.step('joinNumbers').taskIds()).length, 2);
  });

  it('a flow outside the repository runs, with its local modules and npm packages; errors map to the imported .ts', async () => {
    const dir = join(ws.dir, 'project');
    cpSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'runtime', 'elsewhere'), dir, { recursive: true });
    const file = join(dir, 'imports_flow.ts');
    const ok = await ws.cli(['run', file]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(taskLines(ok.stdout, 'start').join('\n'), /^padded 00042 in start ImportsFlow\/\d+\/start\/1$/m);
    const bad = await ws.cli(['run', file], { N: '-1' });
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /Error: cannot double -1/);
    assert.match(bad.stdout, /lib\/math\.ts:2:/);
  });

  it('a step that never calls next fails with the fix named', async () => {
    const file = join(ws.dir, 'nonext.ts');
    writeFileSync(
      file,
      `import { FlowSpec, step } from 'stepwise';
export default class NoNextFlow extends FlowSpec {
  @step start() {
    if (process.env.SKIP === '1') return;
    this.next(this.end);
  }
  @step end() {}
}
`,
    );
    const r = await ws.cli(['run', file], { SKIP: '1' });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /step 'start' finished without calling this\.next/);
  });

  it('lint errors stop a run with exit 2 before anything is written', async () => {
    const file = ws.copy('invalid/no_end.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no_end\.ts:\d+:\d+: error/);
    assert.deepEqual(
      readdirSync(ws.dir).filter((n) => n === '.stepwise'),
      [],
    );
  });

  it('spin re-runs one task from the same inputs into a run of its own', async () => {
    const file = ws.copy('flows/counter.ts');
    await ws.cli(['run', file]);
    const origin = await ws.flow('CounterFlow').latestRun();
    const add = await origin.step('add').task();
    writeFileSync(file, (await import('node:fs')).readFileSync(file, 'utf8').replace('this.count += 1;', 'this.count += 10;'));
    const r = await ws.cli(['spin', file, `${origin.id}/add/${add.id}`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(taskLines(r.stdout, 'add').includes('The count is 0 before incrementing'));
    const runs = await ws.flow('CounterFlow').runs({ includeSpins: true });
    const spin = runs.find((x) => x.kind === 'spin')!;
    assert.equal(await (await spin.step('add').task()).data('count'), 10);
    assert.equal((await ws.flow('CounterFlow').latestRun()).id, origin.id, 'spins are not the latest run');
    assert.equal(await (await origin.step('add').task()).data('count'), 1, 'the origin is untouched');
  });
});

describe('CLI reading the datastore: runs, logs, dump, and bad pathspecs', function () {
  this.timeout(120_000);
  let ws: Workspace;
  let runId: string;
  before(async () => {
    ws = new Workspace();
    const file = ws.copy('flows/foreach.ts');
    const r = await ws.cli(['run', file]);
    runId = /run-id (\d+)/.exec(r.stdout)![1];
  });
  after(() => ws.dispose());

  it('runs lists the run with its status, in text and JSON', async () => {
    const text = await ws.cli(['runs', 'ForeachFlow']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`${runId}\\s+succeeded`));
    const json = JSON.parse((await ws.cli(['runs', join(ws.dir, 'foreach.ts'), '--json'])).stdout) as Array<{
      runId: string;
      status: string;
    }>;
    assert.equal(json[0].runId, runId);
    assert.equal(json[0].status, 'succeeded');
  });

  it('logs prints a step’s tasks under headers, or one task', async () => {
    const all = await ws.cli(['logs', `${runId}/analyzeCreatures`]);
    assert.equal(all.code, 0, all.stderr);
    assert.equal((all.stdout.match(/^=== ForeachFlow\//gm) ?? []).length, 3);
    const one = await ws.cli(['logs', `ForeachFlow/${runId}/end/6`, '--stdout']);
    assert.equal(one.stdout.trim(), 'mouse won!');
  });

  it('an unknown pathspec names what exists nearby', async () => {
    const badRun = await ws.cli(['dump', '999/start/1']);
    assert.equal(badRun.code, 2);
    assert.match(badRun.stderr, /no run with id 999/);
    assert.match(badRun.stderr, new RegExp(`ForeachFlow/${runId}`));
    const badStep = await ws.cli(['dump', `${runId}/nope`]);
    assert.equal(badStep.code, 2);
    assert.match(badStep.stderr, /step ForeachFlow\/\d+\/nope does not exist/);
    assert.match(badStep.stderr, /analyzeCreatures/);
    const badTask = await ws.cli(['dump', `${runId}/end/77`]);
    assert.equal(badTask.code, 2);
    assert.match(badTask.stderr, /Tasks of ForeachFlow\/\d+\/end: 6/);
    const notSpec = await ws.cli(['logs', 'hello']);
    assert.equal(notSpec.code, 2);
    assert.match(notSpec.stderr, /not a pathspec/);
  });
});
