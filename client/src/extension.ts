/**
 * Entry point. Activation (`onLanguage:typescript`, a Stepwise command, a workspace with a
 * `.stepwise` datastore) is cheap: commands, CodeLens and the status bar are registered, and the
 * language server starts only once a document that looks like a flow is open (see
 * flowDetection.ts) or a Stepwise command runs.
 */
import * as vscode from 'vscode';
import type { StepwiseApi } from './api';
import { FlowCodeLensProvider } from './codeLens';
import { registerClientCommands } from './commands';
import { affectsSetting, Commands, Settings } from './contributions';
import { Ctx } from './ctx';
import { registerExplorer } from './explorer';
import { looksLikeFlowDocument } from './flowDetection';
import { registerNewFlow } from './newflow';
import { registerNotebook } from './notebook';
import { revealStep } from './explorer/commands';
import { registerRuns } from './runs';
import { registerDebugging } from './debug';
import { dagNodeCommands } from './debug/dagNode';
import type { ShownRun } from './preview/stepTask';
import { flowGraphOf } from './debug/graph';
import { registerPreview } from './preview';
import { LintStatusBar } from './statusBar';
import { RuntimeSelection } from './runtimeSelection';
import { registerTerminalPath } from './terminal/path';
import { configuredNode } from './nodeRuntime';
import { onDidShowMessage } from './messages';
import { FlowGraphRequest } from '../../server/src/protocol';
import { namespace } from '../../runtime/src/client';

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): StepwiseApi {
  // The editor shows every user's runs, as Metaflow's UI does: the client API's default namespace
  // (user:<you>) is for scripts; a teammate's failed run must still be listed and resumable here.
  namespace(null);
  const output = vscode.window.createOutputChannel('Stepwise', { log: true });
  const installations = new RuntimeSelection(context.extensionPath);
  context.subscriptions.push(installations);
  const c = new Ctx(context, output, installations);
  ctx = c;
  context.subscriptions.push(c, output);

  registerClientCommands(c);

  const lenses = new FlowCodeLensProvider(c.graphs);
  const statusBar = new LintStatusBar(c.graphs, installations);
  c.push(
    lenses,
    statusBar,
    vscode.languages.registerCodeLensProvider({ language: 'typescript' }, lenses),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsSetting(e, Settings.codeLensEnabled)) lenses.refresh();
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => c.graphs.delete(doc.uri)),
  );

  const wake = (doc: vscode.TextDocument) => {
    if (!c.isStarted() && looksLikeFlowDocument(doc)) c.start().catch(() => undefined);
  };
  c.push(
    vscode.workspace.onDidOpenTextDocument(wake),
    // A flow being typed into an open file: look only when the edit itself mentions FlowSpec.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!c.isStarted() && e.contentChanges.some((ch) => ch.text.includes('FlowSpec'))) wake(e.document);
    }),
  );
  vscode.workspace.textDocuments.forEach(wake);
  // The server loads a project's own Stepwise only in a trusted workspace: tell it once trusted.
  c.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (c.isStarted()) void c.client.restart();
    }),
  );
  context.subscriptions.push(
    // stepwise.nodePath is machine-overridable: one value for the window.
    registerTerminalPath(context, () => configuredNode(undefined)),
  );

  const preview = registerPreview(context, {
    graphs: c.graphs,
    requestGraph: async (uri) => (await c.start()).client.sendRequest(FlowGraphRequest, { uri: uri.toString() }),
    registerShowDag: (run) => c.registerCommand(Commands.showDag, () => run),
    state: c.runState,
    log: output,
  });

  const debug = registerDebugging(context, { graphFor: (file) => flowGraphOf(c, file), log: output, installations });
  const runs = registerRuns(context, installations, c.runState);
  const explorer = registerExplorer(context, c.runState, runs.runner);
  context.subscriptions.push(registerNewFlow());
  const previewRun = (): ShownRun | undefined => {
    const document = preview.currentUri();
    const flow = document && preview.lastGraph(document)?.flowName;
    const runId = preview.runView().overlay?.runId;
    return document && flow && runId ? { flow, runId, document } : undefined;
  };
  const notebook = registerNotebook(context, { runner: runs.runner, root: () => explorer.root(), revealStep, previewRun, log: output });
  context.subscriptions.push(...dagNodeCommands({ previewRun, root: () => explorer.root() }));

  return {
    explorer,
    runs: runs.api,
    debug,
    preview,
    notebook,
    languageClientReady: c.ready,
    isLanguageClientStarted: () => c.isStarted(),
    flowGraph: (uri) => c.graphs.get(uri),
    onDidReceiveFlowGraph: c.graphs.onDidChange,
    lintStatus: () => statusBar.current(),
    onDidChangeLintStatus: statusBar.onDidChange,
    onDidShowMessage,
  };
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
