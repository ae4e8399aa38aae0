/** The client API over runs made by the real CLI: Metaflow › Flow › Run › Step › Task › artifact. */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { Metaflow, Run, Step, Task, NotFoundError } from '../../runtime/src/client';
import { Workspace, runIdOf } from '../support/workspace';

describe('client API', function () {
  this.timeout(180_000);
  let ws: Workspace;
  let okRun: string;
  let failedRun: string;
  before(async () => {
    ws = new Workspace();
    const debug = ws.copy('flows/debug.ts');
    failedRun = runIdOf((await ws.cli(['run', debug, '--tag', 'nightly'])).stdout);
    writeFileSync(debug, readFileSync(debug, 'utf8').replace("JSON.parse('2fail')", "JSON.parse('2')"));
    okRun = runIdOf((await ws.cli(['resume', debug, '--tag', 'fixed'])).stdout);
    await ws.cli(['run', ws.copy('flows/hello.ts')]);
  });
  after(() => ws.dispose());

  it('Metaflow().flows() lists flows with runs', async () => {
    const flows = await Metaflow({ root: ws.root }).flows();
    assert.deepEqual(
      flows.map((f) => f.name),
      ['DebugFlow', 'HelloWorldFlow'],
    );
  });

  it('runs newest first, latestRun, latestSuccessfulRun, tags, timestamps, origin', async () => {
    const flow = ws.flow('DebugFlow');
    const runs = await flow.runs();
    assert.deepEqual(
      runs.map((r) => r.id),
      [okRun, failedRun],
    );
    assert.equal((await flow.latestRun()).id, okRun);
    assert.equal((await flow.latestSuccessfulRun()).id, okRun);
    const [ok, failed] = runs;
    assert.deepEqual(failed.tags, ['nightly']);
    assert.deepEqual(ok.tags.sort(), ['fixed', 'nightly']);
    assert.equal(failed.status, 'failed');
    assert.equal(ok.originRunId, failedRun);
    assert.ok(ok.createdAt.getTime() <= ok.finishedAt!.getTime());
    assert.ok(ok.durationMs! >= 0);
    assert.deepEqual(
      (await flow.runs({ tag: 'fixed' })).map((r) => r.id),
      [okRun],
    );
  });

  it('Run, Step and Task by pathspec; steps in order; task fields', async () => {
    const run = await Run(`DebugFlow/${okRun}`, { root: ws.root });
    assert.deepEqual((await run.steps()).map((s) => s.name).slice(0, 1), ['start']);
    const step = await Step(`DebugFlow/${okRun}/join`, { root: ws.root });
    const [join] = await step.tasks();
    const task = await Task(join.pathspec, { root: ws.root });
    assert.ok(task.successful && task.finished);
    assert.equal(task.exception, undefined);
    assert.match(await task.stdout, /total is 3/);
    assert.equal(await task.stderr, '');
    assert.ok(task.startedAt <= task.finishedAt!);
    const a = await run.step('a').task();
    assert.equal(a.clonedFrom, `DebugFlow/${failedRun}/a/2`);
    assert.deepEqual(
      a.artifacts().map((x) => [x.name, x.type, x.preview]),
      [['x', 'number', '1']],
    );
    const failedB = await (await Run(`DebugFlow/${failedRun}`, { root: ws.root })).step('b').task();
    assert.equal(failedB.successful, false);
    assert.equal(failedB.exception!.name, 'SyntaxError');
    assert.deepEqual(await step.summary(), { total: 1, succeeded: 1, failed: 0, running: 0, killed: 0, cloned: 0 });
  });

  it('unknown names are NotFoundErrors that list what exists', async () => {
    await assert.rejects(
      Run('DebugFlow/1', { root: ws.root }),
      (e: Error) => e instanceof NotFoundError && /Runs of DebugFlow: /.test(e.message),
    );
    await assert.rejects(Run('NoSuchFlow/1', { root: ws.root }), /Flows with runs: DebugFlow, HelloWorldFlow/);
    await assert.rejects(Step(`DebugFlow/${okRun}/zzz`, { root: ws.root }), /Steps of DebugFlow\/\d+: start/);
    const t = await (await Run(`DebugFlow/${okRun}`, { root: ws.root })).step('a').task();
    await assert.rejects(t.data('nope'), /has no artifact 'nope'. Artifacts: x\./);
    await assert.rejects(Task('DebugFlow/x', { root: ws.root }), /not a task pathspec/);
  });

  it('two runs of the same flow at once never collide', async () => {
    const file = ws.copy('flows/hello.ts', 'hello2.ts');
    const [a, b] = await Promise.all([ws.cli(['run', file]), ws.cli(['run', file])]);
    assert.equal(a.code, 0);
    assert.equal(b.code, 0);
    assert.notEqual(runIdOf(a.stdout), runIdOf(b.stdout));
    for (const id of [runIdOf(a.stdout), runIdOf(b.stdout)]) {
      const run = await ws.flow('HelloWorldFlow').run(id);
      assert.ok(run.successful);
      assert.equal((await run.steps()).length, 3);
    }
  });
});
