/**
 * The read-only documents behind `stepwise-artifact:` and `stepwise-log:` URIs. A log of a
 * running task is live: its log file is followed while the document is open, and the document
 * updates as the task writes (until its DONE marker appears).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ARTIFACT_SCHEME, LOG_SCHEME, artifactText, logText, uriToRef } from './documents';
import { taskDir } from '../../../runtime/src/datastore/local/layout';
import { parseTaskPathspec } from '../../../runtime/src/pathspec';

/** How often the log of a running task is re-read while its document is open. */
const TAIL_INTERVAL_MS = 300;

export class ArtifactContentProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    return artifactText(uriToRef(uri.path, uri.query)).catch(
      (err: unknown) => `// Cannot show ${uri.path}: ${err instanceof Error ? err.message : String(err)}\n`,
    );
  }
}

export class LogContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Open log documents of running tasks → how to stop following them. */
  private readonly tails = new Map<string, () => void>();
  private readonly closed: vscode.Disposable;
  private readonly opened: vscode.Disposable;

  constructor() {
    this.closed = vscode.workspace.onDidCloseTextDocument((d) => this.stopTail(d.uri.toString()));
    // Setting the log language closes and reopens the document (and a change fired while it was
    // still opening is dropped): read again once it is open, which also follows it again.
    this.opened = vscode.workspace.onDidOpenTextDocument((d) => {
      if (d.uri.scheme === LOG_SCHEME) this.changed.fire(d.uri);
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = uriToRef(uri.path, uri.query);
    try {
      // Watch first, then read: a write between the two would otherwise never be seen.
      this.tail(uri, ref.root, ref.pathspec);
      return await logText(ref);
    } catch (err) {
      return `Cannot show ${uri.path}: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }

  /** Whether a log document is being followed (tests wait for it to stop once the task is done). */
  isTailing(uri: vscode.Uri): boolean {
    return this.tails.has(uri.toString());
  }

  private tail(uri: vscode.Uri, root: string, pathspec: string): void {
    const key = uri.toString();
    const task = parseTaskPathspec(pathspec);
    if (!task) return;
    const dir = taskDir(root, task);
    if (this.tails.has(key) || existsSync(join(dir, 'DONE')) || !existsSync(dir)) return;
    // Re-read on a timer while the task runs (VS Code applies a re-read only when the text
    // changed): simple, and independent of file-watcher limits on the machine.
    const timer = setInterval(() => {
      this.changed.fire(uri);
      if (existsSync(join(dir, 'DONE'))) this.stopTail(key);
    }, TAIL_INTERVAL_MS);
    this.tails.set(key, () => clearInterval(timer));
  }

  private stopTail(key: string): void {
    this.tails.get(key)?.();
    this.tails.delete(key);
  }

  dispose(): void {
    for (const k of [...this.tails.keys()]) this.stopTail(k);
    this.closed.dispose();
    this.opened.dispose();
    this.changed.dispose();
  }
}

export function registerContentProviders(): { logs: LogContentProvider; disposables: vscode.Disposable[] } {
  const logs = new LogContentProvider();
  return {
    logs,
    disposables: [
      logs,
      vscode.workspace.registerTextDocumentContentProvider(ARTIFACT_SCHEME, new ArtifactContentProvider()),
      vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, logs),
    ],
  };
}
