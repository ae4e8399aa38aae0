/**
 * The artifact explorer inside a real VS Code: a run started from the extension and one started
 * by the CLI outside it both appear in the tree; expanding reaches an artifact whose read-only
 * document shows the value; a log opens with the log grammar's language.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StepwiseApi } from '../../../client/src/api';
import type { RunOutcome } from '../../../client/src/runs';
import { LocalDatastore } from '../../../runtime/src/datastore/local';
import type { ExplorerNode } from '../../../client/src/explorer';
import { activateStepwise, screenshot, waitFor, workspaceFile, workspaceFolder } from './support';

/** Waits until an async check returns a value, re-checking whenever `event` fires. */
function waitForAsync<T>(what: string, event: vscode.Event<unknown>, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sub.dispose();
      f();
    };
    const attempt = () =>
      check().then(
        (v) => v !== undefined && finish(() => resolve(v)),
        (e: unknown) => finish(() => reject(e)),
      );
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
    const sub = event(() => void attempt());
    void attempt();
  });
}

async function child(api: StepwiseApi, parent: ExplorerNode, label: string): Promise<ExplorerNode> {
  const kids = await api.explorer.children(parent);
  const n = kids.find((k) => k.label === label);
  assert.ok(n, `no '${label}' under ${parent.label}: ${kids.map((k) => k.label).join(', ')}`);
  return n;
}

async function runNode(api: StepwiseApi, flow: string, runId: string): Promise<ExplorerNode | undefined> {
  const f = (await api.explorer.roots()).find((n) => n.label === flow);
  if (!f) return undefined;
  return (await api.explorer.children(f)).find((n) => n.label === runId && n.status !== 'running');
}

