/** The explorer's `TreeDataProvider`: maps the plain model's nodes to tree items; refreshed from the run-state feed. */
import * as vscode from 'vscode';
import { commandLink, Commands, explorerItemContext } from '../contributions';
import { ExplorerModel, type ExplorerNode, type NodeStatus } from './model';
import { ARTIFACT_SCHEME, LOG_SCHEME, refToUri } from './documents';

const ICONS: Record<NodeStatus, [string, string | undefined]> = {
  succeeded: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  running: ['sync~spin', 'charts.blue'],
  killed: ['circle-slash', 'testing.iconSkipped'],
  cloned: ['references', 'testing.iconPassed'],
  damaged: ['warning', 'problemsWarningIcon.foreground'],
  'not-run': ['circle-outline', undefined],
  caught: ['shield', 'charts.orange'],
};

export class ExplorerTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly refreshed = new vscode.EventEmitter<void>();
  /** Fires after a datastore change was applied to the tree (tests wait on it). */
  readonly onDidRefresh = this.refreshed.event;
  private polling = false;

  constructor(public model: ExplorerModel) {}

  /**
   * Compares the tree with the datastore (directory listings only) — a safety net for file
   * events that never arrive (watch limits, network folders, a remote store) — and refreshes
   * what changed. The run-state feed's ticks call it while the view is visible.
   */
  poll(): void {
    if (this.polling) return;
    this.polling = true;
    this.model
      .poll()
      .then((nodes) => {
        if (!nodes.length) return;
        if (nodes.includes(undefined)) this.changed.fire(undefined);
        else for (const n of nodes) this.changed.fire(n);
        this.refreshed.fire();
      })
      .catch(() => undefined)
      .finally(() => (this.polling = false));
  }

  setModel(model: ExplorerModel): void {
    // Another datastore: the same filter.
    model.setFilter(this.model.filter);
    this.model = model;
    this.refresh();
  }

  /** Lists only the runs carrying `tag` (filter.ts), or every run. */
  setFilter(tag: string | undefined): void {
    this.model.setFilter(tag);
    this.changed.fire(undefined);
  }

  refresh(node?: ExplorerNode): void {
    if (!node) this.model.clear();
    this.changed.fire(node);
  }

  /** Refreshes a run that changed (its flow's node, which lists it again). */
  refreshRun(flow: string, runId: string): void {
    this.changed.fire(this.model.invalidateRun(flow, runId));
  }

  /** Files under the datastore changed (one batch from the run-state feed): refreshes their runs. */
  filesChanged(paths: readonly string[]): void {
    const nodes = new Set<ExplorerNode | undefined>();
    for (const p of paths) nodes.add(this.model.invalidate(p));
    if (nodes.has(undefined)) this.changed.fire(undefined);
    else for (const n of nodes) this.changed.fire(n);
    this.refreshed.fire();
  }

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    return node ? this.model.children(node) : this.model.roots();
  }

  getParent(n: ExplorerNode): ExplorerNode | undefined {
    return n.parentId ? this.model.node(n.parentId) : undefined;
  }

  getTreeItem(n: ExplorerNode): vscode.TreeItem {
    const item = new vscode.TreeItem(
      n.label,
      n.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = n.id;
    item.description = n.description;
    item.tooltip = n.tooltip;
    item.contextValue = explorerItemContext(n.kind);
    if (n.status) {
      const [icon, color] = ICONS[n.status];
      item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    }
    switch (n.kind) {
      case 'flow':
        item.iconPath = new vscode.ThemeIcon('type-hierarchy');
        item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
        break;
      case 'artifact': {
        item.iconPath = new vscode.ThemeIcon('symbol-variable');
        item.command = commandLink(Commands.explorerOpen, 'Open Artifact', n);
        break;
      }
      case 'log':
        item.iconPath = new vscode.ThemeIcon(n.stream === 'stderr' ? 'output' : 'terminal');
        item.command = commandLink(Commands.explorerOpen, 'Show Log', n);
        break;
      case 'more':
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = commandLink(Commands.explorerLoadMore, 'Load More', n);
        break;
      case 'info':
        item.iconPath ??= new vscode.ThemeIcon('info');
        break;
    }
    return item;
  }

  /** The URI the artifact or log node opens. */
  uriOf(n: ExplorerNode): vscode.Uri | undefined {
    if (n.kind === 'artifact')
      return vscode.Uri.from(refToUri(ARTIFACT_SCHEME, { root: this.model.root, pathspec: n.pathspec, name: n.name }));
    if (n.kind === 'log') {
      // An earlier attempt's log is `stdout.<n>`, as its file (documents.ts reads it back).
      const name = n.attempt === undefined ? n.stream : `${n.stream}.${n.attempt}`;
      return vscode.Uri.from(refToUri(LOG_SCHEME, { root: this.model.root, pathspec: n.pathspec, name }));
    }
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
    this.refreshed.dispose();
  }
}
