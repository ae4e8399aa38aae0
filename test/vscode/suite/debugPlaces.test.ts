/**
 * More of F5 in a real VS Code: a breakpoint in a local module the flow imports, a breakpoint set
 * while the debugger is stopped (it binds in a later task), the DAG preview naming the paused
 * task, and required parameters asked for in an input box (typed as a user would) and offered
 * again on the next F5.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEBUG_TYPE, RUN_EVENT, type RunEventBody } from '../../../runtime/src/debug/protocol';
import { isAlive } from '../../support/process';
import { SCREENSHOT_DIR_ENV } from '../screenshotProtocol';
import { evaluate, launchFlow, nextRun, nextStop, runWithoutDebugging, taskSessionNames, topFrame } from './debugging';
import { activateStepwise, openInEditor, saveEdited, screenshot, waitFor, workspaceFile } from './support';

const SCALE = `/** A local module the flow imports. */
export function scale(x: number): number {
  const scaled = x * 10;
  return scaled;
}
`;

const FLOW = `import { FlowSpec, step } from 'stepwise';
import { scale } from './lib/scale';

export default class ImportingFlow extends FlowSpec {
  declare x: number;
  declare y: number;

  @step start() {
    this.x = 4;
    this.next(this.mid);
  }

  @step mid() {
    this.y = scale(this.x);
    this.next(this.end);
  }

  @step end() {
    console.log('y is', this.y);
  }
}
`;

const FAILS = `import { FlowSpec, step } from 'stepwise';

export default class FailsOnceFlow extends FlowSpec {
  declare n: number;

  @step start() {
    this.n = 1;
    this.next(this.boom);
  }

  @step boom() {
    if (this.n > 0) throw new Error('boom');
    this.next(this.end);
  }

  @step end() {
    console.log('n is', this.n);
  }
}
`;

/** `run/step/task` → run */
function taskRun(name: string): string {
  return name.split('/')[0];
}

const EXITS = `import { FlowSpec, step } from 'stepwise';

export default class ExitsFlow extends FlowSpec {
  declare n: number;

  @step start() {
    this.n = 1;
    this.next(this.quit);
  }

  @step quit() {
    process.exit(3);
    this.next(this.end);
  }

