/**
 * The Runs tree's view of production practices, over real CLI runs: a task's earlier attempts
 * (each with its status, failure and own logs), a caught failure with its own state and the
 * value of its `var`, run tags and the tag / namespace filter.
 */
import * as assert from 'node:assert/strict';
import { ExplorerModel, type ExplorerNode } from '../../client/src/explorer/model';
import { filterDescription } from '../../client/src/explorer/production';
import { logText } from '../../client/src/explorer/documents';
import { Workspace, runIdOf } from '../support/workspace';

function find<T extends ExplorerNode['kind']>(nodes: ExplorerNode[], kind: T, label: string): Extract<ExplorerNode, { kind: T }> {
  const n = nodes.find((x) => x.kind === kind && x.label === label);
  assert.ok(n, `no ${kind} node '${label}' among: ${nodes.map((x) => `${x.kind}:${x.label}`).join(', ')}`);
  return n as Extract<ExplorerNode, { kind: T }>;
}

describe('Runs tree: attempts, caught failures, tags and the filter', function () {
  this.timeout(300_000);
  const ws = new Workspace();
  let tagged: string;
  let bobs: string;

  before(async () => {
    const file = ws.copy('runtime/production/attempts.ts');
    const a = await ws.cli(['run', file, '--tag', 'golden'], { STEPWISE_USER: 'alice' });
    assert.equal(a.code, 0, a.stdout + a.stderr);
    tagged = runIdOf(a.stdout);
    const b = await ws.cli(['run', file], { STEPWISE_USER: 'bob' });
    assert.equal(b.code, 0, b.stdout + b.stderr);
    bobs = runIdOf(b.stdout);
  });
  after(() => ws.dispose());

  it("lists a retried task's earlier attempts, each with its failure and its own logs", async () => {
    const model = new ExplorerModel(ws.root);
    const [flow] = await model.roots();
    const run = find(await model.children(flow), 'run', tagged);
    const start = find(await model.children(run), 'step', 'start');
    const [task] = await model.children(start);
    assert.equal(task.status, 'succeeded');
    assert.match(task.description ?? '', /2 attempts/);
    const contents = await model.children(task);
    const attempt = find(contents, 'attempt', 'attempt 0');
    assert.equal(attempt.status, 'failed');
    assert.match(attempt.description ?? '', /failed · .* · RangeError: flaky source/);
    const inside = await model.children(attempt);
    assert.equal(inside.find((n) => n.kind === 'info')?.label, 'RangeError: flaky source');
    const oldOut = find(inside, 'log', 'stdout');
    assert.equal(oldOut.attempt, 0);
    // The task's own logs are its last attempt's; the earlier one's are its own.
    const own = find(contents, 'log', 'stdout');
    assert.equal(own.description, 'attempt 1');
    assert.match(await logText({ root: ws.root, pathspec: oldOut.pathspec, name: 'stdout.0' }), /start attempt 0/);
    assert.doesNotMatch(await logText({ root: ws.root, pathspec: oldOut.pathspec, name: 'stdout.0' }), /start attempt 1/);
    assert.match(await logText({ root: ws.root, pathspec: own.pathspec, name: 'stdout' }), /start attempt 1/);
  });

  it('shows a caught failure with its own state and the value its var holds', async () => {
    const model = new ExplorerModel(ws.root);
    const [flow] = await model.roots();
    const run = find(await model.children(flow), 'run', tagged);
    const fragile = find(await model.children(run), 'step', 'fragile');
    const [task] = await model.children(fragile);
    assert.equal(task.status, 'caught');
    assert.match(task.description ?? '', /caught TypeError/);
    const contents = await model.children(task);
    const caught = contents.find((n) => n.status === 'caught');
    assert.equal(caught?.label, 'Caught by @catchFailure: TypeError: bad row 7');
    assert.match(caught?.description ?? '', /^failure = .*TypeError/);
    assert.match(caught?.tooltip ?? '', /attempts\.ts:\d+/);
  });

  it("shows a run's tags, and filters the runs by a tag or a namespace", async () => {
    const model = new ExplorerModel(ws.root);
    const [flow] = await model.roots();
    const runs = await model.children(flow);
    assert.deepEqual(
      runs.map((r) => r.label),
      [bobs, tagged],
    );
    const mine = find(runs, 'run', tagged);
    assert.match(mine.description ?? '', /#golden/);
    assert.match(mine.tooltip ?? '', /system tags: user:alice, runtime:stepwise/);

    const tags = await model.knownTags();
    assert.equal(tags.get('golden'), 1);
    assert.equal(tags.get('user:bob'), 1);
    assert.equal(tags.get('runtime:stepwise'), 2);

    model.setFilter('golden');
    const [only] = await model.roots();
    assert.deepEqual(
      (await model.children(only)).map((r) => r.label),
      [tagged],
    );
    model.setFilter('user:bob');
    assert.deepEqual(
      (await model.children((await model.roots())[0])).map((r) => r.label),
      [bobs],
    );
    model.setFilter('user:carol');
    assert.deepEqual(await model.roots(), [], 'no flow has a run in that namespace');
    model.setFilter(undefined);
    assert.equal((await model.children((await model.roots())[0])).length, 2);

    assert.equal(filterDescription('user:bob'), 'namespace user:bob');
    assert.equal(filterDescription('golden'), 'tag golden');
    assert.equal(filterDescription(undefined), undefined);
  });
});
