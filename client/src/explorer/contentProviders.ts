/**
 * The read-only documents behind `stepwise-artifact:` and `stepwise-log:` URIs. A log of a
 * running task is live: the task's folder is watched while the document is open, and the
 * document updates as the task writes (until its DONE marker appears).
 */
import { watch, existsSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ARTIFACT_SCHEME, LOG_SCHEME, artifactText, logText, uriToRef } from './documents';

export const LOG_LANGUAGE = 'stepwise-log';

export class ArtifactContentProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    return artifactText(uriToRef(uri.path, uri.query)).catch((err: unknown) => `// Cannot show ${uri.path}: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

export class LogContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly tails = new Map<string, FSWatcher>();
  private readonly closed: vscode.Disposable;

  constructor() {
    this.closed = vscode.workspace.onDidCloseTextDocument((d) => this.stopTail(d.uri.toString()));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = uriToRef(uri.path, uri.query);
    try {
      // Watch first, then read: a write between the two would otherwise never be seen.
      this.tail(uri, ref.root, ref.pathspec, ref.name);
      return await logText(ref);
    } catch (err) {
      return `Cannot show ${uri.path}: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }

  /** Whether a log document is being followed (tests wait for it to stop once the task is done). */
  isTailing(uri: vscode.Uri): boolean {
    return this.tails.has(uri.toString());
  }

  private tail(uri: vscode.Uri, root: string, pathspec: string, stream: string): void {
    const key = uri.toString();
    const [flow, runId, step, taskId] = pathspec.split('/');
    const dir = join(root, flow, 'runs', runId, step, taskId);
    if (this.tails.has(key) || existsSync(join(dir, 'DONE')) || !existsSync(dir)) return;
    let pending: NodeJS.Timeout | undefined;
    const w = watch(dir, (_event, name) => {
      if (name && name !== `${stream}.log` && name !== 'DONE') return;
      // Coalesce a burst of appends into one re-read.
      pending ??= setTimeout(() => {
        pending = undefined;
        this.changed.fire(uri);
        if (existsSync(join(dir, 'DONE'))) this.stopTail(key);
      }, 100);
    });
    w.on('error', () => this.stopTail(key));
    this.tails.set(key, w);
  }

  private stopTail(key: string): void {
    this.tails.get(key)?.close();
    this.tails.delete(key);
  }

  dispose(): void {
    for (const k of [...this.tails.keys()]) this.stopTail(k);
    this.closed.dispose();
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
