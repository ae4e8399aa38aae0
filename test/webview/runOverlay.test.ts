/**
 * The run overlay's data: real runs made by the CLI (subprocesses) read back through the
 * run-state service's reads (client/src/state/runs.ts), and the pure state rules on their own.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failedSteps, listRuns, resumableRuns, runOverlay } from '../../client/src/state/runs';
import { flowDatastore } from '../../client/src/datastoreChoice';
import { judgeGraph } from '../../client/src/preview/problem';
import { overlayOf } from '../../client/src/preview/runState';
import { parseFlow } from '../../runtime/src/graph';
import { fixtures, runCli } from '../support/cli';

describe('preview run overlay', () => {
  describe('state rules', () => {
    it('counts foreach tasks and calls a step running while its tasks are', () => {
      const o = overlayOf({
        runId: '5',
        status: 'running',
        tasks: { start: ['succeeded'], body: [...Array(998).fill('succeeded'), 'running', 'running'] },
        expected: { body: 1000 },
      });
      assert.deepEqual(o.steps.start, { state: 'succeeded', done: 1, total: 1 });
      assert.deepEqual(o.steps.body, { state: 'running', done: 998, total: 1000, running: 2 });
    });

    it('says running for a foreach whose remaining tasks have not started yet', () => {
      const o = overlayOf({ runId: '5', status: 'running', tasks: { body: ['succeeded', 'succeeded'] }, expected: { body: 5 } });
      assert.equal(o.steps.body.state, 'running');
      assert.equal(o.steps.body.done, 2);
      assert.equal(o.steps.body.total, 5);
    });

    it('marks failures, kills and clones', () => {
      const o = overlayOf({
        runId: '9',
        status: 'killed',
        tasks: { a: ['cloned'], b: ['succeeded', 'failed'], c: ['killed'], d: ['succeeded'] },
        expected: { d: 3 },
      });
      assert.equal(o.steps.a.state, 'cloned');
      assert.equal(o.steps.b.state, 'failed');
      assert.equal(o.steps.b.failed, 1);
      assert.equal(o.steps.c.state, 'killed');
      assert.equal(o.steps.d.state, 'killed', 'a foreach cut short by a kill');
    });

    it("carries a loop's passes and a switch's cases onto their steps, and nothing onto the others", () => {
      const o = overlayOf({
        runId: '3',
        status: 'running',
        tasks: { start: ['succeeded'], refine: ['succeeded', 'running'] },
        passes: { refine: 2 },
        cases: { start: { small: 1 }, refine: { again: 1 } },
      });
      assert.deepEqual(o.steps.start, { state: 'succeeded', done: 1, total: 1, cases: { small: 1 } });
      assert.deepEqual(o.steps.refine, { state: 'running', done: 1, total: 2, running: 1, passes: 2, cases: { again: 1 } });
    });
  });

  describe('problem banner', () => {
    it('names the first error with its line and how many more there are', () => {
      const graph = parseFlow(readFileSync(join(fixtures, 'invalid', 'no_end.ts'), 'utf8'), 'no_end.ts');
      const diag = (line: number, message: string, severity: 'error' | 'warning' = 'error') => ({
        code: 'SW001',
        rule: 'x',
        severity,
        message,
        range: { start: { line, character: 0 }, end: { line, character: 1 } },
      });
      assert.deepEqual(judgeGraph({ graph, diagnostics: [diag(3, 'only a warning', 'warning')] }), { hasErrors: false });
      assert.deepEqual(judgeGraph({ graph, diagnostics: [diag(11, "step 'end' is missing"), diag(2, 'other')] }), {
        hasErrors: true,
        problem: "Line 12: step 'end' is missing (+1 more)",
      });
    });
  });

  describe('reading real runs', function () {
    this.timeout(120_000);
    let dir: string;
    let root: string;
    const env = () => ({ STEPWISE_DATASTORE_ROOT: root });

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'stepwise-overlay-'));
      root = join(dir, '.stepwise');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('lists a flow without runs as no runs', async () => {
      assert.deepEqual(await listRuns(root, 'ForeachFlow'), []);
    });

    it('shows a finished foreach run: every step succeeded, the foreach with its task count', async () => {
      const r = await runCli(['run', join(fixtures, 'flows', 'foreach.ts')], { cwd: dir, env: env() });
      assert.equal(r.code, 0, r.stderr);
      const runs = await listRuns(root, 'ForeachFlow');
      assert.equal(runs.length, 1);
      assert.equal(runs[0].status, 'succeeded');
      const o = await runOverlay(root, 'ForeachFlow', runs[0].runId);
      assert.ok(o);
      assert.equal(o.runId, runs[0].runId);
      assert.deepEqual(Object.keys(o.steps).sort(), ['analyzeCreatures', 'end', 'join', 'start']);
      for (const s of Object.values(o.steps)) assert.equal(s.state, 'succeeded');
      assert.deepEqual(o.steps.analyzeCreatures, { state: 'succeeded', done: 3, total: 3 });
    });

    it('shows a failed run and its resume: failed step, then cloned and re-run steps', async () => {
      const flow = join(dir, 'debug.ts');
      copyFileSync(join(fixtures, 'flows', 'debug.ts'), flow);
      const failed = await runCli(['run', flow], { cwd: dir, env: env() });
      assert.equal(failed.code, 1);
      const [first] = await listRuns(root, 'DebugFlow');
      assert.equal(first.status, 'failed');
      const o1 = (await runOverlay(root, 'DebugFlow', first.runId))!;
      assert.equal(o1.steps.b.state, 'failed');
      assert.equal(o1.steps.a.state, 'succeeded');
      assert.equal(o1.steps.end, undefined, 'end never ran: the page shows it as not run');
      // The resume picker preselects the step that failed, by the same step states.
      assert.deepEqual(await failedSteps(root, 'DebugFlow', first.runId), ['b']);

      writeFileSync(flow, readFileSync(flow, 'utf8').replace("JSON.parse('2fail')", "JSON.parse('2')"));
      const resumed = await runCli(['resume', flow], { cwd: dir, env: env() });
      assert.equal(resumed.code, 0, resumed.stderr + resumed.stdout);
      const runs = await listRuns(root, 'DebugFlow');
      assert.equal(runs.length, 2);
      assert.notEqual(runs[0].runId, first.runId, 'newest first');
      const o2 = (await runOverlay(root, 'DebugFlow', runs[0].runId))!;
      assert.equal(o2.steps.start.state, 'cloned');
      assert.equal(o2.steps.a.state, 'cloned');
      assert.equal(o2.steps.b.state, 'succeeded');
      assert.equal(o2.steps.end.state, 'succeeded');
    });

    it("counts a loop's passes per item inside a foreach (the most any item made) and each case its switches took", async () => {
      const r = await runCli(['run', join(fixtures, 'runtime', 'switch_foreach.ts')], { cwd: dir, env: env() });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const [run] = await listRuns(root, 'SwitchForeachFlow');
      const o = (await runOverlay(root, 'SwitchForeachFlow', run.runId))!;
      // Items 1, 2, 3 go round `count` 1, 2 and 3 times: 6 tasks, at most 3 passes.
      assert.deepEqual(o.steps.count, { state: 'succeeded', done: 6, total: 6, passes: 3, cases: { true: 3, false: 3 } });
      assert.deepEqual(o.steps.perItem.cases, { odd: 2, even: 1 });
      assert.equal(o.steps.perItem.passes, undefined, 'perItem is in no loop');
      assert.equal(o.steps.gather.cases, undefined);
    });

    it("finds the datastore the way the CLI started from the flow's workspace folder does", () => {
      assert.equal(flowDatastore({}, join(dir, 'sub', 'flow.ts'), dir), join(dir, '.stepwise'));
      // Outside a workspace: from the flow's own folder; a process's cwd wins over both.
      assert.equal(flowDatastore({}, join(dir, 'flow.ts'), undefined), join(dir, '.stepwise'));
      assert.equal(flowDatastore({}, join(dir, 'flow.ts'), undefined, '/elsewhere/x'), join('/elsewhere/x', '.stepwise'));
    });

    it('lists the runs a resume can start from, newest first', async () => {
      const runs = await resumableRuns(root, 'DebugFlow');
      assert.deepEqual(
        runs.map((r) => r.id),
        (await listRuns(root, 'DebugFlow')).map((r) => r.runId),
      );
    });
  });
});