  @step end() {}
}
`;

/** ImportingFlow and the module it imports, written into the workspace (each test's own copy). */
async function writeImportingFlow(): Promise<{ flow: vscode.Uri; lib: vscode.Uri }> {
  const flow = workspaceFile('debugging-imports/imports.ts');
  const lib = workspaceFile('debugging-imports/lib/scale.ts');
  await vscode.workspace.fs.createDirectory(workspaceFile('debugging-imports/lib'));
  await vscode.workspace.fs.writeFile(lib, Buffer.from(SCALE));
  await vscode.workspace.fs.writeFile(flow, Buffer.from(FLOW));
  return { flow, lib };
}

function lineIn(text: string, needle: string): number {
  const line = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return line;
}

function breakpointAt(uri: vscode.Uri, line: number): vscode.SourceBreakpoint {
  return new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(line, 0)));
}

describe('Debugging a flow: imported modules, breakpoints set while stopped, parameters', () => {
  afterEach(() => vscode.debug.removeBreakpoints(vscode.debug.breakpoints));

  it('stops in a local module the flow imports, shows the paused task on the preview, and binds a breakpoint set while stopped', async function () {
    this.timeout(180_000);
    const api = await activateStepwise();
    const { flow, lib } = await writeImportingFlow();
    await openInEditor('debugging-imports/imports.ts');

    vscode.debug.addBreakpoints([breakpointAt(lib, lineIn(SCALE, 'x * 10'))]);
    const run = nextRun();
    const inMid = nextStop('mid');
    await launchFlow(flow, 'Debug ImportingFlow');
    const stop = await inMid;
    // The test's own focus on the stop (js-debug focuses it too; this makes the order certain).
    assert.ok(vscode.debug.activeStackItem, 'a stack frame is focused');
    const at = await topFrame(stop);
    assert.equal(at.path, lib.fsPath, 'the stop is in the imported module');
    assert.equal(at.line, lineIn(SCALE, 'x * 10') + 1);
    assert.equal(await evaluate(stop, 'x'), '4');

    // The DAG preview marks the task the debugger holds.
    const painted = new Promise<void>((resolve) => {
      const sub = api.preview.onDidRender(() => {
        sub.dispose();
        resolve();
      });
    });
    await api.preview.show(flow);
    await painted;
    await waitFor(
      'the paused task on the preview',
      api.preview.onDidChangeRuns,
      () => (api.preview.runView().overlay?.pausedTask === stop.task.name ? true : undefined),
      30_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; the preview shows ${JSON.stringify(api.preview.runView().overlay)}`);
    });
    await screenshot('debug-paused-task-on-preview', ['iframe.webview.ready']);

    // Set while stopped in `mid`: binds in the `end` task, which has not started yet.
    vscode.debug.addBreakpoints([breakpointAt(flow, lineIn(FLOW, "console.log('y is'"))]);
    const inEnd = nextStop('end');
    await stop.session.customRequest('continue', { threadId: stop.threadId });
    const second = await inEnd;
    assert.equal((await topFrame(second)).line, lineIn(FLOW, "console.log('y is'") + 1);
    assert.equal(await evaluate(second, 'this.y'), '40');
    await second.session.customRequest('continue', { threadId: second.threadId });
    assert.equal((await run.finished).status, 'succeeded');
    await run.terminated;
  });

  it('asks for a required parameter in an input box, runs with it, and offers the same value on the next F5', async function () {
    this.timeout(180_000);
    // The value is typed through the browser, as a user types it.
    if (!process.env[SCREENSHOT_DIR_ENV]) this.skip();
    await activateStepwise();
    const { document } = await openInEditor('flows/parameters.ts');
    const lines: string[] = [];
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: { type?: string; event?: string; body?: { output?: string } }) => {
          if (m.type === 'event' && m.event === 'output' && m.body?.output) lines.push(m.body.output);
        },
      }),
    });
    try {
      for (const [attempt, typed] of [
        ['first', 'dog'],
        ['second', ''],
      ] as const) {
        lines.length = 0;
        const run = nextRun();
        // No `flow`: as F5 without a launch.json, the provider fills in the active editor's file.
        const started = vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(document.uri), {
          type: DEBUG_TYPE,
          request: 'launch',
          name: `Debug ParameterFlow (${attempt})`,
        });
        // The first time the box is empty and 'dog' is typed; the second time it offers 'dog'.
        await screenshot(
          `debug-parameter-input-${attempt}`,
          ['.quick-input-widget .quick-input-box input'],
          20_000,
          'Enter',
          typed || undefined,
        );
        assert.ok(await started);
        const session = await run.session;
        assert.deepEqual(session.configuration.params, { creature: 'dog' });
        assert.equal((await run.finished).status, 'succeeded', `the ${attempt} run printed:\n${lines.join('')}`);
        await run.terminated;
        assert.ok(
          lines.some((l) => l.includes('dog is a string of 3 characters')),
          `the run printed: ${lines.join('')}`,
        );
      }
    } finally {
      tracker.dispose();
    }
  });

  it('Resume Last Run (Debug) offers the latest run and its failed step first, then debugs the resume from that step', async function () {
    this.timeout(180_000);
    // The pickers are answered through the browser, as a user answers them.
    if (!process.env[SCREENSHOT_DIR_ENV]) this.skip();
    await activateStepwise();
    const flow = workspaceFile('debugging-resume/fails.ts');
    await vscode.workspace.fs.createDirectory(workspaceFile('debugging-resume'));
    await vscode.workspace.fs.writeFile(flow, Buffer.from(FAILS));
    const editor = await openInEditor('debugging-resume/fails.ts');

    // A failed run to resume (run without the debugger: Ctrl+F5).
    const failed = await runWithoutDebugging(flow, 'Run FailsOnceFlow');
    assert.equal(failed.status, 'failed');

    // The fix, and a breakpoint in the step that failed.
    await editor.edit((e) => {
      const line = lineIn(FAILS, 'this.n > 0');
      const col = FAILS.split('\n')[line].indexOf('this.n > 0');
      e.replace(new vscode.Range(line, col, line, col + 'this.n > 0'.length), 'this.n > 1');
    });
    await saveEdited(editor.document);
    vscode.debug.addBreakpoints([breakpointAt(flow, lineIn(FAILS, 'this.next(this.end)'))]);

    const sessions = taskSessionNames();
    const tasks = sessions.names;
    try {
      const resumed = nextRun();
      const stopped = nextStop('boom');
      void vscode.commands.executeCommand('stepwise.resumeDebug', flow);
      await screenshot(
        'resume-debug-pick-run',
        [`.quick-input-title:has-text("origin run")`, `.quick-input-list .monaco-list-row.focused:has-text("${failed.runId}")`],
        20_000,
        'Enter',
      );
      await screenshot(
        'resume-debug-pick-step',
        ['.quick-input-title:has-text("re-run from step")', '.quick-input-list .monaco-list-row.focused:has-text("boom")'],
        20_000,
        'Enter',
      );
      const session = await resumed.session;
      assert.equal(session.configuration.command, 'resume');
      assert.equal(session.configuration.originRunId, failed.runId);
      assert.equal(session.configuration.step, 'boom');
      const stop = await stopped;
      assert.equal((await topFrame(stop)).line, lineIn(FAILS, 'this.next(this.end)') + 1);
      await stop.session.customRequest('continue', { threadId: stop.threadId });
      assert.equal((await resumed.finished).status, 'succeeded');
      await resumed.terminated;
      assert.deepEqual(
        tasks.map((t) => t.split('/')[1]),
        ['boom'],
        '`start` is cloned, not re-run; `end` cannot stop, so it runs without the debugger',
      );
    } finally {
      sessions.dispose();
    }
  });

  it('Stop while stopped at a breakpoint kills the task process, records the run as killed, and ends every session', async function () {
    this.timeout(120_000);
    await activateStepwise();
    const { flow } = await writeImportingFlow();
    vscode.debug.addBreakpoints([breakpointAt(flow, lineIn(FLOW, 'this.y = scale(this.x)'))]);
    const pids = new Map<string, number>();
    const watching = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      const body = e.body as RunEventBody;
      if (e.event === RUN_EVENT && body.type === 'taskStarted') pids.set(body.step, body.pid);
    });
    const ended: string[] = [];
    const ending = vscode.debug.onDidTerminateDebugSession((s) => ended.push(s.name));
    try {
      const run = nextRun();
      const inMid = nextStop('mid');
      await launchFlow(flow, 'Debug ImportingFlow');
      const parent = await run.session;
      const stop = await inMid;
      const pid = pids.get('mid');
      assert.ok(pid && isAlive(pid), 'the paused task process is alive');

      await vscode.debug.stopDebugging(parent);
      const end = await run.finished;
      await run.terminated;
      assert.equal(end.status, 'killed');
      assert.ok(!isAlive(pid), `task process ${pid} is gone`);
      await waitFor(
        'the task session to end',
        vscode.debug.onDidTerminateDebugSession,
        () => (ended.includes(stop.task.name) ? true : undefined),
        20_000,
      );
    } finally {
      watching.dispose();
      ending.dispose();
    }
  });

  it('Restart while stopped in a task re-runs the flow in the same Stepwise session and stops again', async function () {
    this.timeout(180_000);
    await activateStepwise();
    const { flow } = await writeImportingFlow();
    await openInEditor('debugging-imports/imports.ts');
    vscode.debug.addBreakpoints([breakpointAt(flow, lineIn(FLOW, 'this.y = scale(this.x)'))]);
    const runIds: string[] = [];
    const ends = new Map<string, string>();
    const watching = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      const body = e.body as RunEventBody;
      if (e.event === RUN_EVENT && body.type === 'runStarted') runIds.push(body.run.runId);
      if (e.event === RUN_EVENT && body.type === 'runFinished') ends.set(body.runId, body.status);
    });
    try {
      const run = nextRun();
      const first = nextStop('mid');
      await launchFlow(flow, 'Debug ImportingFlow');
      const parent = await run.session;
      const stop = await first;

      // The toolbar's Restart acts on the focused session: the task's, whose lifecycle is its parent's.
      const again = nextStop('mid');
      await vscode.commands.executeCommand('workbench.action.debug.restart');
      const second = await again;
      assert.equal(taskRun(second.task.name) === taskRun(stop.task.name), false, 'a new run');
      assert.equal(second.task.parentSession?.id, parent.id, 'in the same Stepwise session');
      assert.equal(runIds.length, 2);
      await second.session.customRequest('continue', { threadId: second.threadId });
      await run.terminated;
      assert.equal(ends.get(runIds[0]), 'killed', 'the restarted run is recorded as killed');
      assert.equal(ends.get(runIds[1]), 'succeeded');
    } finally {
      watching.dispose();
    }
  });

  it('a step that exits its process under the debugger fails the run with the reason instead of hanging', async function () {
    this.timeout(120_000);
    await activateStepwise();
    const flow = workspaceFile('debugging-exit/exits.ts');
    await vscode.workspace.fs.createDirectory(workspaceFile('debugging-exit'));
    await vscode.workspace.fs.writeFile(flow, Buffer.from(EXITS));
    const run = nextRun(60_000);
    await launchFlow(flow, 'Debug ExitsFlow');
    const end = await run.finished;
    await run.terminated;
    assert.equal(end.status, 'failed');
    assert.match(end.failedTasks[0], /\/quit\/\d+$/);
  });
});
