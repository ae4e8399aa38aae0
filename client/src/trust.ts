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

/** The message shown when `what` is refused (exported for the tests that check it). */
export function restrictedMessage(what: string): string {
  return `Stepwise: ${what} is disabled in Restricted Mode, because it would run code from this folder, which is not trusted. Trust the folder (${MANAGE}) to ${what.toLowerCase()}.`;
}

/**
 * True when the workspace is trusted; otherwise shows why `what` cannot happen (offering VS
 * Code's trust editor) and returns false.
 */
export function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void showMessage('warning', restrictedMessage(what), MANAGE).then((pick) => {
    if (pick === MANAGE) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
