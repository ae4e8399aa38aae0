/**
 * Run: the flow runs in a terminal as a user would type it (`stepwise run flows/x.ts`), so its
 * output, colours and Ctrl+C behave as on the command line, and the command can be repeated or
 * edited there. `stepwise` is the terminals' shim (terminal/path.ts), first on the terminal's
 * PATH, which runs the installation that serves the flow (the project's node_modules/stepwise,
 * else the extension's). One terminal per flow file, reused while it lives.
 */
import { delimiter, isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import type { Commands, CommandHandler } from '../contributions';
import type { CtxInit } from '../ctx';
import { configuredNode } from '../nodeRuntime';
import { datastoreProcessEnv } from '../datastore';
import { taskIsolationEnv } from '../taskIsolation';
import { shellCommandLine } from '../shellCommand';
import { requireTrust } from '../trust';
import { resolveFlowTarget } from './target';
import { shimDirFor } from '../terminal/path';

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
    // The shim picks, for this command line, the installation that serves the flow (as runs do);
    // asking here too shows the one message about a project Stepwise that cannot be used.
    ctx.installations.forPath(document.uri.fsPath);
    const shims = shimDirFor(ctx.extension, node);
    const isolation = taskIsolationEnv(document.uri);
    // A terminal keeps the environment it was opened with: another isolation needs another terminal.
    const key = `${document.uri.toString()}\n${shims}\n${isolation.STEPWISE_TASK_ISOLATION ?? ''}`;
    let terminal = terminals.get(key);
    // The run's datastore (.stepwise/) belongs to the workspace the flow is in.
    const cwd = folder?.uri.fsPath;
    if (!terminal || terminal.exitStatus !== undefined) {
      terminal = vscode.window.createTerminal({
        name: `Stepwise: ${target.flowName ?? vscode.workspace.asRelativePath(document.uri)}`,
        cwd,
        iconPath: new vscode.ThemeIcon('play'),
        // The shim first on PATH even before (or without) the folder's terminal PATH (terminal/path.ts).
        env: { ...node.env, ...datastoreProcessEnv(document.uri), ...isolation, PATH: `${shims}${delimiter}${process.env.PATH ?? ''}` },
      });
      terminals.set(key, terminal);
    }
    terminal.show(true);
    const rel = cwd ? relative(cwd, document.uri.fsPath) : '';
    const file = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : document.uri.fsPath;
    terminal.sendText(shellCommandLine(['stepwise', 'run', file]));
    return terminal;
  };
}
