/**
 * Integrated terminals know `stepwise`: every terminal of the window gets, first on its PATH
 * (VS Code's environmentVariableCollection), a shim running dist/shim.js with the Node runs use.
 * The shim picks the installation per command line (the project's node_modules/stepwise serving
 * the flow named or the current folder, else the extension's own: runtime/src/boot/shim.ts),
 * the same decision the editor makes for its runs, so `stepwise run flows/x.ts` typed in a
 * terminal and a run started from the editor use the same installation and, working from the
 * same folder, the same datastore. One shim for the window: per-folder scoping would follow the
 * last active editor's folder in a remote window, not the terminal's. Nothing is added in
 * Restricted Mode: the shim may run the project's code.
 */
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import { affectsSetting, Settings } from '../contributions';
import type { NodeRuntime } from '../nodeRuntime';
import { ensureShimDir } from './shims';

/** The folder of the shim for `node`, under the extension's storage. */
export function shimDirFor(context: vscode.ExtensionContext, node: NodeRuntime): string {
  return ensureShimDir(context.globalStorageUri.fsPath, {
    node: node.command,
    env: node.env,
    cli: join(context.extensionUri.fsPath, 'dist', 'shim.js'),
    label: "Stepwise: this project's node_modules/stepwise, else the extension's own",
  });
}

export function registerTerminalPath(context: vscode.ExtensionContext, nodeOf: () => NodeRuntime): vscode.Disposable {
  const collection = context.environmentVariableCollection;
  const update = () => {
    collection.clear();
    if (!vscode.workspace.isTrusted) {
      collection.description = 'Stepwise adds `stepwise` to PATH once this folder is trusted.';
      return;
    }
    collection.prepend('PATH', shimDirFor(context, nodeOf()) + delimiter);
    collection.description =
      "`stepwise` runs this project's node_modules/stepwise (found from the flow named, or the current folder, upwards), else the extension's own.";
  };
  update();
  return vscode.Disposable.from(
    vscode.workspace.onDidGrantWorkspaceTrust(update),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsSetting(e, Settings.nodePath)) update();
    }),
  );
}
