/**
 * The extension's run state, in one place: where a flow's datastore is, one change feed per
 * datastore (./feed.ts), and the reads of its runs and their live state (./runs.ts, the step
 * states through ./stepState.ts). The explorer, the DAG preview, the run commands and their
 * status bar item, the resume pickers and the debugger's runs all read it.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { affectsDatastore, datastoreRootFor, flowDatastoreFor, localRootFor } from '../datastore';
import { DatastoreFeed, type FeedSubscriber } from './feed';
import * as reads from './runs';

export class RunStateService implements vscode.Disposable {
  private readonly feeds = new Map<string, DatastoreFeed>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** The datastore settings or the workspace folders changed: every location may have moved. */
  readonly onDidChangeDatastore = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  /** The reads of runs and their state (plain functions over a datastore location). */
  readonly reads = reads;

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsDatastore(e)) this.changed.fire();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.changed.fire()),
    );
  }

  /**
   * Where the runs of the flow in `file` go, and are read from: the datastore the settings choose,
   * found from `cwd` when a process runs (or ran) there, else from the flow's workspace folder —
   * where runs started from VS Code run — else from the flow's own folder. Bad settings throw a
   * UsageError naming them.
   */
  datastoreOf(file: string, cwd?: string): string {
    return flowDatastoreFor(file, cwd);
  }

  /** The folder a run of `file` is started from: its workspace folder, else its own folder. */
  runFolderOf(file: string): string {
    return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath ?? dirname(file);
  }

  /**
   * The workspace's datastore (the explorer's): its first folder's. Bad settings are reported,
   * and the local store is shown meanwhile.
   */
  workspaceDatastore(): string {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const path = folder?.uri.fsPath ?? process.cwd();
    try {
      return datastoreRootFor(path, folder);
    } catch (err) {
      void vscode.window.showErrorMessage(`Stepwise: ${err instanceof Error ? err.message : String(err)}`);
      return localRootFor(path);
    }
  }

  /** Follows a datastore's changes; the feed lives while anyone subscribes. */
  subscribe(root: string, s: FeedSubscriber): vscode.Disposable {
    let feed = this.feeds.get(root);
    if (!feed) this.feeds.set(root, (feed = new DatastoreFeed(root)));
    const sub = feed.subscribe(s);
    return new vscode.Disposable(() => {
      sub.dispose();
      if (feed.size === 0 && this.feeds.get(root) === feed) {
        feed.dispose();
        this.feeds.delete(root);
      }
    });
  }

  /** A run the extension started (or saw end): subscribers of its datastore hear at once. */
  announce(root: string, flow: string, runId: string): void {
    this.feeds.get(root)?.announce(flow, runId);
  }

  /** A subscriber's wish for ticks changed (a view became visible, a run started). */
  repace(root: string): void {
    this.feeds.get(root)?.pace();
  }

  dispose(): void {
    for (const f of this.feeds.values()) f.dispose();
    this.feeds.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
