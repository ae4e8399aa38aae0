/**
 * Debugging at scale: F5 with a breakpoint in the join of a 100-task foreach attaches js-debug to
 * the join alone (no task session for the 100 split tasks, which run at full speed) and stops
 * there with every input readable; every task still runs and is reported. With no breakpoint at
 * all, VS Code's Pause (on the Stepwise session) stops the next task before its step.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEBUG_TYPE, RUN_EVENT, type RunEventBody } from '../../../runtime/src/debug/protocol';
import { evaluate, launchFlow, nextRun, nextStop, noSessionLeft, taskSessionNames, topFrame } from './debugging';
import { activateStepwise, screenshot, waitFor, workspaceFile, writeAndOpen } from './support';

/** The 100-task foreach the debug bench measures (bench/fixtures/foreach100.ts). */
const FLOW = readFileSync(join(process.env.STEPWISE_TEST_REPO ?? '', 'bench', 'fixtures', 'foreach100.ts'), 'utf8');

const PAUSED = (go: string) => `import { existsSync } from 'node:fs';
import { FlowSpec, step } from 'stepwise';

export default class PausedFlow extends FlowSpec {
  declare done: boolean;

  @step start() {
    this.next(this.slow);
  }

  @step async slow() {
    // Runs until the test has pressed Pause.
    while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 20));
    this.next(this.end);
  }

  @step end() {
    this.done = true;
  }
}
`;

describe('Debugging at scale: a breakpoint in the join of a 100-task foreach', () => {
  after(() => vscode.debug.removeBreakpoints(vscode.debug.breakpoints));

  it('F5 stops in the join with its 100 inputs readable, and only the join gets a task session', async function () {
    this.timeout(300_000);
    await activateStepwise();
    const file = await writeAndOpen('debugging-wide/wide.ts', FLOW);
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
      await launchFlow(file, 'Debug Foreach100Flow');
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
      await screenshot('debug-wide-join-stopped', ['.debug-top-stack-frame-line', '.debug-toolbar', '.debug-variables >> text=/inputs/']);
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

  it('Pause while an unattached task runs stops the next task before its step; only that task gets a session', async function () {
    this.timeout(180_000);
    await activateStepwise();
    const go = workspaceFile('debugging-pause/go');
    await vscode.workspace.fs.delete(go).then(undefined, () => undefined);
    const file = await writeAndOpen('debugging-pause/paused.ts', PAUSED(go.fsPath));
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await noSessionLeft();

    let slowStarted: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (slowStarted = resolve));
    const watching = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      const body = e.body as RunEventBody;
      if (e.event === RUN_EVENT && body.type === 'taskStarted' && body.step === 'slow') slowStarted();
    });
    let paused = false;
    const pauseSeen = new vscode.EventEmitter<void>();
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker: () => ({
        onWillReceiveMessage: (m: { command?: string }) => {
          if (m.command === 'pause') {
            paused = true;
            pauseSeen.fire();
          }
        },
      }),
    });
    const sessions = taskSessionNames();
    try {
      const run = nextRun();
      const stopped = nextStop('end');
      await launchFlow(file, 'Debug PausedFlow');
      const parent = await run.session;
      await slow;
      assert.equal(vscode.debug.activeDebugSession?.id, parent.id, 'no task session: the Stepwise session is the one focused');
      // The toolbar's Pause, on the focused (Stepwise) session.
      await vscode.commands.executeCommand('workbench.action.debug.pause');
      await waitFor('the pause request', pauseSeen.event, () => (paused ? true : undefined), 20_000);
      await vscode.workspace.fs.writeFile(go, new Uint8Array());
      const stop = await stopped;
      const frames = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId, startFrame: 0, levels: 1 })) as {
        stackFrames: Array<{ source?: { name?: string; path?: string } }>;
      };
      assert.match(JSON.stringify(frames.stackFrames[0].source), /pause\/end\.js/, 'stopped before the step, in Stepwise’s pause script');
      await vscode.commands.executeCommand('workbench.view.debug');
      await screenshot('debug-pause-next-task', ['.debug-top-stack-frame-line', '.debug-toolbar']);
      await stop.session.customRequest('continue', { threadId: stop.threadId });
      assert.equal((await run.finished).status, 'succeeded');
      await run.terminated;
      assert.deepEqual(
        sessions.names.map((n) => n.split('/')[1]),
        ['end'],
        '`start` and `slow` ran before Pause took effect, without the debugger',
      );
      await noSessionLeft();
    } finally {
      watching.dispose();
      tracker.dispose();
      sessions.dispose();
      pauseSeen.dispose();
    }
  });
});
