/**
 * The Runs view's side of production practices inside a real VS Code: a retried task's earlier
 * attempt (its status and its own log), a failure @catchFailure caught (its own icon, the value of
 * its var), run tags, and the filter by tag or namespace (the view's description says it).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StepwiseApi } from '../../../client/src/api';
import type { ExplorerNode } from '../../../client/src/explorer';
import { LocalDatastore } from '../../../runtime/src/datastore/local';
import { activateStepwise, screenshot, workspaceFile, workspaceFolder } from './support';

async function child(api: StepwiseApi, parent: ExplorerNode, label: string): Promise<ExplorerNode> {
  const kids = await api.explorer.children(parent);
  const n = kids.find((k) => k.label === label);
  assert.ok(n, `no '${label}' under ${parent.label}: ${kids.map((k) => k.label).join(', ')}`);
  return n;
}

/** Runs the CLI outside VS Code as `user`; the run id. */
function cliRun(file: string, user: string, extra: string[] = []): Promise<string> {
  const repo = process.env.STEPWISE_TEST_REPO;
  assert.ok(repo, 'the launcher sets STEPWISE_TEST_REPO');
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1', STEPWISE_USER: user };
  delete env.STEPWISE_DATASTORE_ROOT;
  return new Promise<string>((resolve, reject) => {
    const p = spawn(process.execPath, [join(repo, 'dist', 'cli.js'), 'run', file, ...extra], {
      cwd: workspaceFolder().fsPath,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const m = /run-id (\d+)/.exec(out);
      if (code === 0 && m) resolve(m[1]);
      else reject(new Error(`${file} exited ${code}: ${out}`));
    });
  });
}

describe('Runs view: attempts, caught failures, tags and the filter', function () {
  this.timeout(180_000);
  let api: StepwiseApi;
  const made: string[] = [];

  before(async () => {
    api = await activateStepwise();
  });
  after(async () => {
    await vscode.commands.executeCommand('stepwise.explorer.clearFilter');
    const store = new LocalDatastore(api.explorer.root());
    for (const runId of made) await store.deleteRun('AttemptsFlow', runId);
  });

  it('shows an earlier attempt with its own log, a caught failure with its var, and filters runs by tag', async () => {
    const repo = process.env.STEPWISE_TEST_REPO!;
    const file = workspaceFile('production/attempts.ts');
    await vscode.workspace.fs.writeFile(file, readFileSync(join(repo, 'test', 'fixtures', 'runtime', 'production', 'attempts.ts')));
    const tagged = await cliRun(file.fsPath, 'alice', ['--tag', 'golden']);
    made.push(tagged);
    const other = await cliRun(file.fsPath, 'bob');
    made.push(other);
    await vscode.commands.executeCommand('stepwise.explorer.refresh');
    await vscode.commands.executeCommand('workbench.view.extension.stepwise');

    const flow = (await api.explorer.roots()).find((n) => n.label === 'AttemptsFlow');
    assert.ok(flow, 'AttemptsFlow in the tree');
    const run = await child(api, flow, tagged);
    assert.match(run.description ?? '', /#golden/);
    assert.match(run.tooltip ?? '', /system tags: user:alice, runtime:stepwise/);

    const [startTask] = await api.explorer.children(await child(api, run, 'start'));
    assert.match(startTask.description ?? '', /2 attempts/);
    const attempt = await child(api, startTask, 'attempt 0');
    assert.equal(attempt.status, 'failed');
    const oldLog = await child(api, attempt, 'stdout');
    const editor = await api.explorer.open(oldLog);
    assert.match(editor?.document.getText() ?? '', /start attempt 0/);
    assert.doesNotMatch(editor?.document.getText() ?? '', /start attempt 1/);
    await api.explorer.reveal(oldLog);
    await screenshot('explorer-attempts', ['.monaco-list-row.selected', '.editor-instance .view-line']);

    const [fragile] = await api.explorer.children(await child(api, run, 'fragile'));
    assert.equal(fragile.status, 'caught');
    const caught = (await api.explorer.children(fragile)).find((n) => n.status === 'caught');
    assert.equal(caught?.label, 'Caught by @catchFailure: TypeError: bad row 7');
    assert.match(caught?.description ?? '', /^failure = /);
    await api.explorer.reveal(caught!);
    await screenshot('explorer-caught-failure', ['.monaco-list-row.selected .codicon-shield']);

    // The filter: by a user tag, then by a namespace; the view's description says which.
    await vscode.commands.executeCommand('stepwise.explorer.filter', 'golden');
    assert.deepEqual(api.explorer.filter(), { tag: 'golden', description: 'tag golden' });
    const filtered = (await api.explorer.roots()).find((n) => n.label === 'AttemptsFlow')!;
    assert.deepEqual(
      (await api.explorer.children(filtered)).map((r) => r.label),
      [tagged],
    );
    await api.explorer.reveal(await child(api, filtered, tagged));
    await screenshot('explorer-tag-filter', ['.monaco-list-row.selected']);
    await vscode.commands.executeCommand('stepwise.explorer.filter', 'user:bob');
    assert.equal(api.explorer.filter().description, 'namespace user:bob');
    const bobs = (await api.explorer.roots()).find((n) => n.label === 'AttemptsFlow')!;
    assert.deepEqual(
      (await api.explorer.children(bobs)).map((r) => r.label),
      [other],
    );
    await vscode.commands.executeCommand('stepwise.explorer.clearFilter');
    assert.deepEqual(api.explorer.filter(), { tag: undefined, description: undefined });
  });
});
