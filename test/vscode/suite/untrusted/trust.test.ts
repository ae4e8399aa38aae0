/**
 * Restricted Mode: the fixture workspace opened untrusted (workspace trust on, not granted).
 * Stepwise is active and reads: lint diagnostics, the outline, the DAG preview and the Runs
 * explorer work. Whatever would execute the flow's code refuses with one message saying why:
 * Run (the lens' terminal), Run Flow with Progress, Debug (F5's command), Run without debugging
 * (Ctrl+F5) and Resume; no run is recorded.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StepwiseApi } from '../../../../client/src/api';
import type { ShownMessage } from '../../../../client/src/messages';
import { Flow } from '../../../../runtime/src/client';
import { restrictedMessage } from '../../../../client/src/trust';
import {
  activateStepwise,
  openInEditor,
  screenshot,
  waitFor,
  waitForDiagnostics,
  waitForGraph,
  workspaceFile,
  workspaceFolder,
} from '../support';

/** The ids of HelloWorldFlow's runs in the workspace's datastore (the session made one before opening). */
async function helloRuns(): Promise<string[]> {
  const runs = await Flow('HelloWorldFlow', { root: join(workspaceFolder().fsPath, '.stepwise') }).runs();
  return runs.map((r) => r.id);
}

/** Every name in an outline, children included. */
function outlineNames(symbols: vscode.DocumentSymbol[]): string[] {
  return symbols.flatMap((s) => [s.name, ...outlineNames(s.children ?? [])]);
}

async function refusal(api: StepwiseApi, verb: string, act: () => Thenable<unknown>): Promise<{ message: ShownMessage; result: unknown }> {
  const shown: ShownMessage[] = [];
  const sub = api.onDidShowMessage((m) => shown.push(m));
  try {
    const result = await act();
    const message = await waitFor(
      `the Restricted Mode message for "${verb}"`,
      api.onDidShowMessage,
      () => shown.find((m) => m.text === restrictedMessage(verb)),
      10_000,
    );
    return { message, result };
  } finally {
    sub.dispose();
  }
}

describe('Restricted Mode (an untrusted workspace)', function () {
  this.timeout(120_000);
  let api: StepwiseApi;

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the session opens the folder untrusted');
    api = await activateStepwise();
  });

  it('lint diagnostics, the outline and the DAG preview work', async () => {
    const invalid = await openInEditor('invalid/no_end.ts');
    const diags = await waitForDiagnostics(invalid.document.uri, 'the missing-end finding', (d) => d.length > 0);
    assert.ok(
      diags.some((d) => /end/.test(d.message)),
      JSON.stringify(diags.map((d) => d.message)),
    );

    const editor = await openInEditor('flows/hello.ts');
    await api.languageClientReady;
    await waitForGraph(api, editor.document);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      editor.document.uri,
    );
    const names = outlineNames(symbols);
    for (const step of ['start', 'hello', 'end']) assert.ok(names.includes(step), `the outline has ${step}: ${names.join(', ')}`);

    const rendered = waitFor(
      'the DAG preview’s first paint',
      api.preview.onDidRender,
      () => (api.preview.currentUri()?.toString() === editor.document.uri.toString() ? true : undefined),
      30_000,
    );
    await vscode.commands.executeCommand('stepwise.showDag');
    await rendered;
    assert.deepEqual(
      api.preview.lastGraph(editor.document.uri)?.steps.map((s) => s.name),
      ['start', 'hello', 'end'],
    );
  });

  it('the Runs explorer shows the runs already in the datastore', async () => {
    const before = await helloRuns();
    assert.equal(before.length, 1, 'the session recorded one run before opening the folder');
    const roots = await api.explorer.roots();
    const flow = roots.find((n) => n.label === 'HelloWorldFlow');
    assert.ok(flow, `the explorer shows ${roots.map((n) => n.label).join(', ')}`);
    const runs = await api.explorer.children(flow);
    assert.ok(
      runs.some((r) => String(r.label).includes(before[0])),
      `run ${before[0]} among ${runs.map((r) => r.label).join(', ')}`,
    );
  });

  it('Run, Run with Progress, Debug, Ctrl+F5 and Resume refuse with the message; nothing runs', async () => {
    const uri = workspaceFile('flows/hello.ts');
    await openInEditor('flows/hello.ts');
    const terminals = vscode.window.terminals.length;

    const run = await refusal(api, 'run the flow', () => vscode.commands.executeCommand('stepwise.runFlow', uri));
    assert.equal(run.result, undefined);
    assert.deepEqual(run.message.actions, ['Manage Workspace Trust']);
    assert.equal(vscode.window.terminals.length, terminals, 'no terminal was opened');

    const progress = await refusal(api, 'run the flow', () => vscode.commands.executeCommand('stepwise.runWithProgress', uri));
    assert.equal((progress.result as { status: string } | undefined)?.status, 'error');

    const debug = await refusal(api, 'debug the flow', () => vscode.commands.executeCommand('stepwise.debugFlow', uri));
    assert.equal(debug.result, false);
    const noDebug = await refusal(api, 'run the flow', () => vscode.commands.executeCommand('stepwise.debugFlow', { noDebug: true }));
    assert.equal(noDebug.result, false);
    const resume = await refusal(api, 'resume the run', () => vscode.commands.executeCommand('stepwise.resumeDebug', uri));
    assert.equal(resume.result, false);
    // (A launch.json entry started from the Run view is stopped by VS Code itself, which asks for
    // trust before any debug session in Restricted Mode; the configuration provider refuses too.)
    assert.equal(vscode.debug.activeDebugSession, undefined);

    assert.equal((await helloRuns()).length, 1, 'no run was recorded');
    await screenshot('restricted-mode-refusal', ['.notifications-toasts .notification-toast']);
  });
});
