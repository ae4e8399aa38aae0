/** `Stepwise: New Flow`: a flow from a template in the chosen folder, ready to preview, run and debug. */
import * as vscode from 'vscode';
import { scaffold } from './scaffold';

export const NEW_FLOW_COMMAND = 'stepwise.newFlow';

export function registerNewFlow(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand(NEW_FLOW_COMMAND, async (arg?: { folder?: string; name?: string }) => {
    const folder = arg?.folder ?? (await pickFolder());
    if (!folder) return undefined;
    const name =
      arg?.name ??
      (await vscode.window.showInputBox({
        title: 'Stepwise: New Flow',
        prompt: 'Name of the flow class',
        value: 'HelloFlow',
        validateInput: (v) => (/[A-Za-z]/.test(v) ? undefined : 'Use letters: e.g. TrainModelFlow'),
      }));
    if (!name) return undefined;
    try {
      const r = await scaffold(folder, name, context.asAbsolutePath('dist/types'));
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(r.flowFile));
      await vscode.window.showTextDocument(doc);
      void vscode.window.showInformationMessage(`Stepwise: ${r.changes.join('; ')}.`);
      return r.flowFile;
    } catch (err) {
      void vscode.window.showErrorMessage(`Stepwise: New Flow failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  });
}

async function pickFolder(): Promise<string | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0].uri.fsPath;
  if (folders.length > 1) return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder for the new flow' }))?.uri.fsPath;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Create flow here' });
  return picked?.[0]?.fsPath;
}
