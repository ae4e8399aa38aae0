import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateStepwise, openInEditor, waitForGraph } from './support';

describe('CodeLens', () => {
  it('puts Run | Debug | Show DAG above the flow class', async () => {
    const api = await activateStepwise();
    const { document } = await openInEditor('flows/hello.ts');
    await api.languageClientReady;
    await waitForGraph(api, document);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const ours = lenses.filter((l) => l.command?.command.startsWith('stepwise.'));
    assert.deepEqual(
      ours.map((l) => [l.command!.title, l.command!.command]),
      [
        ['Run', 'stepwise.runFlow'],
        ['Debug', 'stepwise.debugFlow'],
        ['Show DAG', 'stepwise.showDag'],
      ],
    );
    const classLine = document.getText().split('\n').findIndex((l) => l.includes('class HelloWorldFlow'));
    for (const lens of ours) {
      assert.equal(lens.range.start.line, classLine, `${lens.command!.title} is not on the class line`);
      assert.equal(String(lens.command!.arguments?.[0]), document.uri.toString());
    }
  });

  it('Run opens a terminal for the flow', async () => {
    const { document } = await openInEditor('flows/hello.ts');
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidOpenTerminal((t) => {
        sub.dispose();
        resolve(t);
      });
    });
    const returned = await vscode.commands.executeCommand<vscode.Terminal>('stepwise.runFlow', document.uri);
    const terminal = await opened;
    assert.equal(terminal, returned);
    assert.equal(terminal.name, 'Stepwise: HelloWorldFlow');
    const cwd = (terminal.creationOptions as vscode.TerminalOptions).cwd;
    assert.equal(String(cwd), vscode.workspace.getWorkspaceFolder(document.uri)!.uri.fsPath);
    terminal.dispose();
  });
});
