/** Restart Language Server: for a server that stayed down after repeated crashes, or a stuck one. */
import * as vscode from 'vscode';
import type { Commands, CommandHandler } from '../contributions';
import type { CtxInit } from '../ctx';

export function restartServer(ctx: CtxInit): CommandHandler<typeof Commands.restartServer> {
  return async () => {
    ctx.graphs.clear();
    await ctx.client.restart();
    void vscode.window.setStatusBarMessage('Stepwise: language server restarted', 3000);
  };
}
