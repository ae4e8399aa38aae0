import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateStepwise, openInEditor, screenshot, waitForGraph } from './support';

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
    const classLine = document
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('class HelloWorldFlow'));
    for (const lens of ours) {
      assert.equal(lens.range.start.line, classLine, `${lens.command!.title} is not on the class line`);
      assert.equal(String(lens.command!.arguments?.[0]), document.uri.toString());
    }
  });

  it('Run types `stepwise run <file>` in a terminal, as a user would', async function () {
    this.timeout(90_000);
    const { document } = await openInEditor('flows/hello.ts');
    const opened = nextEvent(vscode.window.onDidOpenTerminal);
    // Subscribed before the command runs: a small flow can finish within two seconds.
    const ended = nextEvent(vscode.window.onDidEndTerminalShellExecution, 60_000);
    const returned = await vscode.commands.executeCommand<vscode.Terminal>('stepwise.runFlow', document.uri);
    const terminal = await opened;
    assert.equal(terminal, returned);
    assert.equal(terminal.name, 'Stepwise: HelloWorldFlow');
    const folder = vscode.workspace.getWorkspaceFolder(document.uri)!.uri;
    assert.equal(String((terminal.creationOptions as vscode.TerminalOptions).cwd), folder.fsPath);

    // The shell reports the command's end through shell integration, with its exit code.
    const end = await ended;
    assert.equal(end.terminal, terminal);
    // The short command a user would type: `stepwise` is the extension's shim, first on the terminal's PATH.
    assert.equal(end.execution.commandLine.value, 'stepwise run flows/hello.ts');
    assert.equal(end.exitCode, 0, 'the flow run failed');
    // The run landed in the workspace's datastore.
    const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(folder, '.stepwise'));
    assert.ok(entries.length > 0, '.stepwise/ is empty after the run');
    await screenshot('run-in-terminal', ['.terminal-wrapper .xterm']);
    terminal.dispose();
  });
});

function nextEvent<T>(event: vscode.Event<T>, timeoutMs = 20_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no event within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = event((e) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}
