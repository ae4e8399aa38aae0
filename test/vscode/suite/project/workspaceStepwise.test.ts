/**
 * The project's own Stepwise: `project/` installed Stepwise from the packed tarball under a
 * version of its own (STEPWISE_TEST_WORKSPACE_VERSION, test/vscode/sessions.ts), so each run
 * records which Stepwise ran it. Runs started from VS Code (with progress, and the Run lens's
 * terminal) use that installation, the status bar's hover says so, and a terminal a user opens
 * there has the same `stepwise` on its PATH. The bare folder keeps the extension's own, and so
 * does `older/`, whose Stepwise predates the editor protocol: one warning naming the fix.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ShownMessage } from '../../../../client/src/messages';
import { Flow } from '../../../../runtime/src/client';
import { activateStepwise, screenshot, waitFor } from '../support';

const version = process.env.STEPWISE_TEST_WORKSPACE_VERSION ?? '';
const olderVersion = process.env.STEPWISE_TEST_OLDER_VERSION ?? '';

function folder(name: string): string {
  const f = vscode.workspace.workspaceFolders?.find((w) => w.name === name);
  if (!f) throw new Error(`the project session opens a folder named ${name}`);
  return f.uri.fsPath;
}

async function lintStatusOf(file: string) {
  const api = await activateStepwise();
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc, { preview: false });
  return waitFor(
    `the status bar item of ${file}`,
    api.onDidChangeLintStatus,
    () => {
      const s = api.lintStatus();
      return s.visible && !s.pending && s.uri === doc.uri.toString() ? s : undefined;
    },
    90_000,
  );
}

/** The flow's latest run in `root`, as the client API reads it. */
async function latestRun(root: string) {
  const runs = await Flow('HelloWorldFlow', { root }).runs({ limit: 1 });
  assert.ok(runs[0], `a HelloWorldFlow run in ${root}`);
  return runs[0];
}

describe('the project’s own Stepwise (node_modules/stepwise)', function () {
  this.timeout(180_000);

  it('the status bar says which Stepwise serves a flow: the project’s, or the extension’s in the bare folder', async () => {
    assert.ok(version, 'the session sets STEPWISE_TEST_WORKSPACE_VERSION');
    const project = folder('project');
    const status = await lintStatusOf(join(project, 'flows', 'hello.ts'));
    assert.equal(status.stepwise, `Stepwise ${version} (this project's ${join(project, 'node_modules', 'stepwise')})`);
    await screenshot('project-stepwise-status', ['.statusbar']);

    const bare = join(folder('bare'), 'own');
    mkdirSync(bare, { recursive: true });
    const file = join(bare, 'hello.ts');
    copyFileSync(join(project, 'flows', 'hello.ts'), file);
    const own = await lintStatusOf(file);
    assert.match(own.stepwise ?? '', /^Stepwise \d+\.\d+\.\d+ \(bundled with the extension\)$/);
  });

  it('a run with progress uses the project’s installation (its run records that version)', async () => {
    const api = await activateStepwise();
    const project = folder('project');
    const outcome = await api.runs.start({ file: join(project, 'flows', 'hello.ts'), cwd: project, command: 'run' });
    assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome));
    assert.equal(outcome.root, join(project, '.stepwise'));
    const run = await latestRun(outcome.root);
    assert.equal(run.id, outcome.runId);
    assert.equal(run.stepwiseVersion, version);
  });

  it('the Run lens types `stepwise run flows/hello.ts` in a terminal; that is the project’s Stepwise, same datastore', async () => {
    const project = folder('project');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(join(project, 'flows', 'hello.ts')));
    const ended = new Promise<vscode.TerminalShellExecutionEndEvent>((resolve) => {
      const sub = vscode.window.onDidEndTerminalShellExecution((e) => {
        if (!/stepwise run/.test(e.execution.commandLine.value)) return;
        sub.dispose();
        resolve(e);
      });
    });
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('stepwise.runFlow', doc.uri);
    const end = await ended;
    assert.equal(end.terminal, terminal);
    assert.equal(end.execution.commandLine.value, 'stepwise run flows/hello.ts');
    assert.equal(end.exitCode, 0, 'the run in the terminal failed');
    const run = await latestRun(join(project, '.stepwise'));
    assert.equal(run.stepwiseVersion, version);
    await screenshot('project-run-in-terminal', ['.terminal-wrapper .xterm']);
    terminal.dispose();
  });

  it('a terminal the user opens in the project knows `stepwise` (the project’s)', async () => {
    const project = folder('project');
    const terminal = vscode.window.createTerminal({ name: 'user shell', cwd: project });
    const integration = await waitFor(
      'shell integration in the user’s terminal',
      vscode.window.onDidChangeTerminalShellIntegration,
      () => terminal.shellIntegration,
      60_000,
    );
    const execution = integration.executeCommand('stepwise --version');
    let output = '';
    const ended = new Promise<number | undefined>((resolve) => {
      const sub = vscode.window.onDidEndTerminalShellExecution((e) => {
        if (e.execution !== execution) return;
        sub.dispose();
        resolve(e.exitCode);
      });
    });
    for await (const chunk of execution.read()) output += chunk;
    assert.equal(await ended, 0, output);
    assert.ok(output.includes(version), `\`stepwise --version\` printed ${JSON.stringify(output)}`);
    terminal.dispose();
  });

  it('a project Stepwise too old for the extension: one warning with the fix; the extension’s own serves and runs its flows', async () => {
    assert.ok(olderVersion, 'the session sets STEPWISE_TEST_OLDER_VERSION');
    const api = await activateStepwise();
    const shown: ShownMessage[] = [];
    const sub = api.onDidShowMessage((m) => shown.push(m));
    try {
      const older = folder('older');
      const file = join(older, 'flows', 'hello.ts');
      const status = await lintStatusOf(file);
      const m = /^Stepwise (\S+) \(bundled with the extension\) — the project's (\S+) is not used: too old for this extension$/.exec(
        status.stepwise ?? '',
      );
      assert.ok(m, `the hover says ${JSON.stringify(status.stepwise)}`);
      const [, bundled, theirs] = m;
      assert.equal(theirs, olderVersion);
      const warnings = () => shown.filter((w) => w.kind === 'warning' && w.text.includes(olderVersion));
      assert.equal(warnings().length, 1, JSON.stringify(shown));
      assert.equal(
        warnings()[0].text,
        `Stepwise: This project's Stepwise ${olderVersion} (${join(older, 'node_modules', 'stepwise')}) is too old for this extension. ` +
          `Update it — npm i -D stepwise@${bundled} — runs, the debugger and the linter use the extension's own Stepwise ${bundled} until then.`,
      );

      const outcome = await api.runs.start({ file, cwd: older, command: 'run' });
      assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome));
      const run = await latestRun(outcome.root);
      assert.equal(run.stepwiseVersion, bundled);
      assert.equal(warnings().length, 1, 'the warning is shown once');
      await screenshot('project-stepwise-too-old', ['.notifications-toasts', '.statusbar']);
    } finally {
      sub.dispose();
    }
  });
});
