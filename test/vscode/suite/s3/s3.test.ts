/**
 * The S3 datastore in VS Code: with the `stepwise.datastore.*` settings pointing at an S3 store
 * (s3rver, started by the test launcher), a run that failed elsewhere (the CLI, another cache:
 * "the cluster") shows in the Runs explorer, the Resume (Debug) picker offers it, and the resume
 * runs the failed step here, under the debugger, into the same store; Open Task in Notebook on the
 * failed task binds its data from S3.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Flow } from '../../../../runtime/src/client';
import { nextRun } from '../debugging';
import { addCell, runCell } from '../notebookCells';
import { activateStepwise, openInEditor, screenshot, waitFor, workspaceFile } from '../support';
import { SCREENSHOT_DIR_ENV } from '../../screenshotProtocol';

const FLOW = `import { FlowSpec, step } from 'stepwise';

export default class RemoteFailureFlow extends FlowSpec {
  declare n: number;

  @step start() {
    this.n = 41;
    this.next(this.compute);
  }

  @step compute() {
    this.n = JSON.parse('1fail') + this.n; // the fix: JSON.parse('1')
    this.next(this.end);
  }

  @step end() {
    console.log('n is', this.n);
  }
}
`;

describe('S3 datastore in VS Code (stepwise.datastore.* settings)', () => {
  it('the explorer shows a failed S3 run, Resume (Debug) offers it, and the failed step runs here into the same store', async function () {
    this.timeout(240_000);
    const sysroot = process.env.STEPWISE_TEST_S3_SYSROOT;
    assert.ok(sysroot, 'the test launcher starts an S3 server and sets STEPWISE_TEST_S3_SYSROOT');
    // The pickers are answered through the browser, as a user answers them.
    if (!process.env[SCREENSHOT_DIR_ENV]) this.skip();
    const api = await activateStepwise();
    const flow = workspaceFile('s3-remote/remote.ts');
    await vscode.workspace.fs.createDirectory(workspaceFile('s3-remote'));
    await vscode.workspace.fs.writeFile(flow, Buffer.from(FLOW));

    // "On the cluster": the CLI, with its own cache, into the S3 store.
    const elsewhere = mkdtempSync(join(tmpdir(), 'stepwise-elsewhere-'));
    const cli = join(process.env.STEPWISE_TEST_REPO!, 'dist', 'cli.js');
    const failed = spawnSync(process.execPath, [cli, 'run', flow.fsPath, '--datastore', 's3'], {
      cwd: elsewhere,
      env: { ...process.env, STEPWISE_DATASTORE_SYSROOT_S3: sysroot, STEPWISE_DATASTORE_CACHE: join(elsewhere, 'cache') },
      encoding: 'utf8',
    });
    rmSync(elsewhere, { recursive: true, force: true });
    assert.equal(failed.status, 1, failed.stdout + failed.stderr);
    const failedRun = /run-id (\d+)/.exec(failed.stdout)![1];

    const config = vscode.workspace.getConfiguration('stepwise.datastore');
    try {
      await config.update('sysrootS3', sysroot, vscode.ConfigurationTarget.Workspace);
      await config.update('type', 's3', vscode.ConfigurationTarget.Workspace);

      // The explorer reads the S3 store: the flow, and its failed run.
      await waitFor('the explorer on the S3 store', vscode.workspace.onDidChangeConfiguration, () =>
        api.explorer.root() === sysroot ? true : undefined,
      );
      const flowNode = (await api.explorer.roots()).find((n) => n.label === 'RemoteFailureFlow');
      assert.ok(flowNode, 'the flow is listed from S3');
      const runs = await api.explorer.children(flowNode);
      const runNode = runs.find((n) => n.label === failedRun);
      assert.ok(runNode && runNode.kind === 'run' && runNode.status === 'failed', `runs: ${runs.map((r) => r.label).join(', ')}`);
      await api.explorer.reveal(runNode);
      await screenshot('s3-explorer-failed-run', [`.monaco-list-row:has-text("${failedRun}")`]);

      // Open Task in Notebook on the failed S3 task: the notebook's kernel reads the task from S3.
      const failedTask = (await (await Flow('RemoteFailureFlow', { root: sysroot }).run(failedRun)).step('compute').task()).pathspec;
      const opened = await vscode.commands.executeCommand<vscode.NotebookEditor | undefined>('stepwise.openTaskNotebook', failedTask);
      assert.ok(opened, 'the command opened a notebook');
      const nb = opened.notebook;
      assert.match(nb.uri.fsPath, /[\\/]\.stepwise[\\/]notebooks[\\/]RemoteFailureFlow-\d+-compute-\d+\.ipynb$/);
      await waitFor('the Stepwise kernel selected', api.notebook.onDidChangeSelection, () =>
        api.notebook.isSelected(nb.uri) ? true : undefined,
      );
      assert.deepEqual(await runCell(api, nb, 1), [], 'the binding cell has no output');
      const at = await addCell(nb, 'self.n');
      assert.deepEqual(await runCell(api, nb, at), [{ mime: 'text/plain', text: '41' }]);
      const body = await runCell(api, nb, 2);
      assert.ok(
        body.some((o) => o.mime === 'application/vnd.code.notebook.error' && /JSON/.test(o.text)),
        `the body cell fails as the step did: ${JSON.stringify(body)}`,
      );
      await screenshot('s3-notebook-self-n', ['.notebook-toolbar-container >> text=Stepwise (TypeScript)']);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');

      // The fix, then Resume (Debug): the picker offers the S3 run; the failed step runs here.
      // Written to disk, as a fix saved from any editor is (an editor's save can be vetoed by a
      // slow save participant on a loaded machine, which is not what this test is about).
      await vscode.workspace.fs.writeFile(flow, Buffer.from(FLOW.replace("JSON.parse('1fail')", "JSON.parse('1')")));
      const editor = await openInEditor('s3-remote/remote.ts');
      assert.match(editor.document.getText(), /JSON\.parse\('1'\) \+ this\.n/);
      const resumed = nextRun(180_000);
      void vscode.commands.executeCommand('stepwise.resumeDebug', flow);
      await screenshot(
        's3-resume-pick-run',
        [`.quick-input-title:has-text("origin run")`, `.quick-input-list .monaco-list-row.focused:has-text("${failedRun}")`],
        30_000,
        'Enter',
      );
      await screenshot(
        's3-resume-pick-step',
        ['.quick-input-title:has-text("re-run from step")', '.quick-input-list .monaco-list-row.focused:has-text("compute")'],
        30_000,
        'Enter',
      );
      const session = await resumed.session;
      assert.equal(session.configuration.originRunId, failedRun);
      assert.equal((await resumed.finished).status, 'succeeded');
      await resumed.terminated;

      // The resumed run is in the S3 store, its start cloned from the failed run.
      const latest = await Flow('RemoteFailureFlow', { root: sysroot }).latestRun();
      assert.equal(latest.originRunId, failedRun);
      assert.ok(latest.successful);
      assert.equal((await latest.step('start').task()).clonedFrom, `RemoteFailureFlow/${failedRun}/start/1`);
      assert.equal(await (await latest.step('end').task()).data('n'), 42);
    } finally {
      await config.update('type', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('sysrootS3', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
