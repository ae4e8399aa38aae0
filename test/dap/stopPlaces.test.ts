/**
 * Attach only where a stop can happen: over DAP, which tasks of a foreach flow start under the
 * inspector (announced for a debugger to attach) for each placement of a breakpoint — in one
 * step, in a module the flow imports, none, exception breakpoints on, Pause pressed, and a
 * breakpoint added while the run goes on. Every task still runs and shows on the console.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { RunEventBody } from '../../runtime/src/debug/protocol';
import { allGone } from '../support/background';
import { spareProcesses } from '../support/early';
import { AdapterUnderTest } from './adapter';
import { TaskDebugger, type BreakAt, type Paused } from './taskDebugger';
import { lineOf, scratch } from './workspace';

const FLOW = `import { existsSync, readFileSync } from 'node:fs';
import { FlowSpec, step, type Inputs } from 'stepwise';
import { double } from './helper';

export default class FanFlow extends FlowSpec {
  declare items: number[];
  declare doubled: number;
  declare total: number;
  declare spare: boolean;

  @step start() {
    this.items = [1, 2, 3];
    this.next(this.each, { foreach: 'items' });
  }

  @step async each() {
    // The first task waits for the test's go-ahead (a breakpoint added while it runs).
    while (this.index === 0 && !existsSync('go')) await new Promise((r) => setTimeout(r, 20));
    this.doubled = double(this.input as number); // in each
    // Whether this task ran in a spare process (one started ahead, without the inspector).
    this.spare = readFileSync('/proc/self/cmdline', 'utf8').includes('--stepwise-spare');
    this.next(this.join);
  }

  @step join(inputs: Inputs<FanFlow>) {
    this.total = inputs.reduce((s, i) => s + i.doubled, 0); // in join
    console.log('each in spares:', inputs.map((i) => i.spare).join(','));
    this.next(this.end);
  }

  @step end() {
    console.log('total', this.total);
  }
}
`;

const HELPER = `export function double(x: number): number {
  const y = x * 2; // in helper
  return y;
}
`;

const stepOf = (pathspec: string) => pathspec.split('/')[2];

function workspace(go = true): { dir: string; flow: string; helper: string } {
  const dir = scratch();
  const flow = join(dir, 'fan.ts');
  const helper = join(dir, 'helper.ts');
  writeFileSync(flow, FLOW);
  writeFileSync(helper, HELPER);
  if (go) writeFileSync(join(dir, 'go'), '');
  return { dir, flow, helper };
}

function setBreakpoints(adapter: AdapterUnderTest, bps: BreakAt[]): Promise<DebugProtocol.SetBreakpointsResponse> {
  const file = bps[0].file;
  return adapter.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: bps.map((b) => ({ line: b.line })) });
}

function started(adapter: AdapterUnderTest): string[] {
  return adapter.runEvents
    .map((e) => e.event)
    .filter((e): e is Extract<RunEventBody, { type: 'taskStarted' }> => e.type === 'taskStarted')
    .map((e) => e.step);
}

describe('debug adapter: tasks start under the inspector only where a stop can happen', function () {
  this.timeout(120_000);
  let adapter: AdapterUnderTest | undefined;
  afterEach(async () => {
    await adapter?.close();
    adapter = undefined;
  });

  async function runToEnd(a: AdapterUnderTest, js: TaskDebugger): Promise<void> {
    const end = await a.runFinished();
    await js.settled();
    assert.equal(end.status, 'succeeded', a.text());
    // Every task ran, attached or not, and its output reached the Debug Console.
    assert.deepEqual(started(a), ['start', 'each', 'each', 'each', 'join', 'end']);
    assert.match(a.text(), /\[\d+\/end\/\d+ \(pid \d+\)\] total 12/);
  }

  it('no breakpoints: no task starts under the inspector', async () => {
    const { dir, flow } = workspace();
    adapter = new AdapterUnderTest(dir);
    const js = new TaskDebugger(adapter, dir);
    await adapter.launch({ flow, command: 'run', __stepwiseAttach: true });
    await runToEnd(adapter, js);
    assert.deepEqual(js.attached, []);
  });

  it('a breakpoint in the join: only the join task is attached, and it stops there with inputs readable', async () => {
    const { dir, flow } = workspace();
    const bps = [{ file: flow, line: lineOf(flow, '// in join') }];
    const seen: unknown[] = [];
    let sparesWhileStopped = 0;
    adapter = new AdapterUnderTest(dir);
    const js = new TaskDebugger(adapter, dir, {
      breakpoints: () => bps,
      onPause: async (p: Paused) => {
        const r = await p.cdp.send('Debugger.evaluateOnCallFrame', {
          callFrameId: p.callFrameId,
          expression: 'inputs.map((i) => i.doubled)',
          returnByValue: true,
        });
        seen.push((r.result as { value: unknown }).value);
        sparesWhileStopped = spareProcesses(dir).length;
      },
    });
    await adapter.launch({ flow, command: 'run', __stepwiseAttach: true }, () => setBreakpoints(adapter!, bps));
    await runToEnd(adapter, js);
    assert.deepEqual(js.attached.map(stepOf), ['join']);
    assert.deepEqual(seen, [[2, 4, 6]]);
    // The tasks that cannot stop ran as in a plain run, each in a process started ahead.
    assert.match(adapter.text(), /each in spares: true,true,true/);
    await adapter.close();
    adapter = undefined;
    // No spare outlives the run (the one started for a task that never came is killed).
    assert.ok(sparesWhileStopped >= 1, 'a spare was waiting while the join was stopped');
    await allGone(spareProcesses(dir), 3000);
  });

  it('a breakpoint in a module the flow imports: every task is attached (it may run in any step)', async () => {
    const { dir, flow, helper } = workspace();
    const bps = [{ file: helper, line: lineOf(helper, '// in helper') }];
    adapter = new AdapterUnderTest(dir);
    const js = new TaskDebugger(adapter, dir, { breakpoints: () => bps });
    await adapter.launch({ flow, command: 'run', __stepwiseAttach: true }, () => setBreakpoints(adapter!, bps));
    await runToEnd(adapter, js);
    assert.deepEqual(js.attached.map(stepOf), ['start', 'each', 'each', 'each', 'join', 'end']);
    assert.deepEqual(
      js.pauses.map((p) => stepOf(p.pathspec)),
      ['each', 'each', 'each'],
      'stopped in the helper from each task of each',
    );
  });

  it('a breakpoint in a file the flow does not load (another flow): no task is attached', async () => {
    const { dir, flow } = workspace();
    const other = join(dir, 'other.ts');
    writeFileSync(other, FLOW.replace('FanFlow', 'OtherFlow'));
    const bps = [{ file: other, line: lineOf(other, '// in join') }];
    adapter = new AdapterUnderTest(dir);
    const js = new TaskDebugger(adapter, dir);
    await adapter.launch({ flow, command: 'run', __stepwiseAttach: true }, () => setBreakpoints(adapter!, bps));
    await runToEnd(adapter, js);
    assert.deepEqual(js.attached, []);
  });

  it('exception breakpoints on: every task is attached', async () => {
    const { dir, flow } = workspace();
    adapter = new AdapterUnderTest(dir);
    const js = new TaskDebugger(adapter, dir, { pauseOnExceptions: () => 'all' });
    await adapter.launch({ flow, command: 'run', __stepwiseAttach: true }, () =>
      adapter!.dc.setExceptionBreakpointsRequest({ filters: ['all'] }),
    );
    await runToEnd(adapter, js);
    assert.deepEqual(js.attached.map(stepOf), ['start', 'each', 'each', 'each', 'join', 'end']);
  });

  it('declares the same exception filters as js-debug, so VS Code shows one checkbox each', async () => {
    const { dir } = workspace();
    adapter = new AdapterUnderTest(dir);
    const init = await adapter.dc.initializeRequest({
      adapterID: 'stepwise',
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
    });
    assert.deepEqual(
      init.body?.exceptionBreakpointFilters?.map((f) => [f.filter, f.label]),
      [
        ['all', 'Caught Exceptions'],
        ['uncaught', 'Uncaught Exceptions'],
      ],
    );
  });

  it('Pause while no task is attached: the next task stops before its step, every later task is attached', async () => {
    const { dir, flow } = workspace(false);
    adapter = new AdapterUnderTest(dir);
    const js = new TaskDebugger(adapter, dir);
    const threads = adapter.dc.waitForEvent('thread');
    await adapter.launch({ flow, command: 'run', __stepwiseAttach: true });
    assert.equal((await threads).body.reason, 'started');
    const t = await adapter.dc.threadsRequest();
    assert.equal(t.body.threads.length, 1, 'the run is the session’s one thread');
    // Pressed while the first `each` runs (it waits for `go`).
    await until(() => started(adapter!).includes('each'));
    await adapter.dc.pauseRequest({ threadId: t.body.threads[0].id });
    writeFileSync(join(dir, 'go'), '');
    await runToEnd(adapter, js);
    assert.deepEqual(js.attached.map(stepOf), ['each', 'each', 'join', 'end']);
    assert.equal(js.pauses.length, 1);
    assert.equal(js.pauses[0].reason, 'other', 'a debugger statement');
    assert.equal(js.pauses[0].url, 'stepwise://pause/each.js');
    assert.equal(js.pauses[0].pathspec, js.attached[0], 'in the first task after Pause');
    assert.match(adapter.text(), /Pause: the next task stops before its step runs/);
  });

  it('a breakpoint added while the run goes on applies from the next task that can hit it', async () => {
    const { dir, flow } = workspace(false);
    const bps: BreakAt[] = [];
    adapter = new AdapterUnderTest(dir);
    const js = new TaskDebugger(adapter, dir, { breakpoints: () => bps });
    await adapter.launch({ flow, command: 'run', __stepwiseAttach: true });
    // The first `each` task started without a debugger (no breakpoint then) and waits for `go`.
    await until(() => started(adapter!).includes('each'));
    bps.push({ file: flow, line: lineOf(flow, '// in each') });
    await setBreakpoints(adapter, bps);
    writeFileSync(join(dir, 'go'), '');
    await runToEnd(adapter, js);
    assert.deepEqual(js.attached.map(stepOf), ['each', 'each']);
    assert.equal(js.pauses.length, 2, 'stopped in the 2nd and 3rd each tasks');
    assert.ok(js.pauses.every((p) => p.hitBreakpoints.length === 1));
  });
});

/** Resolves once `check` holds (polled: the adapter's events arrive on their own). */
async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
