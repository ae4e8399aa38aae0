/**
 * Runs inside code-server with the .vsix installed (and only a probe extension under
 * development): the Stepwise extension must come from the extensions folder, activate, and run
 * a flow with the esbuild it ships.
 */
import * as assert from 'node:assert/strict';
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
  const grammar = (ext.packageJSON as { contributes: { grammars: Array<{ language: string }> } }).contributes.grammars;
  assert.ok(grammar.some((g) => g.language === 'stepwise-log'));
  console.log(`vsix: activated, ran HelloWorldFlow ${outcome.runId}; vscode: 1 passed, 0 failed`);
}
