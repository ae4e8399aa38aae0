/**
 * The debug adapter over the real protocol: `node dist/cli.js dap` driven by DebugClient, with
 * a test-side CDP client standing in for js-debug on each task's inspector.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Flow } from '../../runtime/src/client';
import type { AttachEventBody, RunEventBody } from '../../runtime/src/debug/protocol';
import { ATTACH_EVENT } from '../../runtime/src/debug/protocol';
import { repoRoot } from '../support/cli';
import { isAlive } from '../support/process';
import { AdapterUnderTest } from './adapter';
import { CdpClient } from './cdp';
import { generatedPositionFor } from './sourceMap';
import { bundles, lineOf, scratch } from './workspace';

interface Breakpoint {
  file: string;
  line: number;
  /** Evaluated in the paused frame; the results are collected. */
  evaluate: string;
  /** A breakpoint condition, as VS Code passes it on (evaluated by V8 in the paused frame). */
  condition?: string;
}

/**
 * Plays the debugger for every task the adapter announces: attaches to its inspector, sets the
 * breakpoint (mapped through the bundle's source map) when the task runs `step`, releases it.
 */
class FakeJsDebug {
  readonly hits: Array<{ pathspec: string; value: unknown; url: string }> = [];
  readonly errors: Error[] = [];
  private readonly sessions: Promise<void>[] = [];

  constructor(
    private readonly adapter: AdapterUnderTest,
    private readonly dir: string,
    private readonly breakAt?: { step: string } & Breakpoint,
  ) {
    adapter.dc.on(ATTACH_EVENT, (e: { body: AttachEventBody }) => {
      this.sessions.push(this.attach(e.body).catch((err: Error) => void this.errors.push(err)));
    });
  }

