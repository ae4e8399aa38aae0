/** Which flow a command acts on: the Uri it was given (CodeLens, explorer) or the active editor. */
import * as vscode from 'vscode';
import type { CtxInit } from '../ctx';
import { looksLikeFlowDocument } from '../flowDetection';

export interface FlowTarget {
  document: vscode.TextDocument;
  /** The flow class name when the server has read the file. */
  flowName: string | undefined;
  folder: vscode.WorkspaceFolder | undefined;
}

export async function resolveFlowTarget(ctx: CtxInit, arg: unknown, verb: string): Promise<FlowTarget | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showWarningMessage(`Stepwise: open a flow file to ${verb} it.`);
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const graph = ctx.graphs.get(uri)?.graph;
  if (graph ? !graph.flowName : !looksLikeFlowDocument(document)) {
    void vscode.window.showWarningMessage(
      `Stepwise: ${vscode.workspace.asRelativePath(uri)} holds no flow (a class extending FlowSpec) to ${verb}.`,
    );
    return undefined;
  }
  return { document, flowName: graph?.flowName ?? undefined, folder: vscode.workspace.getWorkspaceFolder(uri) };
}
