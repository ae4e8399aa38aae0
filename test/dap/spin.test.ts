/**
 * Debug one past task: a `"command": "spin"` launch configuration re-runs that task (its inputs,
 * the run's parameters, the current code) in a new `spin` run under the debugger, attached even
 * without a breakpoint, and stops at a breakpoint in it; the original run is untouched.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Flow, type RunClient } from '../../runtime/src/client';
import type { RunEventBody } from '../../runtime/src/debug/protocol';
import { AdapterUnderTest } from './adapter';
import { TaskDebugger, type Paused } from './taskDebugger';
import { lineOf, scratch } from './workspace';

type Started = Extract<RunEventBody, { type: 'taskStarted' }>;

async function taskPathspecs(run: RunClient): Promise<string[]> {
  const out: string[] = [];
  for (const s of await run.steps()) for (const t of await s.tasks()) out.push(t.pathspec);
  return out.sort();
}

describe('debug adapter: spin (Debug Task)', function () {
  this.timeout(120_000);
  let adapter: AdapterUnderTest | undefined;
  afterEach(async () => {
    await adapter?.close();
    adapter = undefined;
  });

  it('re-runs one foreach task of a past run under the debugger, with its own this.input, and leaves that run as it was', async () => {
    const dir = scratch('foreach.ts');
    const flow = join(dir, 'foreach.ts');
    adapter = new AdapterUnderTest(dir);
    await adapter.launch({ flow, command: 'run', noDebug: true });
    const first = await adapter.runFinished();
    assert.equal(first.status, 'succeeded', adapter.text());
    const mouse = adapter.runEvents
      .map((e) => e.event)
      .filter((e): e is Started => e.type === 'taskStarted' && e.step === 'analyzeCreatures')[1];
    await adapter.close();

    const original = await Flow('ForeachFlow', { root: join(dir, '.stepwise') }).run(first.runId);
    const before = await taskPathspecs(original);

    adapter = new AdapterUnderTest(dir);
    const seen: unknown[] = [];
    // No breakpoint sent to the adapter: the spun task is attached anyway (the fake debugger
    // still places its own breakpoint in the step, as js-debug would from VS Code's).
    const js = new TaskDebugger(adapter, dir, {
      breakpoints: () => [{ file: flow, line: lineOf(flow, 'this.creature = this.input') }],
      onPause: async (p: Paused) => {
        const r = await p.cdp.send('Debugger.evaluateOnCallFrame', {
          callFrameId: p.callFrameId,
          expression: 'this.input',
          returnByValue: true,
        });
        seen.push((r.result as { value: unknown }).value);
      },
    });
    await adapter.launch({ flow, command: 'spin', pathspec: `${first.runId}/analyzeCreatures/${mouse.taskId}`, __stepwiseAttach: true });
    const spun = await adapter.runFinished();
    await js.settled();
    assert.equal(spun.status, 'succeeded', adapter.text());
    assert.notEqual(spun.runId, first.runId);
    assert.deepEqual(
      js.attached.map((p) => p.split('/')[2]),
      ['analyzeCreatures'],
    );
    assert.deepEqual(seen, ['mouse']);

    const runs = Flow('ForeachFlow', { root: join(dir, '.stepwise') });
    const spinRun = await runs.run(spun.runId);
    assert.ok(spinRun.tags.includes('spin'), `tags: ${spinRun.tags.join(', ')}`);
    assert.equal(await (await spinRun.step('analyzeCreatures').task()).data('creature'), 'mouse');
    const after = await runs.run(first.runId);
    assert.deepEqual(await taskPathspecs(after), before);
    assert.equal(after.status, 'succeeded');
  });

  it('a spin without a task pathspec fails the launch naming the attribute', async () => {
    const dir = scratch('foreach.ts');
    adapter = new AdapterUnderTest(dir);
    await assert.rejects(
      adapter.launch({ flow: join(dir, 'foreach.ts'), command: 'spin', pathspec: 'only/two', __stepwiseAttach: true }),
      /"command": "spin" needs "pathspec": the task to re-run/,
    );
  });
});
