/**
 * Debugging at scale: F5 with a breakpoint in the join of a 100-task foreach attaches js-debug to
 * the join alone (no task session for the 100 split tasks, which run at full speed) and stops
 * there with every input readable; every task still runs and is reported.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEBUG_TYPE, RUN_EVENT, type RunEventBody } from '../../../runtime/src/debug/protocol';
import { evaluate, nextRun, nextStop, noSessionLeft, taskSessionNames, topFrame } from './debugging';
import { activateStepwise, openInEditor, screenshot, workspaceFile } from './support';

const FLOW = `import { FlowSpec, step, type Inputs } from 'stepwise';

export default class WideFlow extends FlowSpec {
  declare items: number[];
  declare square: number;
  declare total: number;

  @step start() {
    this.items = Array.from({ length: 100 }, (_, i) => i);
    this.next(this.square_it, { foreach: 'items' });
  }

  @step square_it() {
    this.square = (this.input as number) ** 2;
    this.next(this.join);
  }

  @step join(inputs: Inputs<WideFlow>) {
    this.total = inputs.reduce((s, i) => s + i.square, 0);
    this.next(this.end);
  }

  @step end() {
    console.log('total', this.total);
  }
}
`;

describe('Debugging at scale: a breakpoint in the join of a 100-task foreach', () => {
  after(() => vscode.debug.removeBreakpoints(vscode.debug.breakpoints));

  it('F5 stops in the join with its 100 inputs readable, and only the join gets a task session', async function () {
    this.timeout(300_000);
    await activateStepwise();
    const file = workspaceFile('debugging-wide/wide.ts');
    await vscode.workspace.fs.createDirectory(workspaceFile('debugging-wide'));
    await vscode.workspace.fs.writeFile(file, Buffer.from(FLOW));
    await openInEditor('debugging-wide/wide.ts');
    await noSessionLeft();

    const line = FLOW.split('\n').findIndex((l) => l.includes('this.total = inputs'));
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(file, new vscode.Position(line, 0)))]);
    const started: string[] = [];
    const watching = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      const body = e.body as RunEventBody;
      if (e.event === RUN_EVENT && body.type === 'taskStarted') started.push(body.step);
    });
    const sessions = taskSessionNames();
    try {
      const run = nextRun(240_000);
      const stopped = nextStop('join', 240_000);
      assert.ok(
        await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(file), {
          type: DEBUG_TYPE,
          request: 'launch',
          name: 'Debug WideFlow',
          flow: file.fsPath,
        }),
      );
      const stop = await stopped;
      assert.equal((await topFrame(stop)).line, line + 1);
      assert.equal(await evaluate(stop, 'inputs.length'), '100');
      assert.equal(await evaluate(stop, 'inputs[99].square'), '9801');
      assert.equal(started.filter((s) => s === 'square_it').length, 100, 'every split task ran before the join');
      assert.deepEqual(
        sessions.names.map((n) => n.split('/')[1]),
        ['join'],
        'one task session: the join (the split tasks cannot stop, so none is attached)',
      );

      await vscode.commands.executeCommand('workbench.view.debug');
      await screenshot('debug-wide-join-stopped', ['.debug-top-stack-frame-line', '.debug-toolbar']);
      await stop.session.customRequest('continue', { threadId: stop.threadId });
      const end = await run.finished;
      await run.terminated;
      assert.equal(end.status, 'succeeded');
      assert.equal(sessions.names.length, 1, 'the end step, after the join, is not attached either');
      assert.equal(started.length, 103, 'start, 100 split tasks, the join and end');
      await noSessionLeft();
    } finally {
      watching.dispose();
      sessions.dispose();
    }
  });
});
