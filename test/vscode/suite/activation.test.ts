/**
 * Runs first (files run in name order): nothing but TypeScript is open yet, so this sees the
 * lazy start — a plain TypeScript file leaves the language server asleep, a flow wakes it.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../../client/src/contributions';
import { activateStepwise, openInEditor, waitFor, waitForGraph, workspaceFile } from './support';

describe('activation', () => {
  it('does not start the language server for a TypeScript file without a flow', async () => {
    const plain = workspaceFile('src/plain.ts');
    await vscode.workspace.fs.writeFile(plain, new TextEncoder().encode('export const answer: number = 42;\n'));
    await openInEditor('src/plain.ts');
    const api = await activateStepwise();
    assert.equal(api.isLanguageClientStarted(), false, 'a plain TypeScript file started the language server');
    assert.equal(api.lintStatus().visible, false, 'the lint status shows for a file without a flow');
  });

  it('registers every command it contributes at activation (package.json ↔ contributions.ts is a unit test)', async () => {
    await activateStepwise();
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      Object.values(Commands).filter((id) => !registered.has(id)),
      [],
    );
  });

  it("starts it when a flow opens, and the server sends that flow's graph", async () => {
    const api = await activateStepwise();
    const editor = await openInEditor('flows/hello.ts');
    await api.languageClientReady;
    assert.equal(api.isLanguageClientStarted(), true);
    const params = await waitForGraph(api, editor.document);
    assert.equal(params.graph?.flowName, 'HelloWorldFlow');
    assert.deepEqual(
      params.graph?.steps.map((s) => s.name),
      ['start', 'hello', 'end'],
    );
  });

  it("shows the active flow's lint state in the status bar", async () => {
    const api = await activateStepwise();
    const editor = await openInEditor('flows/hello.ts');
    const status = await waitFor('the lint status of hello.ts', api.onDidChangeLintStatus, () => {
      const s = api.lintStatus();
      return s.visible && !s.pending && s.uri === editor.document.uri.toString() ? s : undefined;
    });
    assert.deepEqual([status.errors, status.warnings], [0, 0]);
    assert.equal(status.text, '$(check) HelloWorldFlow');
  });
});