describe('artifact explorer', function () {
  this.timeout(180_000);
  let api: StepwiseApi;

  /** Runs this suite made, deleted afterwards so that later suites see the workspace as it was. */
  const made: Array<[string, string]> = [];
  before(async () => {
    api = await activateStepwise();
  });
  after(async () => {
    const store = new LocalDatastore(api.explorer.root());
    for (const [flow, runId] of made) await store.deleteRun(flow, runId);
  });

  it('shows a run started from VS Code, down to an artifact whose document shows the value', async () => {
    const file = workspaceFile('flows/foreach.ts').fsPath;
    const outcome = await api.runs.start({ file, cwd: workspaceFolder().fsPath, command: 'run' });
    assert.ok(outcome.runId);
    made.push(['ForeachFlow', outcome.runId]);
    assert.equal(outcome.status, 'succeeded');
    assert.match(api.runs.statusText(), new RegExp(`ForeachFlow ${outcome.runId} succeeded`));
    assert.equal(api.explorer.root(), join(workspaceFolder().fsPath, '.stepwise'));

    const run = await waitForAsync('the run in the tree', api.explorer.onDidRefresh, () => runNode(api, 'ForeachFlow', outcome.runId!));
    assert.equal(run.status, 'succeeded');
    const start = await child(api, run, 'start');
    const [task] = await api.explorer.children(start);
    const creatures = await child(api, task, 'creatures');
    assert.match(creatures.description ?? '', /^Array\(3\) · \[ 'bird', 'mouse', 'dog' \]/);

    const editor = await api.explorer.open(creatures);
    assert.ok(editor);
    assert.equal(editor.document.uri.scheme, 'stepwise-artifact');
    assert.equal(
      editor.document.getText(),
      `// ForeachFlow/${outcome.runId}/start/1/creatures — Array(3), 25 B serialised (read-only)\n[\n  "bird",\n  "mouse",\n  "dog",\n]\n`,
    );

    const steps = await api.explorer.children(run);
    const analyze = steps.find((s) => s.label === 'analyzeCreatures');
    assert.match(analyze?.description ?? '', /^3 tasks/);
    const [first] = await api.explorer.children(analyze!);
    const stdout = await child(api, first, 'stdout');
    const log = await api.explorer.open(stdout);
    assert.equal(log?.document.languageId, 'stepwise-log');
    assert.match(log!.document.getText(), /^Analyzing \w+/);

    // Context menu commands on the same nodes.
    await vscode.commands.executeCommand('stepwise.explorer.copyPathspec', creatures);
    assert.equal(await vscode.env.clipboard.readText(), `ForeachFlow/${outcome.runId}/start/1/creatures`);
    await vscode.commands.executeCommand('stepwise.explorer.revealStep', analyze);
    const revealed = vscode.window.activeTextEditor!;
    assert.equal(revealed.document.uri.fsPath, file);
    assert.equal(revealed.document.getText(revealed.selection), 'analyzeCreatures');

    await vscode.commands.executeCommand('workbench.view.extension.stepwise');
    await api.explorer.reveal(creatures);
    await vscode.window.showTextDocument(editor.document, { preview: false });
    await screenshot('explorer-artifact', ['.monaco-list-row.selected', '.editor-instance .view-line']);
  });

  it('picks up a run made by the CLI outside VS Code by itself (datastore watcher)', async () => {
    const folder = workspaceFolder().fsPath;
    const cli = process.env.STEPWISE_TEST_REPO ? join(process.env.STEPWISE_TEST_REPO, 'dist', 'cli.js') : '';
    assert.ok(cli, 'STEPWISE_TEST_REPO names the repository');
    // Only the datastore watcher (or, failing file events, the visible view's poll) can tell the
    // tree about this run: count its refreshes.
    await vscode.commands.executeCommand('workbench.view.extension.stepwise');
    let refreshes = 0;
    const counting = api.explorer.onDidRefresh(() => refreshes++);
    const runId = await new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, [cli, 'run', join(folder, 'flows', 'hello.ts')], {
        cwd: folder,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr.on('data', (d: Buffer) => (out += d.toString()));
      p.on('error', reject);
      p.on('close', (code) => {
        const m = /run-id (\d+)/.exec(out);
        if (code === 0 && m) resolve(m[1]);
        else reject(new Error(`hello.ts exited ${code}: ${out}`));
      });
    });
    made.push(['HelloWorldFlow', runId]);
    await waitFor('the tree to refresh by itself', api.explorer.onDidRefresh, () => (refreshes > 0 ? true : undefined), 30_000);
    counting.dispose();
    const run = await waitForAsync('the CLI run in the tree', api.explorer.onDidRefresh, () => runNode(api, 'HelloWorldFlow', runId));
    assert.equal(run.status, 'succeeded');
    const steps = await api.explorer.children(run);
    assert.deepEqual(
      steps.map((s) => s.label),
      ['start', 'hello', 'end'],
    );
  });

  it('follows the log of a running task live, and shows a failed run with its exception', async () => {
    const folder = workspaceFolder().fsPath;
    const gate = join(folder, 'gate.txt');
    const file = join(folder, 'gated_flow.ts');
    // The step prints, waits for the test to open the gate (a file), prints again, then fails.
    writeFileSync(
      file,
      `import { existsSync } from 'node:fs';
import { FlowSpec, step } from 'stepwise';

export default class GatedFlow extends FlowSpec {
  @step async start() {
    console.log('before the gate');
    while (!existsSync(${JSON.stringify(gate)})) await new Promise((r) => setTimeout(r, 20));
    console.log('after the gate');
    if (existsSync(${JSON.stringify(gate)})) throw new Error('gated failure');
    this.next(this.end);
  }
  @step end() {}
}
`,
    );
    const started = new Promise<{ runId: string }>((resolve) => {
      const sub = api.runs.onDidStart((r) => {
        sub.dispose();
        resolve(r);
      });
    });
    const outcome = api.runs.start({ file, cwd: folder, command: 'run' });
    // A run that ends without starting (a lint or compile error) fails the test with its outcome.
    const { runId } = await Promise.race([
      started,
      outcome.then((o) => {
        throw new Error(`the gated run never started: ${JSON.stringify(o)}`);
      }),
    ]);
    made.push(['GatedFlow', runId]);
    const task = await waitForAsync('the running task in the tree', api.explorer.onDidRefresh, async () => {
      const run = (await api.explorer.roots()).find((n) => n.label === 'GatedFlow');
      const r = run && (await api.explorer.children(run)).find((n) => n.label === runId);
      const step = r && (await api.explorer.children(r)).find((n) => n.label === 'start');
      const [t] = step ? await api.explorer.children(step) : [];
      return t?.status === 'running' ? t : undefined;
    });
    const stdoutNode = await child(api, task, 'stdout');
    assert.equal(stdoutNode.description, 'live');
    const editor = await api.explorer.open(stdoutNode);
    const doc = editor!.document;
    await waitFor(
      'the first line in the log document',
      vscode.workspace.onDidChangeTextDocument,
      () => (doc.getText().includes('before the gate') ? true : undefined),
      30_000,
    ).catch((e: Error) => {
      const onDisk =
        stdoutNode.kind === 'log' && stdoutNode.path
          ? `${readFileSync(stdoutNode.path, 'utf8')} written ${Date.now() - statSync(stdoutNode.path).mtimeMs} ms ago`
          : '?';
      throw new Error(
        `${e.message}; the document holds ${JSON.stringify(doc.getText())} (${doc.uri.toString()}), the file ${JSON.stringify(onDisk)}`,
      );
    });
    assert.doesNotMatch(doc.getText(), /after the gate/);
    writeFileSync(gate, 'open');
    await waitFor(
      'the log document to follow the task',
      vscode.workspace.onDidChangeTextDocument,
      () => (doc.getText().includes('after the gate') ? true : undefined),
      30_000,
    );

    const result = await outcome;
    assert.equal(result.status, 'failed');
    assert.deepEqual(result.failedTasks, [`GatedFlow/${runId}/start/1`]);
    const failed = await waitForAsync('the failed run in the tree', api.explorer.onDidRefresh, () => runNode(api, 'GatedFlow', runId));
    assert.equal(failed.status, 'failed');
    const [start] = await api.explorer.children(failed);
    assert.equal(start.status, 'failed');
    const [t] = await api.explorer.children(start);
    const contents = await api.explorer.children(t);
    assert.equal(contents[0].label, 'Error: gated failure');
    await screenshot('run-failed-notification', ['.notification-toast .monaco-button', '.editor-instance .view-line']);
  });

  it('follows a run that the Run command starts in a terminal: status bar and outcome', async () => {
    const file = workspaceFile('flows/hello.ts');
    // Only this command's run: an earlier test's HelloWorldFlow run may end (or be read as
    // ended) while this one goes.
    const earlier = new Set(await new LocalDatastore(api.explorer.root()).listRuns('HelloWorldFlow'));
    const finished = new Promise<RunOutcome>((resolve) => {
      const sub = api.runs.onDidFinish((o) => {
        if (o.flow !== 'HelloWorldFlow' || (o.runId !== undefined && earlier.has(o.runId))) return;
        sub.dispose();
        resolve(o);
      });
    });
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('stepwise.runFlow', file);
    const outcome = await Promise.race([
      finished,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the terminal run was not followed to its end within 60 s')), 60_000),
      ),
    ]);
    assert.ok(outcome.runId);
    made.push(['HelloWorldFlow', outcome.runId]);
    assert.equal(outcome.status, 'succeeded');
    assert.match(api.runs.statusText(), new RegExp(`HelloWorldFlow ${outcome.runId} succeeded`));
    terminal?.dispose();
  });
});
