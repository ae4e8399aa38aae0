/**
 * What a user sees while stopped in a task (F5, js-debug): in Variables, `this` is named by the
 * flow's class, and `input`, `index` and a parameter show their values; js-debug prints no
 * "Could not read source map" line for the runtime's own files.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { nextRun, nextStop, noSessionBefore, type Stop } from './debugging';
import { activateStepwise, openInEditor, screenshot, workspaceFile } from './support';

const FLOW = `import { FlowSpec, step, Parameter, type Inputs } from 'stepwise';

export default class TrainFlow extends FlowSpec {
  alpha = Parameter('alpha', { default: 0.5 });
  declare items: string[];
  declare got: string;

  @step start() {
    this.items = ['x', 'y'];
    this.next(this.each, { foreach: 'items' });
  }

  @step each() {
    this.got = String(this.input);
    this.next(this.join);
  }

  @step join(inputs: Inputs<TrainFlow>) {
    this.got = inputs.map((i) => i.got).join();
    this.next(this.end);
  }

  @step end() {}
}
`;

interface Variable {
  name: string;
  value: string;
  variablesReference: number;
}

async function variables(stop: Stop, ref: number): Promise<Variable[]> {
  const r = (await stop.session.customRequest('variables', { variablesReference: ref })) as { variables: Variable[] };
  return r.variables;
}

describe('Debugging: what a user sees while stopped', () => {
  after(() => vscode.debug.removeBreakpoints(vscode.debug.breakpoints));

  it('Variables shows this as the flow class with input, index and a parameter as values; no missing source map is reported', async function () {
    this.timeout(240_000);
    await activateStepwise();
    await noSessionBefore();
    const file = workspaceFile('debugging-view/train.ts');
    await vscode.workspace.fs.createDirectory(workspaceFile('debugging-view'));
    await vscode.workspace.fs.writeFile(file, Buffer.from(FLOW));
    const line = FLOW.split('\n').findIndex((l) => l.includes('this.got = String(this.input)'));
    await openInEditor('debugging-view/train.ts');
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(file, new vscode.Position(line, 0)))]);

    // Everything js-debug prints to the Debug Console of the task sessions.
    const printed: string[] = [];
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: { type?: string; event?: string; body?: { output?: string } }) => {
          if (m.type === 'event' && m.event === 'output' && m.body?.output) printed.push(m.body.output);
        },
      }),
    });
    try {
      const run = nextRun();
      const stopped = nextStop('each');
      assert.ok(
        await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(file), {
          type: 'stepwise',
          request: 'launch',
          name: 'Debug TrainFlow',
        }),
      );
      const stop = await stopped;
      const scopes = (await stop.session.customRequest('scopes', { frameId: stop.frameId })) as {
        scopes: Array<{ name: string; variablesReference: number }>;
      };
      const local = scopes.scopes.find((s) => s.name.startsWith('Local'));
      assert.ok(local, `a Local scope: ${scopes.scopes.map((s) => s.name).join(', ')}`);
      const self = (await variables(stop, local.variablesReference)).find((v) => v.name === 'this');
      assert.ok(self);
      assert.equal(self.value, 'TrainFlow');
      const own = new Map((await variables(stop, self.variablesReference)).map((v) => [v.name, v.value]));
      assert.equal(own.get('input'), "'x'");
      assert.equal(own.get('index'), '0');
      assert.equal(own.get('alpha'), '0.5');

      // The first row under the Local scope is `this`: expand it, as a user would. The view fills
      // in asynchronously (scopes, then their variables), so a keypress can land before its row
      // exists: try again, a few times, until `this`'s properties show.
      for (let attempt = 1; ; attempt++) {
        await vscode.commands.executeCommand('workbench.view.debug');
        await vscode.commands.executeCommand('workbench.debug.action.focusVariablesView');
        await vscode.commands.executeCommand('list.focusFirst');
        await vscode.commands.executeCommand('list.focusDown');
        await vscode.commands.executeCommand('list.expand');
        try {
          await screenshot('debug-variables-values', ['.debug-variables >> text=/index/', '.debug-variables >> text=/alpha/'], 8_000);
          break;
        } catch (err) {
          if (attempt === 4) throw err;
        }
      }

      await stop.session.customRequest('continue', { threadId: stop.threadId });
      const second = await nextStop('each');
      await second.session.customRequest('continue', { threadId: second.threadId });
      const done = await run.finished;
      await run.terminated;
      assert.equal(done.status, 'succeeded');
      const missing = printed.filter((o) => o.includes('Could not read source map'));
      assert.deepEqual(missing, [], 'js-debug reads no source map the runtime does not ship');
    } finally {
      tracker.dispose();
    }
  });
});
