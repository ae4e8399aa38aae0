/** The explorer's tree over a datastore made by real CLI runs: a failed run and its resume, a foreach with a damaged task, a 1000-task foreach. */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ExplorerModel, type ExplorerNode } from '../../client/src/explorer/model';
import { artifactText, logText } from '../../client/src/explorer/documents';
import { explorerDatastore, type ExplorerDatastore } from './datastore';
import { runCli } from '../support/cli';

function find<T extends ExplorerNode['kind']>(nodes: ExplorerNode[], kind: T, label: string): Extract<ExplorerNode, { kind: T }> {
  const n = nodes.find((x) => x.kind === kind && x.label === label);
  assert.ok(n, `no ${kind} node '${label}' among: ${nodes.map((x) => `${x.kind}:${x.label}`).join(', ')}`);
  return n as Extract<ExplorerNode, { kind: T }>;
}

describe('explorer tree over real runs', function () {
  this.timeout(1_800_000);
  let ds: ExplorerDatastore;
  let model: ExplorerModel;

  before(async () => {
    ds = await explorerDatastore();
  });
  beforeEach(() => {
    model = new ExplorerModel(ds.root, { pageSize: 100 });
  });

  it('lists flows, then runs newest first with status, origin and duration', async () => {
    const flows = await model.roots();
    assert.deepEqual(
      flows.map((f) => f.label),
      ['FailThenFixFlow', 'ForeachFlow', 'WideForeachFlow'],
    );
    const runs = await model.children(find(flows, 'flow', 'FailThenFixFlow'));
    assert.deepEqual(
      runs.map((r) => r.label),
      [ds.resumedRunId, ds.failedRunId],
    );
    const [resumed, failed] = runs;
    assert.equal(resumed.status, 'succeeded');
    assert.match(resumed.description ?? '', new RegExp(`resumed from ${ds.failedRunId}`));
    assert.match(resumed.description ?? '', /\d+(\.\d)? s|\d+ ms/);
    assert.equal(failed.status, 'failed');
    assert.match(failed.tooltip ?? '', /failed/);
  });

  it('shows the failed step, its exception and its logs; the resume clones the upstream step', async () => {
    const [flow] = await model.roots();
    const [resumed, failed] = await model.children(flow);
    const steps = await model.children(failed);
    assert.deepEqual(
      steps.map((s) => `${s.label}:${s.status}`),
      ['start:succeeded', 'b:failed'],
    );
    const [task] = await model.children(steps[1]);
    assert.equal(task.kind, 'task');
    assert.equal(task.status, 'failed');
    const contents = await model.children(task);
    const ex = contents.find((c) => c.kind === 'info');
    assert.equal(ex?.label, 'Error: boom');
    const stderr = find(contents, 'log', 'stderr');
    assert.equal(stderr.running, false);
    assert.match(
      await logText({ root: ds.root, pathspec: stderr.pathspec, name: 'stderr' }),
      /Error: boom\n\s+at .*fail_then_fix\.ts:\d+:\d+/,
    );

    const rsteps = await model.children(resumed);
    assert.deepEqual(
      rsteps.map((s) => `${s.label}:${s.status}`),
      ['start:cloned', 'b:succeeded', 'end:succeeded'],
    );
    const [cloned] = await model.children(rsteps[0]);
    assert.match(cloned.description ?? '', new RegExp(`cloned from ${ds.failedRunId}`));
  });

  it('lists artifacts with type and preview, and renders a value readably', async () => {
    const flows = await model.roots();
    const [resumed] = await model.children(flows[0]);
    const [start] = await model.children(resumed);
    const [task] = await model.children(start);
    const contents = await model.children(task);
    assert.deepEqual(
      contents.map((c) => `${c.kind}:${c.label}`),
      ['artifact:lookup', 'artifact:when', 'artifact:x', 'log:stdout', 'log:stderr'],
    );
    const lookup = find(contents, 'artifact', 'lookup');
    assert.equal(lookup.type, 'Map(2)');
    const text = await artifactText({ root: ds.root, pathspec: lookup.pathspec, name: 'lookup' });
    assert.match(text, /^\/\/ FailThenFixFlow\/\d+\/start\/1\/lookup — Map\(2\)/);
    assert.match(text, /Map\(2\) \{\n {2}"a" => 1,\n {2}"b" => 2,\n\}/);
    const when = await artifactText({ root: ds.root, pathspec: lookup.pathspec, name: 'when' });
    assert.match(when, /Date\(2026-01-02T03:04:05\.000Z\)/);
  });

  it('pages a 1000-task foreach step, showing each task’s foreach index and input', async () => {
    const flows = await model.roots();
    const [run] = await model.children(find(flows, 'flow', 'WideForeachFlow'));
    assert.equal(run.label, ds.wideRunId);
    const steps = await model.children(run);
    const multiply = find(steps, 'step', 'multiply');
    assert.equal(multiply.total, 1000);
    assert.match(multiply.description ?? '', /1000 tasks/);
    const page = await model.children(multiply);
    assert.equal(page.length, 101);
    const more = page[100];
    assert.equal(more.kind, 'more');
    assert.equal(more.description, '100 of 1000 tasks shown');
    assert.match(page[0].description ?? '', /^\[0\] 0 · succeeded/);
    assert.match(page[99].description ?? '', /^\[99\] 99 · /);
    const stepAgain = more.kind === 'more' ? model.loadMore(more) : undefined;
    assert.equal(stepAgain, multiply);
    const two = await model.children(multiply);
    assert.equal(two.length, 201);
    assert.match(two[150].description ?? '', /^\[150\] 150 · /);
  });

  it('shows a damaged task file as an error node naming the file, and the rest of the step as usual', async () => {
    const flows = await model.roots();
    const [run] = await model.children(find(flows, 'flow', 'ForeachFlow'));
    const steps = await model.children(run);
    const step = find(steps, 'step', 'analyzeCreatures');
    assert.equal(step.status, 'failed');
    const tasks = await model.children(step);
    assert.deepEqual(
      tasks.map((t) => t.kind),
      ['task', 'error', 'task'],
    );
    const err = tasks[1];
    assert.ok(err.kind === 'error' && err.message.includes(ds.damagedFile), err.label);
    assert.equal(err.status, 'damaged');
    // The other steps and tasks of the run still read.
    const join_ = find(steps, 'step', 'join');
    assert.equal(join_.status, 'succeeded');
    assert.equal((await model.children(tasks[0])).filter((c) => c.kind === 'artifact').length > 0, true);
  });

  it('re-reads only the run a datastore change belongs to', async () => {
    const flows = await model.roots();
    const fail = find(flows, 'flow', 'FailThenFixFlow');
    const runs = await model.children(fail);
    for (const r of runs) await model.children(r);
    const before = { ...model.stats };
    await model.children(fail);
    for (const r of runs) await model.children(r);
    assert.deepEqual(model.stats, before, 'an unchanged datastore is not read again');

    const changed = model.invalidate(join(ds.root, 'FailThenFixFlow', 'runs', ds.failedRunId, 'b', '2', 'stderr.log'));
    assert.equal(changed, fail, 'the change refreshes the flow of the run it belongs to');
    await model.children(fail);
    await model.children(runs[0]);
    await model.children(runs[1]);
    assert.equal(model.stats.runs, before.runs + 1, 'only the changed run is read again');
    assert.equal(model.stats.stepLists, before.stepLists + 1);

    const fresh = model.invalidate(join(ds.root, 'FailThenFixFlow', 'runs', '99999999999999', 'run.json'));
    assert.equal(fresh, fail, 'a new run refreshes its flow');
  });

  it('polls the datastore: nothing to do while it is unchanged, the flow once a new run lands', async () => {
    const flows = await model.roots();
    const fail = find(flows, 'flow', 'FailThenFixFlow');
    await model.children(fail);
    for (const f of flows) if (f.label !== 'FailThenFixFlow') await model.children(f);
    assert.deepEqual(await model.poll(), []);
    const r = await runCli(['run', join(ds.dir, 'fail_then_fix.ts')], { cwd: ds.dir, env: { STEPWISE_DATASTORE_ROOT: '' } });
    assert.equal(r.code, 1);
    assert.deepEqual(await model.poll(), [fail]);
    const runs = await model.children(fail);
    assert.equal(runs.length, 3);
    assert.equal(runs[0].status, 'failed');
    assert.deepEqual(await model.poll(), []);
  });

  it('summarises an artifact past the load limit instead of loading it', async () => {
    const flows = await model.roots();
    const [run] = await model.children(find(flows, 'flow', 'WideForeachFlow'));
    const [start] = await model.children(run);
    const [task] = await model.children(start);
    const ints = find(await model.children(task), 'artifact', 'ints');
    const text = await artifactText({ root: ds.root, pathspec: ints.pathspec, name: 'ints' }, { loadLimit: 100 });
    assert.match(text, /Not loaded: .* is past the editor's limit of 100 B/);
    assert.doesNotMatch(text, /\n {2}999,/);
    const full = await artifactText({ root: ds.root, pathspec: ints.pathspec, name: 'ints' }, { maxItems: 5 });
    assert.match(full, /Array\(1000\) \[\n {2}0,\n {2}1,\n {2}2,\n {2}3,\n {2}4,\n {2}… 995 more\n\]/);
  });
});
