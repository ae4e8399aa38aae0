/**
 * Runs inside code-server with the .vsix installed (and only a probe extension under
 * development): the Stepwise extension must come from the extensions folder, activate, run a
 * flow with the esbuild it ships, and its TypeScript server plugin must give a flow in a folder
 * with nothing set up the flow API's types.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StepwiseApi } from '../../../client/src/api';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<StepwiseApi>('stepwise.stepwise');
  assert.ok(ext, 'the installed extension stepwise.stepwise is not loaded');
  const installedIn = process.env.STEPWISE_VSIX_EXTENSIONS_DIR;
  assert.ok(
    installedIn && ext.extensionPath.startsWith(installedIn),
    `stepwise.stepwise runs from ${ext.extensionPath}, not from the installed .vsix in ${installedIn}`,
  );
  console.log(`vsix: extension at ${ext.extensionPath}`);
  const api = await ext.activate();
  assert.equal(ext.isActive, true);

  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(folder);
  const outcome = await api.runs.start({ file: join(folder, 'flows', 'hello.ts'), cwd: folder, command: 'run' });
  assert.equal(outcome.status, 'succeeded', `hello.ts from the installed extension: ${outcome.status} (exit ${outcome.exitCode})`);
  const flows = await api.explorer.roots();
  assert.ok(
    flows.some((f) => f.label === 'HelloWorldFlow'),
    `the explorer shows ${flows.map((f) => f.label).join(', ')}`,
  );
  await notebookFromTheVsix(api, `${outcome.runId}/hello`);
  const grammar = (ext.packageJSON as { contributes: { grammars: Array<{ language: string }> } }).contributes.grammars;
  assert.ok(grammar.some((g) => g.language === 'stepwise-log'));

  // The installed TypeScript server plugin: a flow outside any project completes `this.next`.
  // Beside the workspace (not in it: its tsconfig resolves stepwise), in the run's scratch folder.
  const bare = mkdtempSync(join(folder, '..', 'bare-'));
  const file = join(bare, 'complete_flow.ts');
  writeFileSync(
    file,
    `import { FlowSpec, step } from 'stepwise';\nexport default class C extends FlowSpec {\n  @step start() {\n    this.\n  }\n  @step end() {}\n}\n`,
  );
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('TypeScript never checked the bare flow')), 90_000);
    const check = () => {
      if (!vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'ts')) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    };
    const sub = vscode.languages.onDidChangeDiagnostics(check);
    check();
  });
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    doc.uri,
    new vscode.Position(3, 9),
    '.',
  );
  const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  assert.ok(labels.includes('mergeArtifacts'), `completion on this. from the installed plugin: ${labels.slice(0, 30).join(', ')}`);
  console.log(
    `vsix: activated, ran HelloWorldFlow ${outcome.runId}, this. completes the flow API, ran its task in a notebook; vscode: 1 passed, 0 failed`,
  );
}

/** The task notebook and its kernel (dist/kernel.js on the shipped CLI bundle and esbuild): the step's code runs. */
async function notebookFromTheVsix(api: StepwiseApi, pathspec: string): Promise<void> {
  const editor = await api.notebook.openTaskNotebook(pathspec);
  assert.ok(editor, `no notebook opened for ${pathspec}`);
  const nb = editor.notebook;
  if (!api.notebook.isSelected(nb.uri)) {
    await new Promise<void>((resolve) => {
      const sub = api.notebook.onDidChangeSelection(() => {
        if (!api.notebook.isSelected(nb.uri)) return;
        sub.dispose();
        resolve();
      });
    });
  }
  const finished = new Promise<string>((resolve) => {
    const sub = api.notebook.onDidFinishCell((e) => {
      if (e.index !== 2) return;
      sub.dispose();
      resolve(e.outcome.status);
    });
  });
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 1, end: 3 }], document: nb.uri });
  assert.equal(await finished, 'ok');
  const out = nb
    .cellAt(2)
    .outputs.flatMap((o) => o.items)
    .map((i) => Buffer.from(i.data).toString('utf8'))
    .join('');
  assert.equal(out, 'Hello World!\n');
}
