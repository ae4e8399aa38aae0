/**
 * Run: the flow runs in a terminal through the CLI shipped in the extension
 * (`node <ext>/dist/cli.js run <file>`), so its output, colours and Ctrl+C behave as on the
 * command line. One terminal per flow file, reused while it lives.
 */
import * as vscode from 'vscode';
import type { Commands, CommandHandler } from '../contributions';
import type { CtxInit } from '../ctx';
import { configuredNode } from '../nodeRuntime';
import { datastoreProcessEnv } from '../datastore';
import { shellCommandLine } from '../shellCommand';
import { requireTrust } from '../trust';
import { resolveFlowTarget } from './target';

const terminals = new Map<string, vscode.Terminal>();

export function runFlow(ctx: CtxInit): CommandHandler<typeof Commands.runFlow> {
  ctx.push(
    vscode.window.onDidCloseTerminal((t) => {
      for (const [k, v] of terminals) if (v === t) terminals.delete(k);
    }),
  );
  return async (arg) => {
    if (!requireTrust('run the flow')) return undefined;
    const target = await resolveFlowTarget(ctx, arg, 'run');
    if (!target) return undefined;
    const { document, folder } = target;
    if (document.uri.scheme !== 'file') {
      void vscode.window.showWarningMessage('Stepwise: save the flow to a file before running it.');
      return undefined;
    }
    // The CLI reads the file from disk.
    if (document.isDirty && !(await document.save())) return undefined;

    const node = configuredNode(document.uri);
    const cli = ctx.extension.asAbsolutePath('dist/cli.js');
    const key = document.uri.toString();
    let terminal = terminals.get(key);
    if (!terminal || terminal.exitStatus !== undefined) {
      terminal = vscode.window.createTerminal({
        name: `Stepwise: ${target.flowName ?? vscode.workspace.asRelativePath(document.uri)}`,
        // The run's datastore (.stepwise/) belongs to the workspace the flow is in.
        cwd: folder?.uri.fsPath,
        iconPath: new vscode.ThemeIcon('play'),
        env: { ...node.env, ...datastoreProcessEnv(document.uri) },
      });
      terminals.set(key, terminal);
    }
    terminal.show(true);
    terminal.sendText(shellCommandLine([node.command, cli, 'run', document.uri.fsPath]));
    return terminal;
  };
}
