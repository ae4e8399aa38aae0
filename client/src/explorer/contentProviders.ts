/**
 * The read-only documents behind `stepwise-artifact:` and `stepwise-log:` URIs. A log of a
 * running task is live: its log is re-read while the document is open, and the document
 * updates as the task writes (until the task's final record appears).
 */
import * as vscode from 'vscode';
import { Metaflow } from '../../../runtime/src/client';
import { isRemoteRoot } from '../datastore';
import { ARTIFACT_SCHEME, LOG_SCHEME, artifactText, logText, uriToRef } from './documents';
import { parseTaskPathspec } from '../../../runtime/src/pathspec';

/** How often the log of a running task is re-read while its document is open. */
const TAIL_INTERVAL_MS = 300;
/** The same for a remote (S3) datastore, whose logs are stored every 2 s anyway. */
const REMOTE_TAIL_INTERVAL_MS = 1000;

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
    if (this.tails.has(key)) return;
    const task = parseTaskPathspec(pathspec);
    if (!task) return;
    // Through the datastore (a folder or S3 alike): a task is done once its final record exists.
    const store = Metaflow({ root }).datastore;
    const done = () =>
      store.readTask(task.flow, task.runId, task.step, task.taskId).then(
        (t) => !!t,
        () => true,
      );
    // Re-read on a timer while the task runs (VS Code applies a re-read only when the text
    // changed): simple, and independent of file-watcher limits on the machine.
    const timer = setInterval(
      () => {
        this.changed.fire(uri);
        void done().then((d) => d && this.stopTail(key));
      },
      isRemoteRoot(root) ? REMOTE_TAIL_INTERVAL_MS : TAIL_INTERVAL_MS,
    );
    this.tails.set(key, () => clearInterval(timer));
    void done().then((d) => d && this.stopTail(key));
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
