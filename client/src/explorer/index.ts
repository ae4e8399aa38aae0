/**
 * The artifact explorer: a tree in its own activity-bar container (flows › runs › steps › tasks
 * › artifacts and logs) over the workspace's datastore, its documents and commands.
 */
import * as vscode from 'vscode';
import type { FlowRunner } from '../runs/runner';
import type { RunStateService } from '../state/service';
import { explorerCommands, openNode } from './commands';
import { registerContentProviders } from './contentProviders';
import { ExplorerModel, type ExplorerNode } from './model';
import { Views } from '../contributions';
import { ExplorerTreeProvider } from './treeProvider';
import { registerRunFilter } from './filter';

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
  /** The Runs view's filter (a tag or namespace) and the description the view shows for it. */
  filter(): { tag: string | undefined; description: string | undefined };
}

/** How often, and how far apart, a reveal is tried (see `reveal`). */
const REVEAL_ATTEMPTS = 5;
const REVEAL_RETRY_MS = 300;

/** How often the tree is compared with the datastore while the view is visible. */
const VISIBLE_POLL_MS = 2000;

export function registerExplorer(context: vscode.ExtensionContext, state: RunStateService, runner: FlowRunner): ExplorerApi {
  const tree = new ExplorerTreeProvider(new ExplorerModel(state.workspaceDatastore()));
  const view = vscode.window.createTreeView(Views.explorer, { treeDataProvider: tree, showCollapseAll: true });
  let feed: vscode.Disposable | undefined;
  const follow = () => {
    feed?.dispose();
    feed = state.subscribe(tree.model.root, {
      on: (c) => {
        if (c.kind === 'files') tree.filesChanged(c.paths);
        // A run started from VS Code shows up at once, without waiting for the files.
        else if (c.kind === 'run') tree.refreshRun(c.flow, c.runId);
        else if (view.visible) tree.poll();
      },
      every: () => (view.visible ? VISIBLE_POLL_MS : undefined),
    });
  };
  follow();
  const docs = registerContentProviders();
  context.subscriptions.push(
    tree,
    view,
    { dispose: () => feed?.dispose() },
    ...docs.disposables,
    ...explorerCommands({ tree, runner, runFolderOf: (file) => state.runFolderOf(file) }),
    ...registerRunFilter(tree, view),
    view.onDidChangeVisibility(() => state.repace(tree.model.root)),
    state.onDidChangeDatastore(() => {
      tree.setModel(new ExplorerModel(state.workspaceDatastore()));
      follow();
    }),
  );
  return {
    root: () => tree.model.root,
    roots: () => tree.getChildren(),
    children: (n) => tree.getChildren(n),
    open: (n) => openNode(tree, n),
    reveal: async (n) => {
      // The workbench's reveal does nothing, and says nothing, when an ancestor is not loaded in
      // the view yet (a view just shown loads its expanded nodes asynchronously): reveal until
      // the node is selected.
      for (let attempt = 1; ; attempt++) {
        await view.reveal(n, { select: true, focus: false, expand: true });
        if (view.selection.some((s) => s.id === n.id)) return;
        if (attempt === REVEAL_ATTEMPTS) throw new Error(`${n.label} is not shown in the Runs view after ${attempt} reveals`);
        await new Promise((r) => setTimeout(r, REVEAL_RETRY_MS));
      }
    },
    onDidRefresh: tree.onDidRefresh,
    runsRead: () => tree.model.stats.runs,
    filter: () => ({ tag: tree.model.filter, description: view.description }),
  };
}
