/**
 * F5 on a loop: a conditional breakpoint `current.pass === 3` inside the looping step stops the
 * debugger in the task of the 3rd pass only, with that pass's artifacts in the frame. Each pass
 * is a task process of its own (its own child debug session), so a hit count cannot count
 * passes: the pass number is what a user conditions on (docs/DEBUGGING.md).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { evaluate, nextRun, nextStop, taskSessionNames, taskSessionOf, topFrame } from './debugging';
import { activateStepwise, openInEditor, screenshot, workspaceFile } from './support';

const LOOP = `import { FlowSpec, current, step } from 'stepwise';

export default class LoopDebugFlow extends FlowSpec {
  declare total: number;
  declare history: number[];
  declare status: string;

  @step start() {
    this.total = 0;
    this.history = [];
    this.next(this.refine);
  }

  @step refine() {
    this.total += 10;
    this.history = [...this.history, current.pass!];
    this.status = this.history.length < 4 ? 'again' : 'done';
    this.next({ again: this.refine, done: this.end }, { condition: 'status' });
  }

  @step end() {
    console.log('total', this.total, 'passes', this.history.join(','));
  }
}
`;

describe('Debugging a loop (F5)', () => {
  after(() => vscode.debug.removeBreakpoints(vscode.debug.breakpoints));

  it('a conditional breakpoint current.pass === 3 stops only in the 3rd pass of the loop, with that pass’s artifacts', async function () {
    this.timeout(240_000);
    await activateStepwise();
    const file = workspaceFile('debugging-loop/loop.ts');
    await vscode.workspace.fs.createDirectory(workspaceFile('debugging-loop'));
    await vscode.workspace.fs.writeFile(file, Buffer.from(LOOP));
    const line = LOOP.split('\n').findIndex((l) => l.includes('this.status ='));
    assert.ok(line > 0);
    await openInEditor('debugging-loop/loop.ts');
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(file, new vscode.Position(line, 0)), true, 'current.pass === 3'),
    ]);

    const sessions = taskSessionNames();
    const stops: string[] = [];
    const counting = vscode.debug.onDidChangeActiveStackItem((item) => {
      if (item instanceof vscode.DebugStackFrame) stops.push(taskSessionOf(item.session)?.name ?? item.session.name);
    });
    try {
      const run = nextRun();
      const stopped = nextStop('refine');
      // No `flow`: the configuration provider fills in the active editor's file, as F5 does.
      assert.ok(
        await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(file), {
          type: 'stepwise',
          request: 'launch',
          name: 'Debug LoopDebugFlow',
        }),
      );
      const stop = await stopped;
      const at = await topFrame(stop);
      assert.equal(at.path, file.fsPath);
      assert.equal(at.line, line + 1);
      // The 3rd pass: its pass number, and the artifacts as that pass sees them.
      assert.equal(await evaluate(stop, 'current.pass'), '3');
      assert.equal(await evaluate(stop, 'this.total'), '30');
      assert.equal(await evaluate(stop, 'this.history.join(",")'), "'1,2,3'");
      const refineTasks = sessions.names.filter((n) => n.split('/')[1] === 'refine');
      assert.equal(refineTasks.length, 3, `passes 1 and 2 ran without stopping: ${refineTasks.join(' ')}`);
      assert.equal(stop.task.name, refineTasks[2]);

      // What a user sees: the stop, and in the Debug Console the pass and its artifacts.
      await vscode.commands.executeCommand('workbench.view.debug');
      await vscode.commands.executeCommand('workbench.debug.action.focusRepl');
      const typed = 'current.pass + " / " + this.total + " / " + this.history';
      await screenshot('debug-loop-pass-3-typed', ['.repl'], 20_000, 'Enter', typed);
      await screenshot('debug-loop-pass-3', ['.debug-top-stack-frame-line', '.debug-toolbar', '.repl >> text=/3 \\/ 30 \\/ 1,2,3/']);

      await stop.session.customRequest('continue', { threadId: stop.threadId });
      const done = await run.finished;
      await run.terminated;
      assert.equal(done.status, 'succeeded');
      assert.deepEqual(
        sessions.names.map((n) => n.split('/')[1]),
        ['refine', 'refine', 'refine', 'refine'],
      );
      // Pass 4 ran past the breakpoint: the debugger stopped once, in pass 3's task.
      assert.deepEqual([...new Set(stops.filter((s) => s.includes('/refine/')))], [stop.task.name]);
    } finally {
      counting.dispose();
      sessions.dispose();
    }
  });
});
