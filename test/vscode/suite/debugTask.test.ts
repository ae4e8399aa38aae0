/**
 * Debug Task (the explorer's task node): a past foreach task re-runs as a `spin` under the
 * debugger and stops at a breakpoint in it, seeing that task's own `this.input`; the original
 * run is left as it was. From a DAG preview node: Resume Run from This Step (Debug), then Debug
 * Task on the join of the run the preview shows.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { RUN_EVENT, type RunEventBody } from '../../../runtime/src/debug/protocol';
import { Flow } from '../../../runtime/src/client';
import { evaluate, nextRun, nextStop, noSessionLeft, runWithoutDebugging, topFrame } from './debugging';
import { SCREENSHOT_DIR_ENV } from '../screenshotProtocol';
import { activateStepwise, screenshot, waitFor, writeAndOpen } from './support';

const FLOW = `import { FlowSpec, step, type Inputs } from 'stepwise';

export default class PickFlow extends FlowSpec {
  declare items: string[];
  declare got: string;

  @step start() {
    this.items = ['x', 'y', 'z'];
    this.next(this.each, { foreach: 'items' });
  }

  @step each() {
    this.got = String(this.input).toUpperCase();
    this.next(this.join);
  }

  @step join(inputs: Inputs<PickFlow>) {
    this.got = inputs.map((i) => i.got).join();
    this.next(this.end);
  }

  @step end() {}
}
`;

describe('Debugging one past task (Debug Task)', () => {
  after(() => vscode.debug.removeBreakpoints(vscode.debug.breakpoints));

  it('Debug Task on a foreach task of a finished run stops in that task with its this.input, in a spin run', async function () {
    this.timeout(240_000);
    await activateStepwise();
    const file = await writeAndOpen('debugging-task/pick.ts', FLOW);

    // A finished run to take the task from (Ctrl+F5's way: no debugger).
    const each: string[] = [];
    const collecting = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      const body = e.body as RunEventBody;
      if (e.event === RUN_EVENT && body.type === 'taskStarted' && body.step === 'each') each.push(body.taskId);
    });
    const origin = await runWithoutDebugging(file, 'Run PickFlow');
    collecting.dispose();
    assert.equal(origin.status, 'succeeded');
    assert.equal(each.length, 3);

    const line = FLOW.split('\n').findIndex((l) => l.includes('this.got = String(this.input)'));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(file, new vscode.Position(line, 0)))]);
    const spin = nextRun();
    const stopped = nextStop('each');
    // The explorer's task node, as the tree passes it to its context menu's command.
    const node = {
      kind: 'task',
      flow: 'PickFlow',
      runId: origin.runId,
      step: 'each',
      taskId: each[1],
      pathspec: `PickFlow/${origin.runId}/each/${each[1]}`,
      file: file.fsPath,
    };
    void vscode.commands.executeCommand('stepwise.explorer.debugTask', node);
    const session = await spin.session;
    assert.equal(session.configuration.command, 'spin');
    assert.equal(session.configuration.pathspec, `${origin.runId}/each/${each[1]}`);
    const stop = await stopped;
    assert.equal((await topFrame(stop)).line, line + 1);
    assert.equal(await evaluate(stop, 'this.input'), "'y'");
    const spinRunId = stop.task.name.split('/')[0];
    assert.notEqual(spinRunId, origin.runId, 'a run of its own');

    await vscode.commands.executeCommand('workbench.view.debug');
    await screenshot('debug-task-stopped', ['.debug-top-stack-frame-line', '.debug-toolbar']);
    await stop.session.customRequest('continue', { threadId: stop.threadId });
    const done = await spin.finished;
    await spin.terminated;
    assert.equal(done.status, 'succeeded');
    assert.equal(done.runId, spinRunId);
  });

  it('from a DAG preview node: Resume Run from This Step (Debug), then Debug Task on the join of the run shown', async function () {
    this.timeout(240_000);
    const api = await activateStepwise();
    const file = await writeAndOpen('debugging-task/pick.ts', FLOW);
    await noSessionLeft();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    const shown = (runId: string) =>
      waitFor(`run ${runId} in the preview`, api.preview.onDidChangeRuns, () =>
        api.preview.runView().overlay?.runId === runId ? true : undefined,
      );

    const origin = await runWithoutDebugging(file, 'Run PickFlow');
    assert.equal(origin.status, 'succeeded');
    await vscode.commands.executeCommand('stepwise.showDag', file);
    await shown(origin.runId);

    const line = FLOW.split('\n').findIndex((l) => l.includes('this.got = inputs.map'));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(file, new vscode.Position(line, 0)))]);
    // What the node's context menu passes (webview/context, data-vscode-context on the node).
    const joinNode = { webview: 'stepwise.dag', webviewSection: 'step', step: 'join' };

    await noSessionLeft();
    const resumed = nextRun();
    const inResume = nextStop('join');
    assert.equal(await vscode.commands.executeCommand('stepwise.preview.resumeDebug', joinNode), true);
    const resumeSession = await resumed.session;
    assert.equal(resumeSession.configuration.command, 'resume');
    assert.equal(resumeSession.configuration.originRunId, origin.runId);
    assert.equal(resumeSession.configuration.step, 'join');
    const r = await inResume;
    assert.equal(await evaluate(r, 'inputs.length'), '3');
    await r.session.customRequest('continue', { threadId: r.threadId });
    const resumedEnd = await resumed.finished;
    await resumed.terminated;
    assert.equal(resumedEnd.status, 'succeeded');

    // The preview follows the newest run: Debug Task on its join (a step with one task: that task).
    await shown(resumedEnd.runId);
    const [joinTask] = await (await Flow('PickFlow', { root: api.explorer.root() }).run(resumedEnd.runId)).step('join').tasks();
    await noSessionLeft();
    const spin = nextRun();
    const inSpin = nextStop('join');
    void vscode.commands.executeCommand('stepwise.preview.debugTask', joinNode);
    const spinSession = await spin.session;
    assert.equal(spinSession.configuration.command, 'spin');
    assert.equal(spinSession.configuration.pathspec, `${resumedEnd.runId}/join/${joinTask.id}`);
    const stop = await inSpin;
    assert.equal((await topFrame(stop)).line, line + 1);
    assert.equal(await evaluate(stop, "inputs.map((i) => i.got).join('')"), "'XYZ'");
    assert.notEqual(stop.task.name.split('/')[0], resumedEnd.runId, 'a spin run of its own');
    await screenshot('debug-task-from-dag-node', ['.debug-top-stack-frame-line', 'iframe.webview.ready']);
    await stop.session.customRequest('continue', { threadId: stop.threadId });
    assert.equal((await spin.finished).status, 'succeeded');
    await spin.terminated;
  });

  it('Debug Task on a foreach step node asks which task, and debugs the one picked', async function () {
    this.timeout(240_000);
    // The pick is answered through the browser, as a user answers it.
    if (!process.env[SCREENSHOT_DIR_ENV]) this.skip();
    const api = await activateStepwise();
    const file = await writeAndOpen('debugging-task/pick.ts', FLOW);
    await noSessionLeft();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);

    const origin = await runWithoutDebugging(file, 'Run PickFlow');
    assert.equal(origin.status, 'succeeded');
    await vscode.commands.executeCommand('stepwise.showDag', file);
    await waitFor(`run ${origin.runId} in the preview`, api.preview.onDidChangeRuns, () =>
      api.preview.runView().overlay?.runId === origin.runId ? true : undefined,
    );
    const tasks = await (await Flow('PickFlow', { root: api.explorer.root() }).run(origin.runId)).step('each').tasks();
    assert.equal(tasks.length, 3);

    const line = FLOW.split('\n').findIndex((l) => l.includes('this.got = String(this.input)'));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(file, new vscode.Position(line, 0)))]);
    await noSessionLeft();
    const spin = nextRun();
    const stopped = nextStop('each');
    void vscode.commands.executeCommand('stepwise.preview.debugTask', { webview: 'stepwise.dag', webviewSection: 'step', step: 'each' });
    // The first of the three (item 0) is focused; Enter picks it (the shot with Enter is taken after it).
    const picker = [
      '.quick-input-title:has-text("Debug which task of each?")',
      `.quick-input-list .monaco-list-row.focused:has-text("${tasks[0].pathspec}")`,
    ];
    await screenshot('debug-task-pick-foreach-task', picker);
    await screenshot('debug-task-picked-foreach-task', picker, 20_000, 'Enter');
    const session = await spin.session;
    assert.equal(session.configuration.command, 'spin');
    assert.equal(session.configuration.pathspec, `${origin.runId}/each/${tasks[0].id}`);
    const stop = await stopped;
    assert.equal(await evaluate(stop, 'this.input'), "'x'");
    await stop.session.customRequest('continue', { threadId: stop.threadId });
    assert.equal((await spin.finished).status, 'succeeded');
    await spin.terminated;
  });
});
