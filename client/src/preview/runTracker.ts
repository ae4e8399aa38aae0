/**
 * Keeps the preview's run picker and overlay current for one flow: reads its runs through the
 * RunSource and re-reads when anything under the datastore changes (a run started from a
 * terminal included). The newest run is shown unless the user picked another; a new run
 * appearing takes over again.
 */
import { relative, isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import type { RunOverlay } from '../../../webview/src/messages';
import { isRemoteRoot } from '../datastoreChoice';
import type { RunInfo, RunSource } from './types';

export interface RunView {
  runs: RunInfo[];
  selected?: string;
  overlay: RunOverlay | null;
}

const DEBOUNCE_MS = 150;
const POLL_MS = 1000;
/** A backstop for file-watcher events that never come (a folder created after the watch, load). */
const IDLE_POLL_MS = 3000;

export class RunTracker implements vscode.Disposable {
  private root: string | undefined;
  private flowName: string | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private pinned: string | undefined;
  private newest: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private readonly emitter = new vscode.EventEmitter<RunView>();
  readonly onDidChange = this.emitter.event;
  view: RunView = { runs: [], overlay: null };
  private fired = false;

  constructor(
    private readonly source: RunSource | undefined,
    private readonly log?: vscode.LogOutputChannel,
  ) {}

  /** Follows the flow `flowName` defined in a file of `fileDir`. */
  follow(fileDir: string | undefined, workspaceFolder: string | undefined, flowName: string | undefined): void {
    const root = fileDir ? this.rootOf(fileDir, workspaceFolder) : undefined;
    if (root === this.root && flowName === this.flowName) return;
    if (flowName !== this.flowName) {
      this.pinned = undefined;
      this.newest = undefined;
      // Never show one flow's runs on another's graph (steps named alike, `start` and `end` at
      // least, would take their colours) while the new flow's runs are read.
      if (this.view.runs.length || this.view.overlay) {
        this.view = { runs: [], overlay: null };
        this.emitter.fire(this.view);
      }
    }
    this.flowName = flowName;
    if (root !== this.root) {
      this.watcher?.dispose();
      this.watcher = undefined;
      this.root = root;
      // A remote (s3://) datastore has no files to watch: the polling below follows it.
      if (root && !isRemoteRoot(root)) {
        this.watcher = vscode.workspace.createFileSystemWatcher(watchPattern(root, workspaceFolder));
        const poke = () => this.schedule();
        this.watcher.onDidCreate(poke);
        this.watcher.onDidChange(poke);
        this.watcher.onDidDelete(poke);
      }
    }
    this.schedule(0);
  }

  /** The datastore's location; bad datastore settings show no runs (and say why in the log). */
  private rootOf(fileDir: string, workspaceFolder: string | undefined): string | undefined {
    try {
      return this.source?.datastoreRoot(fileDir, workspaceFolder);
    } catch (e) {
      this.log?.warn(`preview: no runs to show: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  select(runId: string): void {
    this.pinned = runId;
    this.schedule(0);
  }

  refresh(): void {
    this.schedule(0);
  }

  private schedule(ms = DEBOUNCE_MS): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.read();
    }, ms);
  }

  private async read(): Promise<void> {
    const gen = ++this.generation;
    const { source, root, flowName } = this;
    let view: RunView = { runs: [], overlay: null };
    if (source && root && flowName) {
      try {
        const runs = await source.listRuns(root, flowName);
        if (runs[0] && runs[0].runId !== this.newest) {
          // A new run started: show it, even over an earlier pick.
          if (this.newest !== undefined) this.pinned = undefined;
          this.newest = runs[0].runId;
        }
        const selected = runs.find((r) => r.runId === this.pinned)?.runId ?? runs[0]?.runId;
        const overlay = selected ? await source.overlay(root, flowName, selected) : null;
        view = { runs, selected, overlay };
      } catch (e) {
        this.log?.warn(`preview: could not read runs of ${flowName}: ${e instanceof Error ? e.message : String(e)}`);
        view = this.view;
      }
    }
    if (gen !== this.generation) return; // a newer read started meanwhile
    const changed = JSON.stringify(view) !== JSON.stringify(this.view) || !this.fired;
    this.view = view;
    this.fired = true;
    if (changed) this.emitter.fire(view);
    // Also poll: a runner that dies writes nothing a watcher could see, watchers may drop events
    // under a burst of writes, and a datastore folder created after the watch may go unseen.
    if (!this.timer && root && flowName) this.schedule(view.runs.some((r) => r.status === 'running') ? POLL_MS : IDLE_POLL_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.dispose();
    this.emitter.dispose();
  }
}

/**
 * Inside the workspace, watch from the workspace folder: that also sees the datastore folder
 * being created by the first run. Elsewhere, watch the datastore folder itself.
 */
function watchPattern(root: string, workspaceFolder: string | undefined): vscode.RelativePattern {
  const rel = workspaceFolder ? relative(workspaceFolder, root) : '';
  if (workspaceFolder && rel && !rel.startsWith('..') && !isAbsolute(rel)) {
    return new vscode.RelativePattern(vscode.Uri.file(workspaceFolder), `${rel.split(/[\\/]/).join('/')}/**`);
  }
  return new vscode.RelativePattern(vscode.Uri.file(root), '**');
}
