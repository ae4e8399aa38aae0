/**
 * The DAG preview: `registerPreview` adds the Show DAG command, the panel serializer (the
 * preview comes back after a reload) and returns the API the tests and other parts use.
 */
import * as vscode from 'vscode';
import type { PreviewState } from '../../../webview/src/messages';
import { Commands, DAG_WEBVIEW, registerCommand } from '../contributions';
import { PreviewController } from './controller';
import type { PreviewApi, PreviewDeps } from './types';

export type { PreviewApi, PreviewDeps, RenderEvent, RunInfo } from './types';

export function registerPreview(context: vscode.ExtensionContext, deps: PreviewDeps): PreviewApi {
  const controller = new PreviewController(context.extensionUri, deps);
  context.subscriptions.push(controller);
  if (deps.state) context.subscriptions.push(deps.state.onDidChangeDatastore(() => controller.datastoreChanged()));
  const show = (arg?: unknown) => controller.show(arg instanceof vscode.Uri ? arg : undefined);
  const registered = deps.registerShowDag ? deps.registerShowDag(show) : registerCommand(Commands.showDag, show);
  if (registered) context.subscriptions.push(registered);
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(DAG_WEBVIEW, {
      deserializeWebviewPanel: (panel, state: unknown) => controller.restore(panel, (state ?? undefined) as PreviewState | undefined),
    }),
  );
  return {
    show: (uri) => controller.show(uri),
    isOpen: () => controller.isOpen(),
    currentUri: () => controller.currentUri(),
    lastGraph: (uri) => controller.lastGraph(uri),
    highlightedStep: () => controller.highlightedStep(),
    revealStep: (step) => controller.reveal(step),
    runView: () => controller.runView(),
    onDidChangeRuns: controller.onDidChangeRuns,
    onDidRender: controller.onDidRender,
    onDidExport: controller.onDidExport,
  };
}