  private async attach(body: AttachEventBody): Promise<void> {
    // A live inspector answers on the announced port with the announced WebSocket.
    const list = (await (await fetch(`http://127.0.0.1:${body.config.port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
    assert.equal(list[0]?.webSocketDebuggerUrl, body.inspectorUrl);
    const cdp = await CdpClient.connect(body.inspectorUrl);
    const step = body.pathspec.split('/')[2];
    const bp = this.breakAt && this.breakAt.step === step ? this.breakAt : undefined;
    const urls = new Map<string, string>();
    cdp.on('Debugger.scriptParsed', (p) => urls.set(p.scriptId as string, p.url as string));
    cdp.on('Debugger.paused', (p) => {
      void (async () => {
        const hit = (p.hitBreakpoints as string[] | undefined) ?? [];
        const frames = p.callFrames as Array<{ callFrameId: string; location: { scriptId: string } }>;
        if (bp && p.reason === 'Break on start') {
          // As js-debug does: the breakpoint goes by the URL of the bundle the debugger already
          // sees (the preload parsed it), mapped through its source map.
          const [bundle] = bundles(this.dir);
          const url = pathToFileURL(bundle).href;
          assert.ok([...urls.values()].includes(url), `the flow bundle is parsed before the task starts (${url})`);
          const pos = generatedPositionFor(bundle, bp.file, bp.line);
          await cdp.send('Debugger.setBreakpointByUrl', {
            url,
            lineNumber: pos.lineNumber,
            columnNumber: pos.columnNumber,
            ...(bp.condition ? { condition: bp.condition } : {}),
          });
        }
        if (bp && hit.length) {
          const r = await cdp.send('Debugger.evaluateOnCallFrame', {
            callFrameId: frames[0].callFrameId,
            expression: bp.evaluate,
            returnByValue: true,
          });
          this.hits.push({
            pathspec: body.pathspec,
            value: (r.result as { value: unknown }).value,
            url: urls.get(frames[0].location.scriptId) ?? '',
          });
        }
        await cdp.send('Debugger.resume');
      })().catch((err: Error) => this.errors.push(err));
    });
    await cdp.send('Runtime.enable');
    await cdp.send('Debugger.enable');
    await cdp.send('Runtime.runIfWaitingForDebugger');
    await cdp.closed;
  }

  /** Tells the adapter where the breakpoint is, as VS Code does before configurationDone. */
  configure(): Promise<unknown> {
    if (!this.breakAt) return Promise.resolve();
    return this.adapter.dc.setBreakpointsRequest({ source: { path: this.breakAt.file }, breakpoints: [{ line: this.breakAt.line }] });
  }

  async settled(): Promise<void> {
    await Promise.all(this.sessions);
    if (this.errors.length) throw this.errors[0];
  }
}

/**
 * "Uncaught Exceptions" on, as VS Code would send it: every task can stop, so every task starts
 * under the inspector (the tests below that need each task attached; the stand-in debuggers do
 * not themselves break on uncaught exceptions).
 */
const everyTaskCanStop = (a: AdapterUnderTest) => () => a.dc.setExceptionBreakpointsRequest({ filters: ['uncaught'] });

function maxAlive(events: Array<{ event: RunEventBody }>): number {
  let alive = 0;
  let max = 0;
  for (const { event } of events) {
    if (event.type === 'taskStarted') max = Math.max(max, ++alive);
    if (event.type === 'taskFinished' && !event.cloned) alive--;
  }
  return max;
}

const started = (a: AdapterUnderTest) =>
  a.runEvents.map((e) => e.event).filter((e): e is Extract<RunEventBody, { type: 'taskStarted' }> => e.type === 'taskStarted');

describe('debug adapter (stepwise dap over stdio)', function () {
  this.timeout(120_000);
  let adapter: AdapterUnderTest | undefined;
  afterEach(async () => {
    await adapter?.close();
    adapter = undefined;
  });

  it('announces the task that can stop with a pwa-node attach config, stops at a TypeScript breakpoint, completes', async () => {
    const dir = scratch('counter.ts');
    const flow = join(dir, 'counter.ts');
    const line = lineOf(flow, 'this.count += 1');
    adapter = new AdapterUnderTest(dir);
    const js = new FakeJsDebug(adapter, dir, { step: 'add', file: flow, line, evaluate: 'this.count' });
    const terminated = adapter.dc.waitForEvent('terminated', 90_000);
    const exited = adapter.dc.waitForEvent('exited', 90_000);
    const launched = await adapter.launch({ flow, command: 'run', __stepwiseAttach: true }, () => js.configure());
    assert.equal(launched.success, true);
    const end = await adapter.runFinished();
    await js.settled();
    assert.equal(end.status, 'succeeded', adapter.text());

    assert.deepEqual(
      adapter.attachEvents.map((e) => e.pathspec.split('/')[2]),
      ['add'],
    );
    for (const e of adapter.attachEvents) {
      const [, run, step, task] = e.pathspec.split('/');
      assert.equal(e.config.type, 'pwa-node');
      assert.equal(e.config.request, 'attach');
      assert.equal(e.config.name, `${run}/${step}/${task}`);
      assert.equal(e.config.port, Number(new URL(e.inspectorUrl).port));
      assert.equal(e.config.continueOnAttach, true);
      assert.equal(e.config.sourceMaps, true);
      assert.ok(e.config.skipFiles.includes('<node_internals>/**'));
      assert.ok(e.config.skipFiles.includes(join(repoRoot, 'dist', '**')));
      assert.equal(run, end.runId);
    }
    assert.equal(js.hits.length, 1, 'the breakpoint in add was hit once');
    assert.equal(js.hits[0].value, 0, 'this.count before the increment');
    assert.match(js.hits[0].url, /flow-[0-9a-f]+\.js$/);
    assert.ok(js.hits[0].pathspec.includes('/add/'));

    const text = adapter.text();
    assert.match(text, /\[\d+\/add\/\d+ \(pid \d+\)\] The count is 0 before incrementing/);
    assert.match(text, new RegExp(`Run ${end.runId} succeeded`));
    assert.equal((await exited).body.exitCode, 0);
    await terminated;
    const run = await Flow('CounterFlow', { root: join(dir, '.stepwise') }).latestRun();
    assert.equal(run.id, end.runId);
    assert.equal(run.status, 'succeeded');
    assert.equal(await (await run.step('end').task()).data('count'), 2);
  });

  it('a breakpoint in a foreach step stops once in every split task, each seeing its own this.input', async () => {
    const dir = scratch('foreach.ts');
    const flow = join(dir, 'foreach.ts');
    adapter = new AdapterUnderTest(dir);
    const js = new FakeJsDebug(adapter, dir, {
      step: 'analyzeCreatures',
      file: flow,
      line: lineOf(flow, 'this.creature = this.input'),
      evaluate: 'this.input',
    });
    await adapter.launch({ flow, command: 'run', __stepwiseAttach: true }, () => js.configure());
    const end = await adapter.runFinished();
    await js.settled();
    assert.equal(end.status, 'succeeded', adapter.text());
    assert.deepEqual(
      js.hits.map((h) => h.value),
      ['bird', 'mouse', 'dog'],
    );
    assert.equal(new Set(js.hits.map((h) => h.pathspec)).size, 3, 'three tasks, three sessions');
    assert.equal(maxAlive(adapter.runEvents), 1);
  });

  it('a breakpoint with the condition current.pass === 3 stops only in the 3rd pass of a loop, seeing that pass', async () => {
    const dir = scratch();
    const flow = join(dir, 'switch_loop.ts');
    writeFileSync(flow, readFileSync(join(repoRoot, 'test', 'fixtures', 'runtime', 'switch_loop.ts')));
    adapter = new AdapterUnderTest(dir);
    const js = new FakeJsDebug(adapter, dir, {
      step: 'refine',
      file: flow,
      line: lineOf(flow, 'this.status = this.total'),
      evaluate: '[current.pass, this.total, this.seen.join()]',
      condition: 'current.pass === 3',
    });
    await adapter.launch({ flow, command: 'run', params: { passes: 4 }, __stepwiseAttach: true }, () => js.configure());
    const end = await adapter.runFinished();
    await js.settled();
    assert.equal(end.status, 'succeeded', adapter.text());
    assert.deepEqual(
      js.hits.map((h) => h.value),
      [[3, 3, '1,2,3']],
    );
    const refine = started(adapter).filter((e) => e.step === 'refine');
    assert.equal(refine.length, 4);
    assert.equal(js.hits[0].pathspec.split('/').slice(2).join('/'), `refine/${refine[2].taskId}`);
  });

  it('a step that exits its own process under the debugger fails the run with the reason, keeps what was stored, and ends the session', async () => {
    const dir = scratch();
    const flow = join(dir, 'dies.ts');
    writeFileSync(
      flow,
      [
        "import { FlowSpec, step } from 'stepwise';",
        'export default class DiesFlow extends FlowSpec {',
        '  declare kept: number;',
        '  @step start() {',
        '    this.kept = 7;',
        '    this.next(this.crash);',
        '  }',
        '  @step crash() {',
        '    process.exit(3);',
        '    this.next(this.end);',
        '  }',
        '  @step end() {}',
        '}',
        '',
      ].join('\n'),
    );
    adapter = new AdapterUnderTest(dir);
    const js = new FakeJsDebug(adapter, dir);
    const exited = adapter.dc.waitForEvent('exited', 90_000);
    const terminated = adapter.dc.waitForEvent('terminated', 90_000);
    await adapter.launch({ flow, command: 'run', __stepwiseAttach: true }, everyTaskCanStop(adapter));
    const end = await adapter.runFinished();
    await js.settled();
    assert.equal(end.status, 'failed');
    assert.match(end.failedTasks[0], /\/crash\/\d+$/);
    assert.match(adapter.text(), /exited with code 3 before recording a result/);
    assert.equal((await exited).body.exitCode, 1);
    await terminated;
    const run = await Flow('DiesFlow', { root: join(dir, '.stepwise') }).latestRun();
    assert.equal(await (await run.step('start').task()).data('kept'), 7, 'the upstream artifact is still there');
  });

  it('runs one task at a time by default: each task starts after the previous process is gone', async () => {
    const dir = scratch('foreach.ts');
    adapter = new AdapterUnderTest(dir);
    const pidsAliveAtStart: number[] = [];
    const a = adapter;
    adapter.dc.on(ATTACH_EVENT, () => {
      const pids = started(a).map((e) => e.pid);
      pidsAliveAtStart.push(pids.slice(0, -1).filter(isAlive).length);
    });
    const js = new FakeJsDebug(adapter, dir);
    await adapter.launch({ flow: join(dir, 'foreach.ts'), __stepwiseAttach: true }, everyTaskCanStop(adapter));
    const end = await adapter.runFinished();
    await js.settled();
    assert.equal(end.status, 'succeeded', adapter.text());
    assert.equal(started(adapter).length, 6, 'start, 3 × analyzeCreatures, join, end');
    assert.equal(maxAlive(adapter.runEvents), 1);
    assert.deepEqual(pidsAliveAtStart, [0, 0, 0, 0, 0, 0]);
    assert.match(adapter.text(), /mouse won!/);
  });

  it('without an attaching client, or with noDebug, runs tasks without the inspector', async () => {
    for (const args of [{ __stepwiseAttach: true, noDebug: true }, {}]) {
      const dir = scratch('hello.ts');
      adapter = new AdapterUnderTest(dir);
      await adapter.launch({ flow: join(dir, 'hello.ts'), maxWorkers: 2, ...args });
      const end = await adapter.runFinished();
      assert.equal(end.status, 'succeeded', adapter.text());
      assert.equal(adapter.attachEvents.length, 0);
      assert.equal(started(adapter).length, 3);
      assert.ok(started(adapter).every((e) => e.inspectorUrl === undefined));
      assert.match(adapter.text(), /Hello World!/);
      await adapter.close();
    }
  });

  it('shows a failed step with its TypeScript location, then resume clones the upstream tasks and stops in b again', async () => {
    const dir = scratch('debug.ts');
    const flow = join(dir, 'debug.ts');
    const parseLine = lineOf(flow, 'JSON.parse');
    adapter = new AdapterUnderTest(dir);
    await adapter.launch({ flow, command: 'run', noDebug: true });
    const failed = await adapter.runFinished();
    assert.equal(failed.status, 'failed');
    assert.equal(failed.failedTasks.length, 1);
    assert.match(failed.failedTasks[0], /\/b\/\d+$/);
    assert.match(adapter.text(), /Step failure: step b \(task \d+\) failed/);
    assert.match(adapter.text(), new RegExp(`debug\\.ts:${parseLine}:\\d+`));
    const located = adapter.outputEvents.find((e) => e.body.output.includes('Task failed.'));
    assert.ok(located, 'a "Task failed." line');
    assert.equal(located.body.category, 'stderr');
    assert.equal(located.body.source?.path, flow);
    assert.equal(located.body.line, parseLine);
    await adapter.close();

    writeFileSync(flow, readFileSync(flow, 'utf8').replace("JSON.parse('2fail')", "JSON.parse('2')"));
    adapter = new AdapterUnderTest(dir);
    const js = new FakeJsDebug(adapter, dir, { step: 'b', file: flow, line: parseLine, evaluate: 'typeof this.x' });
    await adapter.launch({ flow, command: 'resume', __stepwiseAttach: true }, () => js.configure());
    const end = await adapter.runFinished();
    await js.settled();
    assert.equal(end.status, 'succeeded', adapter.text());
    assert.notEqual(end.runId, failed.runId);
    const finished = adapter.runEvents
      .map((e) => e.event)
      .filter((e): e is Extract<RunEventBody, { type: 'taskFinished' }> => e.type === 'taskFinished');
    assert.deepEqual(
      finished
        .filter((e) => e.cloned)
        .map((e) => e.step)
        .sort(),
      ['a', 'start'],
    );
    assert.deepEqual(
      started(adapter)
        .map((e) => e.step)
        .sort(),
      ['b', 'end', 'join'],
    );
    // Only b can stop (the breakpoint's step): join and end ran without the debugger.
    assert.deepEqual(
      adapter.attachEvents.map((e) => e.pathspec.split('/')[2]),
      ['b'],
    );
    assert.equal(js.hits.length, 1);
    assert.equal(js.hits[0].value, 'undefined', 'stopped before the assignment');
    assert.match(adapter.text(), /total is 3/);
    const run = await Flow('DebugFlow', { root: join(dir, '.stepwise') }).latestRun();
    assert.equal(run.originRunId, failed.runId);
  });

  it('with "Caught Exceptions" on and the runtime skipped (as skipFiles does), a failing step stops only at its throw', async () => {
    const dir = scratch('debug.ts');
    adapter = new AdapterUnderTest(dir);
    const pauses: Array<{ task: string; fn: string; text: string }> = [];
    const sessions: Promise<void>[] = [];
    adapter.dc.on(ATTACH_EVENT, (e: { body: AttachEventBody }) => {
      sessions.push(
        (async () => {
          const cdp = await CdpClient.connect(e.body.inspectorUrl);
          cdp.on('Debugger.paused', (p) => {
            const frames = p.callFrames as Array<{ functionName: string }>;
            if (p.reason === 'exception')
              pauses.push({
                task: e.body.config.name,
                fn: frames[0].functionName,
                text: String((p.data as { description?: string }).description).split('\n')[0],
              });
            void cdp.send('Debugger.resume');
          });
          await cdp.send('Debugger.enable');
          await cdp.send('Debugger.setBlackboxPatterns', {
            patterns: e.body.config.skipFiles
              .filter((f) => !f.startsWith('<'))
              .map((f) => f.replace(/\*\*$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
          });
          await cdp.send('Debugger.setPauseOnExceptions', { state: 'all' });
          await cdp.send('Runtime.runIfWaitingForDebugger');
          await cdp.closed;
        })(),
      );
    });
    await adapter.launch({ flow: join(dir, 'debug.ts'), __stepwiseAttach: true }, () =>
      adapter!.dc.setExceptionBreakpointsRequest({ filters: ['all'] }),
    );
    assert.equal((await adapter.runFinished()).status, 'failed');
    await Promise.all(sessions);
    assert.equal(pauses.length, 1, JSON.stringify(pauses));
    assert.match(pauses[0].task, /^\d+\/b\/\d+$/);
    assert.equal(pauses[0].fn, 'b');
    assert.match(pauses[0].text, /^SyntaxError/);
  });

  it('Stop kills the waiting task process and marks the run killed', async () => {
    const dir = scratch('hello.ts');
    adapter = new AdapterUnderTest(dir);
    const firstAttach = adapter.dc.waitForEvent(ATTACH_EVENT);
    await adapter.launch({ flow: join(dir, 'hello.ts'), __stepwiseAttach: true }, everyTaskCanStop(adapter));
    const body = (await firstAttach).body as AttachEventBody;
    assert.ok(isAlive(body.pid), 'the task waits for a debugger');
    await adapter.dc.terminateRequest();
    const end = await adapter.runFinished();
    assert.equal(end.status, 'killed');
    assert.equal(isAlive(body.pid), false, `task pid ${body.pid} is gone`);
    await adapter.dc.disconnectRequest({});
    assert.equal(await adapter.exited, 0);
    const run = await Flow('HelloWorldFlow', { root: join(dir, '.stepwise') }).latestRun();
    assert.equal(run.status, 'killed');
    assert.equal(started(adapter).length, 1, 'nothing ran after the stop');
  });

  it('closing the adapter without a disconnect still kills the run (no orphans)', async () => {
    const dir = scratch('hello.ts');
    adapter = new AdapterUnderTest(dir);
    const firstAttach = adapter.dc.waitForEvent(ATTACH_EVENT);
    await adapter.launch({ flow: join(dir, 'hello.ts'), __stepwiseAttach: true }, everyTaskCanStop(adapter));
    const body = (await firstAttach).body as AttachEventBody;
    adapter.child.stdin!.end();
    assert.equal(await adapter.exited, 0);
    assert.equal(isAlive(body.pid), false, `task pid ${body.pid} is gone`);
    const run = await Flow('HelloWorldFlow', { root: join(dir, '.stepwise') }).latestRun();
    assert.equal(run.status, 'killed');
  });

  it('Restart kills the run and starts a new one', async () => {
    const dir = scratch('hello.ts');
    adapter = new AdapterUnderTest(dir);
    const firstAttach = adapter.dc.waitForEvent(ATTACH_EVENT);
    const args = { flow: join(dir, 'hello.ts'), __stepwiseAttach: true };
    await adapter.launch(args, everyTaskCanStop(adapter));
    const first = (await firstAttach).body as AttachEventBody;
    const js = new FakeJsDebug(adapter, dir);
    await adapter.dc.restartRequest({ arguments: args } as never);
    const killed = await adapter.runFinished(1);
    assert.equal(killed.status, 'killed');
    assert.equal(isAlive(first.pid), false);
    const second = await adapter.runFinished(2);
    await js.settled();
    assert.equal(second.status, 'succeeded', adapter.text());
    assert.notEqual(second.runId, killed.runId);
  });

  it('passes params, env and tags from the launch configuration; a missing required parameter fails the launch naming it', async () => {
    const dir = scratch('parameters.ts');
    const flow = join(dir, 'parameters.ts');
    adapter = new AdapterUnderTest(dir);
    await assert.rejects(adapter.launch({ flow, params: { count: 10 } }), /--creature is required/);
    await adapter.close();

    adapter = new AdapterUnderTest(dir);
    await adapter.launch({ flow, params: { creature: 'seal', count: 10 }, env: { STEPWISE_RUN_RATIO: '0.3' }, tags: ['debugged'] });
    const end = await adapter.runFinished();
    assert.equal(end.status, 'succeeded', adapter.text());
    const text = adapter.text();
    assert.match(text, /seal is a string of 4 characters/);
    assert.match(text, /Count is an integer: 10\+1=11/);
    assert.match(text, /Ratio is a number whose value is 0\.3/);
    const run = await Flow('ParameterFlow', { root: join(dir, '.stepwise') }).latestRun();
    assert.deepEqual(run.tags, ['debugged']);
  });

  it('a flow with lint errors fails the launch with one clear message and ends the session', async () => {
    const dir = scratch();
    const flow = join(repoRoot, 'test', 'fixtures', 'invalid', 'no_end.ts');
    adapter = new AdapterUnderTest(dir);
    const terminated = adapter.dc.waitForEvent('terminated');
    await assert.rejects(adapter.launch({ flow, cwd: dir }), (err: Error) => {
      assert.match(err.message, /the flow has \d+ errors?; fix/);
      assert.match(err.message, /no_end\.ts:\d+:\d+: error SW\d+/);
      return true;
    });
    await terminated;
    assert.equal(adapter.attachEvents.length, 0);
  });
});
