/**
 * Show DAG: opens the DAG preview for the flow. The preview (client/src/preview) registers its
 * own implementation; until it is part of the build, the command says so plainly.
 */
import * as vscode from 'vscode';
import type { CtxInit, Cmd } from '../ctx';

export function showDagUnavailable(_ctx: CtxInit): Cmd {
  return () => {
    void vscode.window.showInformationMessage('Stepwise: the DAG preview is not available in this build yet.');
    return undefined;
  };
}
