/**
 * The artifact explorer: a tree in its own activity-bar container (flows › runs › steps › tasks
 * › artifacts and logs) over the workspace's datastore, its documents and commands.
 */
import * as vscode from 'vscode';
import { affectsDatastore, datastoreRootFor, isRemoteRoot, localRootFor } from '../datastore';
import type { FlowRunner } from '../runs/runner';
import { explorerCommands, openNode } from './commands';
import { registerContentProviders } from './contentProviders';
import { ExplorerModel, type ExplorerNode } from './model';
import { Views } from '../contributions';
import { ExplorerTreeProvider } from './treeProvider';

export type { ExplorerNode } from './model';

export interface ExplorerApi {
  /** The datastore the tree shows. */
  root(): string;
  /** The tree's top level and a node's children, through the same provider VS Code asks. */
  roots(): Promise<ExplorerNode[]>;
  children(node: ExplorerNode): Promise<ExplorerNode[]>;
  /** Opens an artifact or log node's document (what a click does). */
  open(node: ExplorerNode): Promise<vscode.TextEditor | undefined>;
  /** Shows the view and selects a node (expanding its parents). */
  reveal(node: ExplorerNode): Promise<void>;
  /** Fires after a datastore change reached the tree. */
  readonly onDidRefresh: vscode.Event<void>;
  /** How many run records the tree has read (unchanged runs are not read again). */
  runsRead(): number;
}

export function registerExplorer(context: vscode.ExtensionContext, runner: FlowRunner): ExplorerApi {
  const folderOf = () => vscode.workspace.workspaceFolders?.[0];
  const rootFor = () => {
    try {
      return datastoreRootFor(folderOf()?.uri.fsPath ?? process.cwd(), folderOf());
    } catch (err) {
      // Bad datastore settings: say so, and show the local store meanwhile.
      void vscode.window.showErrorMessage(`Stepwise: ${err instanceof Error ? err.message : String(err)}`);
      return localRootFor(folderOf()?.uri.fsPath ?? process.cwd());
    }
  };
  const tree = new ExplorerTreeProvider(new ExplorerModel(rootFor()));
  const view = vscode.window.createTreeView(Views.explorer, { treeDataProvider: tree, showCollapseAll: true });
  const watch = () => {
    const root = tree.model.root;
    // A remote store has no files to watch: the tree polls it while the view is visible.
    if (isRemoteRoot(root)) return tree.unwatch();
    const folder = folderOf();
    const rel = folder && root.startsWith(folder.uri.fsPath + '/') ? root.slice(folder.uri.fsPath.length + 1) : undefined;
    tree.watch(rel ? new vscode.RelativePattern(folder!, `${rel}/**`) : new vscode.RelativePattern(vscode.Uri.file(root), '**'));
  };
  watch();
  tree.poll(() => view.visible);
  const docs = registerContentProviders();
  context.subscriptions.push(
    tree,
    view,
    ...docs.disposables,
    ...explorerCommands({ tree, runner, cwd: () => folderOf()?.uri.fsPath }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      tree.setModel(new ExplorerModel(rootFor()));
      watch();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsDatastore(e)) return;
      tree.setModel(new ExplorerModel(rootFor()));
      watch();
    }),
    // A run started from VS Code shows up at once, without waiting for the watcher.
    runner.onDidStart((r) => tree.refreshRun(r.flow, r.runId)),
    runner.onDidFinish((r) => r.flow && r.runId && tree.refreshRun(r.flow, r.runId)),
  );
  return {
    root: () => tree.model.root,
    roots: () => tree.getChildren(),
    children: (n) => tree.getChildren(n),
    open: (n) => openNode(tree, n),
    reveal: async (n) => {
      await view.reveal(n, { select: true, focus: false, expand: true });
    },
    onDidRefresh: tree.onDidRefresh,
    runsRead: () => tree.model.stats.runs,
  };
}
