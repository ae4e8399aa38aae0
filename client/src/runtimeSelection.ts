/**
 * The one owner of "which Stepwise does this flow or folder use" in the extension (like ESLint's
 * and TypeScript's workspace version): runs, resumes, the debugger, the terminals' PATH and the
 * status bar all ask here; the language server makes the same decision with the same function
 * (runtime/src/installation.ts). A project's `node_modules/stepwise` is used when the folder is
 * trusted and it speaks this extension's editor protocol; otherwise the extension's own copy,
 * and an installation that cannot be used is one message naming it and the fix (shown once).
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import {
  describeInstallation,
  rejectionMessage,
  selectInstallation,
  type Installation,
  type Selection,
} from '../../runtime/src/installation';
import { showMessage } from './messages';

export type { Installation, Selection };

export class RuntimeSelection implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when an answer may have changed: trust granted, a project's Stepwise installed, updated or removed. */
  readonly onDidChange = this.changed.event;
  private readonly warned = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionRoot: string) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/node_modules/stepwise/package.json');
    this.disposables.push(
      this.changed,
      watcher,
      watcher.onDidCreate(() => this.changed.fire()),
      watcher.onDidChange(() => this.changed.fire()),
      watcher.onDidDelete(() => this.changed.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.changed.fire()),
    );
  }

  /**
   * The installation for a flow file or a folder (decided afresh: it reads a few package.json
   * files). An installation the extension cannot use is reported once per version.
   */
  forPath(fileOrFolder: string, isFile = true): Selection {
    const s = selectInstallation(isFile ? dirname(fileOrFolder) : fileOrFolder, this.extensionRoot, vscode.workspace.isTrusted);
    this.warnOnce(s);
    return s;
  }

  /** For a flow's URI (the extension's own copy for a document that is not a file). */
  forUri(uri: vscode.Uri): Selection {
    return uri.scheme === 'file' ? this.forPath(uri.fsPath) : this.forPath(this.extensionRoot, false);
  }

  /** One line for a hover: `Stepwise 0.2.0 (this project's …/node_modules/stepwise)`. */
  describe(s: Selection): string {
    return describeInstallation(s);
  }

  private warnOnce(s: Selection): void {
    if (!s.rejected) return;
    const key = `${s.rejected.root}@${s.rejected.version}:${s.rejected.reason}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    const text = rejectionMessage(s.rejected, s.use);
    if (text) void showMessage('warning', text);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
