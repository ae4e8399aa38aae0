/**
 * The Runs view's filter, by tag or namespace (Metaflow's namespaces are tags: `user:alice`,
 * `project:fraud_model`, `project_branch:prod`, or any user tag). "Filter Runs…" offers every tag
 * the datastore's runs carry, namespaces first, or a tag typed in; the view's description says
 * what it shows, and "Clear Filter" (in the view's title while a filter is on) lists every run again.
 */
import * as vscode from 'vscode';
import { Commands, ContextKeys, registerCommand, setContext } from '../contributions';
import { filterDescription, isNamespaceTag } from './production';
import type { ExplorerTreeProvider } from './treeProvider';

interface TagItem extends vscode.QuickPickItem {
  tag?: string;
}

/** The quick pick's items: namespaces, then user tags, then other system tags; each with its run count. */
export function filterItems(counts: Map<string, number>, current: string | undefined): TagItem[] {
  const item = (tag: string): TagItem => ({
    label: tag,
    description: `${counts.get(tag)} run${counts.get(tag) === 1 ? '' : 's'}${tag === current ? ' · current filter' : ''}`,
    tag,
  });
  const tags = [...counts.keys()].sort();
  const namespaces = tags.filter(isNamespaceTag);
  const user = tags.filter((t) => !isNamespaceTag(t) && !t.startsWith('runtime:'));
  const items: TagItem[] = [];
  if (current !== undefined) items.push({ label: '$(clear-all) Every run', description: 'clear the filter' });
  if (namespaces.length) items.push({ label: 'Namespaces', kind: vscode.QuickPickItemKind.Separator }, ...namespaces.map(item));
  if (user.length) items.push({ label: 'Tags', kind: vscode.QuickPickItemKind.Separator }, ...user.map(item));
  return items;
}

export function registerRunFilter(tree: ExplorerTreeProvider, view: vscode.TreeView<unknown>): vscode.Disposable[] {
  const apply = (tag: string | undefined) => {
    tree.setFilter(tag);
    view.description = filterDescription(tag);
    void setContext(ContextKeys.runsFiltered, tag !== undefined);
  };
  return [
    registerCommand(Commands.explorerFilter, async (given?: string) => {
      if (given !== undefined) return apply(given.trim() || undefined);
      const pick = vscode.window.createQuickPick<TagItem>();
      pick.title = 'Filter Runs by Tag or Namespace';
      pick.placeholder = 'Pick a namespace or tag, or type one (e.g. user:alice, project_branch:prod, golden)';
      pick.busy = true;
      pick.show();
      const counts = await tree.model.knownTags().catch(() => new Map<string, number>());
      pick.items = filterItems(counts, tree.model.filter);
      pick.busy = false;
      const chosen = await new Promise<TagItem | string | undefined>((resolve) => {
        pick.onDidAccept(() => resolve(pick.selectedItems[0] ?? (pick.value.trim() || undefined)));
        pick.onDidHide(() => resolve(undefined));
      });
      pick.dispose();
      if (chosen === undefined) return undefined;
      apply(typeof chosen === 'string' ? chosen : chosen.tag);
      return undefined;
    }),
    registerCommand(Commands.explorerClearFilter, () => apply(undefined)),
  ];
}
