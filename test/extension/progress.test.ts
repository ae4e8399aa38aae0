/** Following a run through the CLI's --json-events or its datastore, as the status bar and notification show it. */
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunProgress, lineConsole } from '../../client/src/runs/progress';
import { fixtures, runCli } from '../support/cli';
import { listRuns, runOverlay } from '../../client/src/state/runs';
import { FAILING_FLOW } from './datastore';

describe('run progress from --json-events or the datastore', function () {
  this.timeout(300_000);

  it('counts steps done and foreach tasks of a real run, and ends succeeded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-progress-'));
    const r = await runCli(['run', join(fixtures, 'flows', 'foreach.ts'), '--json-events'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    let now = 0;
    const p = new RunProgress(() => now);
    const foreachSeen: string[] = [];
    for (const line of r.stdout.split('\n')) {
      const e = RunProgress.parse(line);
      if (!e) continue;
      p.apply(e);
      now += 100;
      const s = p.snapshot();
      if (s.foreach) foreachSeen.push(`${s.foreach.done}/${s.foreach.total}`);
    }
    assert.deepEqual([...new Set(foreachSeen)], ['0/3', '1/3', '2/3']);
    const s = p.snapshot();
    assert.equal(s.finished?.status, 'succeeded');
    assert.equal(s.stepsDone, 4);
    assert.match(p.summary(), /^4 steps done · \d/);
    assert.equal(s.flow, 'ForeachFlow');
  });

  it('reads the same progress from the datastore, for a run followed there (a run in a terminal)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-progress-'));
    const r = await runCli(['run', join(fixtures, 'flows', 'foreach.ts')], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const root = join(dir, '.stepwise');
    const [run] = await listRuns(root, 'ForeachFlow');
    const p = new RunProgress(() => 5_000);
    p.observe(
      { runId: run.runId, flow: 'ForeachFlow', file: 'foreach.ts', startedAt: 3_000 },
      await runOverlay(root, 'ForeachFlow', run.runId),
    );
    assert.equal(p.snapshot().stepsDone, 4, 'as many steps done as its events count');
    assert.equal(p.summary(), '4 steps done · 2.0 s');
    // Mid-run: a foreach with 2 of 5 tasks done and one running shows its count; a step waiting for it is not done.
    p.observe(
      { runId: '9', flow: 'F', file: 'f.ts', startedAt: 4_000 },
      {
        runId: '9',
        status: 'running',
        steps: { start: { state: 'succeeded', done: 1, total: 1 }, body: { state: 'running', done: 2, total: 5, running: 1 } },
      },
    );
    assert.equal(p.summary(), '1 step done · body 2/5 · 1.0 s');
  });

  it("prints the CLI's own console lines, one at a time, with the failure summary and its stack", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-progress-'));
    writeFileSync(join(dir, 'flow.ts'), FAILING_FLOW);
    const r = await runCli(['run', join(dir, 'flow.ts'), '--json-events'], { cwd: dir });
    assert.equal(r.code, 1);
    const p = new RunProgress();
    const lines: string[] = [];
    const out = lineConsole((l) => lines.push(l));
    for (const line of r.stdout.split('\n')) {
      const e = RunProgress.parse(line);
      if (!e) continue;
      p.apply(e);
      out.handle(e);
    }
    const ts = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}`;
    assert.ok(lines.every((l) => !l.includes('\n')));
    assert.match(lines[0], new RegExp(`^${ts} Workflow starting \\(run-id \\d+\\): FailThenFixFlow$`));
    assert.ok(
      lines.some((l) => new RegExp(`^${ts} \\[\\d+/b/2 \\(pid \\d+\\)\\] Task failed\\.$`).test(l)),
      lines.join('\n'),
    );
    assert.ok(lines.some((l) => /\[\d+\/b\/2 \(pid \d+\)\] Error: boom$/.test(l)));
    assert.equal(p.finished?.status, 'failed');
    const at = lines.indexOf('Step failure: step b (task 2) failed:');
    assert.ok(at > 0, lines.join('\n'));
    assert.match(lines[at + 1], /^ {4}Error: boom$/);
    assert.match(lines[at + 2], /^ {8}at .*flow\.ts:\d+:\d+/);
    assert.match(lines[lines.length - 1], /Run \d+ failed after [\d.]+ s\. Fix the flow, then resume it: stepwise resume /);
  });
});
