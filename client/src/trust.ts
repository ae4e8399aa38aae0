/**
 * Workspace trust (package.json `capabilities.untrustedWorkspaces`: limited). In Restricted Mode
 * Stepwise reads flows and runs but never executes them: the linter, outline, DAG preview and
 * explorer work; whatever would run flow code (run, debug, resume, spin) or a project's own
 * installation (its node_modules/stepwise, npm) refuses with one message saying why and how to
 * trust the folder.
 */
import * as vscode from 'vscode';
import { showMessage } from './messages';

const MANAGE = 'Manage Workspace Trust';

export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/** The message shown when `verb` (e.g. `run the flow`) is refused (exported for the tests that check it). */
export function restrictedMessage(verb: string): string {
  return `Stepwise cannot ${verb} in Restricted Mode: that would execute code from this folder, which is not trusted. Trust the folder (${MANAGE}) to ${verb}.`;
}

/**
 * True when the workspace is trusted; otherwise shows why `verb` (`run the flow`…) cannot
 * happen, offering VS Code's trust editor, and returns false.
 */
export function requireTrust(verb: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void showMessage('warning', restrictedMessage(verb), MANAGE).then((pick) => {
    if (pick === MANAGE) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
