/**
 * `Stepwise: New Flow`: a flow from a template in the chosen folder, ready to preview, run and
 * debug. It writes no path of this machine anywhere (the TypeScript server plugin resolves
 * `stepwise` for the editor); in a project (a package.json) without Stepwise it offers to add it
 * as a dev dependency, showing the command it would run.
 */
import * as vscode from 'vscode';
import { Commands, registerCommand } from '../contributions';
import { showMessage } from '../messages';
import { requireTrust } from '../trust';
import { scaffold, type ProjectInfo } from './scaffold';

export function registerNewFlow(): vscode.Disposable {
  return registerCommand(Commands.newFlow, async (arg) => {
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
      const stopAt = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folder))?.uri.fsPath;
      const r = await scaffold(folder, name, stopAt);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(r.flowFile));
      await vscode.window.showTextDocument(doc);
      if (r.project && !r.project.hasStepwise) void offerToAddStepwise(r.project, r.changes);
      else void showMessage('info', `Stepwise: ${r.changes.join('; ')}.`);
      return r.flowFile;
    } catch (err) {
      void vscode.window.showErrorMessage(`Stepwise: New Flow failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  });
}

/** The offer's message (exported for the tests). */
export function addStepwiseMessage(project: ProjectInfo, changes: string[]): string {
  return `Stepwise: ${changes.join('; ')}. Add Stepwise to this project as a dev dependency, so that runs, the terminal and teammates use the same version? This runs \`${project.addCommand}\` in ${vscode.workspace.asRelativePath(project.dir) || project.dir}.`;
}

export const ADD_STEPWISE = 'Add Stepwise';

async function offerToAddStepwise(project: ProjectInfo, changes: string[]): Promise<void> {
  const pick = await showMessage('info', addStepwiseMessage(project, changes), ADD_STEPWISE, 'Not Now');
  if (pick !== ADD_STEPWISE || !requireTrust('add Stepwise to the project')) return;
  // In a terminal, so the user sees the command, its output and its end.
  const terminal = vscode.window.createTerminal({
    name: 'Stepwise: add to project',
    cwd: project.dir,
    iconPath: new vscode.ThemeIcon('package'),
  });
  terminal.show();
  terminal.sendText(project.addCommand);
}

async function pickFolder(): Promise<string | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0].uri.fsPath;
  if (folders.length > 1) return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder for the new flow' }))?.uri.fsPath;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Create flow here' });
  return picked?.[0]?.fsPath;
}
