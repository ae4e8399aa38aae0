/**
 * The DAG preview: `registerPreview` adds the Show DAG command, the panel serializer (the
 * preview comes back after a reload) and returns the API the tests and other parts use.
 */
import * as vscode from 'vscode';
import type { PreviewState } from '../../../webview/src/messages';
import { PreviewController, VIEW_TYPE } from './controller';
import { datastoreRunSource } from './datastoreRuns';
import type { PreviewApi, PreviewDeps } from './types';

export type { PreviewApi, PreviewDeps, RenderEvent, RunInfo, RunSource } from './types';

export const SHOW_DAG_COMMAND = 'stepwise.showDag';

export function registerPreview(context: vscode.ExtensionContext, deps: PreviewDeps): PreviewApi {
  const controller = new PreviewController(context.extensionUri, { ...deps, runs: deps.runs ?? datastoreRunSource });
  context.subscriptions.push(controller);
  const show = (arg?: unknown) => controller.show(arg instanceof vscode.Uri ? arg : undefined);
  const registered = deps.registerCommand
    ? deps.registerCommand(SHOW_DAG_COMMAND, show)
    : vscode.commands.registerCommand(SHOW_DAG_COMMAND, show);
  if (registered) context.subscriptions.push(registered);
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
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
