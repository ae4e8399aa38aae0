/** Restart Language Server: for a server that stayed down after repeated crashes, or a stuck one. */
import * as vscode from 'vscode';
import type { CtxInit, Cmd } from '../ctx';

export function restartServer(ctx: CtxInit): Cmd {
  return async () => {
    ctx.graphs.clear();
    await ctx.client.restart();
    void vscode.window.setStatusBarMessage('Stepwise: language server restarted', 3000);
  };
}
