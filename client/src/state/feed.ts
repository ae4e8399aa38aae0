/**
 * One feed of changes per datastore: a file watcher on a local store (debounced, with the changed
 * paths) and one poll timer, at the pace the most eager subscriber asks for. The explorer, the
 * preview and the runs followed from a terminal or the debugger all subscribe to the same feed
 * instead of each watching and polling the store on its own.
 */
import { isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import { isRemoteRoot } from '../datastoreChoice';

/** What changed: files under a local store, a run the extension started or saw end, or a poll tick. */
export type FeedChange = { kind: 'files'; paths: string[] } | { kind: 'run'; flow: string; runId: string } | { kind: 'tick' };

export interface FeedSubscriber {
  on(change: FeedChange): void;
  /** How often this subscriber wants a tick now (ms), or undefined for none. */
  every?(): number | undefined;
}

/** Writes of one task (several files) arrive as one change. */
const DEBOUNCE_MS = 150;
/** How soon the pace is looked at again when no subscriber wants ticks. */
const IDLE_CHECK_MS = 1000;

export class DatastoreFeed implements vscode.Disposable {
  private readonly subscribers = new Set<FeedSubscriber>();
  private readonly watcher: vscode.FileSystemWatcher | undefined;
  private readonly pending = new Set<string>();
  private debounce: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastTick = Date.now();

  constructor(readonly root: string) {
    // A remote (s3://) store has no files to watch: the ticks follow it.
    if (!isRemoteRoot(root)) {
      this.watcher = vscode.workspace.createFileSystemWatcher(watchPattern(root));
      const on = (uri: vscode.Uri) => this.changed(uri.fsPath);
      this.watcher.onDidCreate(on);
      this.watcher.onDidChange(on);
      this.watcher.onDidDelete(on);
    }
    this.pace();
  }

  get size(): number {
    return this.subscribers.size;
  }

  subscribe(s: FeedSubscriber): vscode.Disposable {
    this.subscribers.add(s);
    this.pace();
    return new vscode.Disposable(() => this.subscribers.delete(s));
  }

  /** A run started or ended (the runner knows before the files say so). */
  announce(flow: string, runId: string): void {
    this.fire({ kind: 'run', flow, runId });
  }

  /** Asks for a tick soon, e.g. after a subscriber's wish for a faster pace changed. */
  pace(): void {
    if (this.timer) clearTimeout(this.timer);
    const every = this.every();
    const wait = every === undefined ? IDLE_CHECK_MS : Math.max(0, every - (Date.now() - this.lastTick));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (every !== undefined && this.every() !== undefined) {
        this.lastTick = Date.now();
        this.fire({ kind: 'tick' });
      }
      if (!this.disposed) this.pace();
    }, wait);
  }

  private every(): number | undefined {
    let min: number | undefined;
    for (const s of this.subscribers) {
      const e = s.every?.();
      if (e !== undefined && (min === undefined || e < min)) min = e;
    }
    return min;
  }

  private changed(path: string): void {
    this.pending.add(path);
    this.debounce ??= setTimeout(() => {
      this.debounce = undefined;
      const paths = [...this.pending];
      this.pending.clear();
      this.fire({ kind: 'files', paths });
    }, DEBOUNCE_MS);
  }

  private fire(change: FeedChange): void {
    for (const s of [...this.subscribers]) s.on(change);
  }

  private disposed = false;
  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    this.watcher?.dispose();
    this.subscribers.clear();
  }
}

/**
 * Inside a workspace folder, watch from the folder: that also sees the datastore folder being
 * created by the first run. Elsewhere, watch the datastore folder itself.
 */
function watchPattern(root: string): vscode.RelativePattern {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(root));
  const rel = folder ? relative(folder.uri.fsPath, root) : '';
  if (folder && rel && !rel.startsWith('..') && !isAbsolute(rel)) {
    return new vscode.RelativePattern(folder, `${rel.split(/[\\/]/).join('/')}/**`);
  }
  return new vscode.RelativePattern(vscode.Uri.file(root), '**');
}
