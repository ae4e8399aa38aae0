/**
 * The `stepwise.taskIsolation` setting reaches the runs VS Code starts: with `thread`, every task
 * of a run reports its task host's pid (one process ran them all, each in a thread); with
 * `process`, each task is a process of its own.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Flow } from '../../../runtime/src/client';
import { activateStepwise, workspaceFile, workspaceFolder } from './support';

describe('the stepwise.taskIsolation setting', function () {
  this.timeout(180_000);
  const setting = () => vscode.workspace.getConfiguration('stepwise', workspaceFolder());

  after(() => setting().update('taskIsolation', undefined, vscode.ConfigurationTarget.Workspace));

  for (const isolation of ['thread', 'process'] as const) {
    it(`${isolation}: Run with Progress runs the tasks ${isolation === 'thread' ? 'in the threads of one host' : 'as processes'}`, async () => {
      const api = await activateStepwise();
      await setting().update('taskIsolation', isolation, vscode.ConfigurationTarget.Workspace);
      const hello = workspaceFile('flows/hello.ts');
      const folder = workspaceFolder().fsPath;
      const outcome = await api.runs.start({ file: hello.fsPath, cwd: folder, command: 'run' });
      assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome));
      const run = await Flow('HelloWorldFlow', { root: outcome.root, namespace: null }).run(outcome.runId!);
      const pids: number[] = [];
      for (const step of ['start', 'hello', 'end']) pids.push((await run.step(step).task()).pid!);
      assert.equal(new Set(pids).size, isolation === 'thread' ? 1 : 3, `pids ${pids.join(', ')}`);
    });
  }
});
