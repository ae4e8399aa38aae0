/**
 * Debugging a task in a notebook, in a real VS Code: a failed foreach task opened in a notebook
 * with the Stepwise kernel, `self` bound, the step's body reproducing the failure, the fixed cell,
 * Resume from this step finishing the run, a join's `inputs`, and a local module's edit picked up
 * without a restart. Screenshots of each stage.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { StepwiseApi } from '../../../client/src/api';
import type { RunOutcome } from '../../../client/src/runs';
import { Flow, Task } from '../../../runtime/src/client';
import { nextRun, nextStop, noSessionBefore } from './debugging';
import { addCell, runCell } from './notebookCells';
import { activateStepwise, replaceText, screenshot, waitFor, workspaceFile, workspaceFolder } from './support';

/** The notebook's output webview: selectors inside it for screenshots. */
const OUTPUT =
  '.notebookOverlay iframe.webview >> visible=true >> internal:control=enter-frame >> iframe#active-frame >> internal:control=enter-frame';
/** The selected cell's status once its run has ended (the editor's own state icon). */
const DONE = (ok: boolean) =>
  `.notebookOverlay .monaco-list-row.focused .codicon-notebook-state-${ok ? 'success' : 'error'} >> visible=true`;
/** An element of the outputs that contains `text` (Playwright's unquoted text= matches a substring). */
const outputText = (text: string) => `${OUTPUT} >> text=${text}`;

function taskOf(nb: vscode.NotebookDocument): string | undefined {
  return (nb.metadata as { metadata?: { stepwise?: { pathspec?: string } } }).metadata?.stepwise?.pathspec;
}

describe('notebook: debug a task', function () {
  this.timeout(240_000);
  let api: StepwiseApi;
  let failedTask: string;
  let editor: vscode.NotebookEditor;
  let resumedRun: string;

  before(async () => {
    api = await activateStepwise();
    // Whatever earlier suites left open (a DAG preview beside) would narrow the notebook until
    // its toolbar folds Resume / Reveal into its overflow menu.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.editorLayoutSingle');
    const outcome = await api.runs.start({
      file: workspaceFile('notebook/orders.ts').fsPath,
      cwd: workspaceFolder().fsPath,
      command: 'run',
    });
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failedTasks.length, 1);
    failedTask = outcome.failedTasks[0];
    await screenshot('notebook-0-run-failed', ['.notification-toast .monaco-button >> text="Open in Notebook"']);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const run = (nb: vscode.NotebookDocument, index: number) => runCell(api, nb, index);

  it('opens the failed foreach task in a notebook with the Stepwise kernel selected', async () => {
    const opened = await vscode.commands.executeCommand<vscode.NotebookEditor | undefined>('stepwise.openTaskNotebook', failedTask);
    assert.ok(opened, 'the command opened a notebook');
    editor = opened;
    const nb = editor.notebook;
    assert.match(nb.uri.fsPath, /[\\/]\.stepwise[\\/]notebooks[\\/]OrdersFlow-\d+-priceLine-\d+\.ipynb$/);
    assert.deepEqual(
      nb.getCells().map((c) => [c.kind, c.document.languageId]),
      [
        [vscode.NotebookCellKind.Markup, 'markdown'],
        [vscode.NotebookCellKind.Code, 'typescript'],
        [vscode.NotebookCellKind.Code, 'typescript'],
      ],
    );
    assert.match(nb.cellAt(0).document.getText(), /failed/);
    await waitFor('the Stepwise kernel selected', api.notebook.onDidChangeSelection, () =>
      api.notebook.isSelected(nb.uri) ? true : undefined,
    );
    await screenshot('notebook-1-opened', ['.notebook-toolbar-container >> text=Stepwise (TypeScript)', `${OUTPUT} >> h2`]);
  });

  it('binds self: self.input is the task’s item', async () => {
    const nb = editor.notebook;
    const bound = await run(nb, 1);
    assert.deepEqual(bound, [], 'the binding cell has no output');
    const at = await addCell(nb, 'self.input');
    assert.deepEqual(await run(nb, at), [{ mime: 'text/plain', text: '"2 x n/a"' }]);
    await screenshot('notebook-2-self-input', [DONE(true), outputText('2 x n/a')]);
  });

  it('the body cell fails with the same error as the run', async () => {
    const nb = editor.notebook;
    const task = await Task(failedTask, { root: api.explorer.root() });
    const outputs = await run(nb, 2);
    const err = outputs.find((o) => o.mime === 'application/vnd.code.notebook.error');
    assert.ok(err, JSON.stringify(outputs));
    const e = JSON.parse(err.text) as { name: string; message: string; stack: string };
    assert.equal(`${e.name}: ${e.message}`, `${task.exception!.name}: ${task.exception!.message}`);
    assert.match(e.stack, /at Cell 3:5:\d+/);
    await screenshot('notebook-3-body-error', [DONE(false), outputText('not a price')]);
  });

  it('the edited cell succeeds', async () => {
    const nb = editor.notebook;
    const cell = nb.cellAt(2).document;
    await replaceText(cell, cell.getText().replace('parsePrice(unit)', "parsePrice(unit === 'n/a' ? '0' : unit)"));
    const outputs = await run(nb, 2);
    assert.ok(!outputs.some((o) => o.mime === 'application/vnd.code.notebook.error'), JSON.stringify(outputs));
    const at = await addCell(nb, 'self.price');
    assert.deepEqual(await run(nb, at), [{ mime: 'text/plain', text: '0' }]);
    await screenshot('notebook-4-body-fixed', [DONE(true), outputText('0')]);
  });

  it('Resume from this step, with the fix moved into the flow, finishes the run', async () => {
    const flow = await vscode.workspace.openTextDocument(workspaceFile('notebook/orders.ts'));
    await replaceText(flow, flow.getText().replace('parsePrice(unit)', "parsePrice(unit === 'n/a' ? '0' : unit)"));
    await vscode.window.showNotebookDocument(editor.notebook);
    // The toolbar button, with what the toolbar passes: it saves the flow file and resumes from
    // the task's step, resolving with the run's outcome (undefined: it did not resume, and said why).
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('stepwise.notebook.resume', {
      notebookEditor: { notebookUri: editor.notebook.uri },
    });
    assert.ok(outcome, 'the command resumed the run');
    assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome));
    assert.equal(flow.isDirty, false);
    resumedRun = outcome.runId!;
    await screenshot('notebook-5-resumed', [
      '.notebook-toolbar-container >> text=Resume from This Step',
      `.statusbar-item >> text=OrdersFlow ${outcome.runId} succeeded`,
    ]);
  });

  it('a join task, from its node in the DAG preview: inputs by index', async () => {
    const [sum] = await (await Flow('OrdersFlow', { root: api.explorer.root() }).run(resumedRun)).step('sum').tasks();
    // One notebook on screen (saved first: a notebook with new outputs asks before closing).
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const flowDoc = await vscode.workspace.openTextDocument(workspaceFile('notebook/orders.ts'));
    await vscode.window.showTextDocument(flowDoc);
    await vscode.commands.executeCommand('stepwise.showDag', flowDoc.uri);
    await waitFor('the resumed run in the preview', api.preview.onDidChangeRuns, () =>
      api.preview.runView().overlay?.runId === resumedRun ? true : undefined,
    );
    // What the DAG node's context menu passes (webview/context, data-vscode-context on the node).
    const joinEditor = await vscode.commands.executeCommand<vscode.NotebookEditor | undefined>('stepwise.openTaskNotebook', {
      webview: 'stepwise.dag',
      webviewSection: 'step',
      step: 'sum',
    });
    assert.ok(joinEditor);
    const nb = joinEditor.notebook;
    assert.equal(taskOf(nb), sum.pathspec);
    assert.equal(nb.cellCount, 4, 'a succeeded task has the comparison cell');
    await waitFor('the kernel selected', api.notebook.onDidChangeSelection, () => (api.notebook.isSelected(nb.uri) ? true : undefined));
    await run(nb, 1);
    const at = await addCell(nb, 'inputs.map((i) => i.price)');
    const out = await run(nb, at);
    assert.match(out[0].text, /\[\s+9,\s+12,\s+0,\s+\]/);
    await run(nb, 2);
    const compared = await run(nb, 3);
    const table = compared.find((o) => o.mime === 'text/html')!.text;
    assert.match(table, /<td>total<\/td><td>yes<\/td>/);
    await screenshot('notebook-6-join-inputs', [DONE(true), outputText('total')]);
  });

  it('a cell importing a local module picks up an edit to it without a restart', async () => {
    const nb = vscode.window.activeNotebookEditor!.notebook;
    const pid = api.notebook.kernelOf(nb.uri)!.pid;
    const at = await addCell(nb, "import { parsePrice } from '../../notebook/lib/prices';\nparsePrice('n/a')");
    const before = await run(nb, at);
    assert.match(JSON.stringify(before), /not a price/);
    const lib = await vscode.workspace.openTextDocument(workspaceFile('notebook/lib/prices.ts'));
    await replaceText(lib, lib.getText().replace('const value = Number(text);', "const value = text === 'n/a' ? 0 : Number(text);"));
    // save() is false when the document is no longer dirty (saved meanwhile): what matters is the file.
    await lib.save();
    assert.match(readFileSync(lib.uri.fsPath, 'utf8'), /text === 'n\/a' \? 0/, 'the edit is on disk');
    await vscode.window.showNotebookDocument(nb);
    const after = await run(nb, at);
    assert.deepEqual(
      after.map((o) => o.text.trim()),
      ['autoreload: ../../notebook/lib/prices.ts changed: reloaded', '0'],
    );
    assert.equal(api.notebook.kernelOf(nb.uri)!.pid, pid, 'the same kernel process');
    await screenshot('notebook-7-autoreload', [DONE(true), outputText('autoreload:')]);
  });

  it('Resume from this step (Debug) stops in the step; Open Task in Notebook opens the paused task', async () => {
    await noSessionBefore();
    const flowUri = workspaceFile('notebook/orders.ts');
    const flow = await vscode.workspace.openTextDocument(flowUri);
    const line = flow
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('this.line = this.input'));
    const bp = new vscode.SourceBreakpoint(new vscode.Location(flowUri, new vscode.Position(line, 4)));
    vscode.debug.addBreakpoints([bp]);
    try {
      // From the first notebook (the failed task of the first run): resume it again, under the debugger.
      await vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument(editor.notebook.uri));
      // Its deadline counts from here, and the notebook work while stopped takes a while on a loaded machine.
      const session = nextRun(200_000);
      // Stopping the session kills the run: it never finishes, and that is not this test's concern.
      session.finished.catch(() => undefined);
      const stopped = nextStop('priceLine');
      await vscode.commands.executeCommand('stepwise.notebook.resumeDebug');
      const stop = await stopped;
      assert.match(stop.task.name, /^\d+\/priceLine\/\d+$/);
      // What the debug toolbar's and the call stack's Open Task in Notebook pass: their own item.
      const paused = await vscode.commands.executeCommand<vscode.NotebookEditor | undefined>('stepwise.openTaskNotebook', {
        sessionId: stop.session.id,
      });
      assert.ok(paused);
      assert.equal(taskOf(paused.notebook), `OrdersFlow/${stop.task.name}`);
      await waitFor('the kernel selected', api.notebook.onDidChangeSelection, () =>
        api.notebook.isSelected(paused.notebook.uri) ? true : undefined,
      );
      const bound = await run(paused.notebook, 1);
      assert.deepEqual(bound, []);
      const at = await addCell(paused.notebook, 'self.input');
      assert.match((await run(paused.notebook, at))[0].text, /^"\d x /);
      await screenshot('notebook-8-paused-task', [DONE(true), '.debug-toolbar .codicon-notebook']);
      // The Stepwise session itself: the active session may be the paused task's js-debug child.
      await vscode.debug.stopDebugging(await session.session);
      await session.terminated;
    } finally {
      vscode.debug.removeBreakpoints([bp]);
    }
  });
});
