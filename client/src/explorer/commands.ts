/** The explorer's commands: open, page, copy, reveal, preview, resume, compare, delete. */
import * as vscode from 'vscode';
import { Flow } from '../../../runtime/src/client';
import { Commands, executeCommand, LOG_LANGUAGE, registerCommand } from '../contributions';
import type { FlowRunner } from '../runs/runner';
import { ARTIFACT_SCHEME, refToUri } from './documents';
import type { ArtifactNode, ExplorerNode, RunNode, RunStepNode, TaskNode } from './model';
import type { ExplorerTreeProvider } from './treeProvider';
import { runPathspec, stepPathspec } from '../../../runtime/src/pathspec';

export interface ExplorerCommandDeps {
  tree: ExplorerTreeProvider;
  runner: FlowRunner;
  /** Where runs of a flow are started from (state/service.ts). */
  runFolderOf(file: string): string;
}

export function explorerCommands(d: ExplorerCommandDeps): vscode.Disposable[] {
  return [
    registerCommand(Commands.explorerRefresh, () => d.tree.refresh()),
    registerCommand(Commands.explorerOpen, (n) => openNode(d.tree, n)),
    registerCommand(Commands.explorerLoadMore, (n) => {
      const step = d.tree.model.loadMore(n);
      d.tree.refresh(step);
    }),
    registerCommand(Commands.explorerCopyPathspec, async (n) => {
      const p = pathspecOf(n);
      if (!p) return;
      await vscode.env.clipboard.writeText(p);
      vscode.window.setStatusBarMessage(`Copied ${p}`, 3000);
    }),
    registerCommand(Commands.explorerRevealStep, (n) => revealStep(n.file, n.step)),
    registerCommand(Commands.explorerShowInPreview, async (n) => {
      await executeCommand(Commands.showDag, vscode.Uri.file(n.file));
    }),
    registerCommand(Commands.explorerResume, (n) => resume(d, n, false)),
    registerCommand(Commands.explorerResumeDebug, (n) => resume(d, n, true)),
    // The debugger's command: the flow's Uri, then the task within its flow.
    registerCommand(Commands.explorerDebugTask, (n) =>
      executeCommand(Commands.debugTask, vscode.Uri.file(n.file), `${n.runId}/${n.step}/${n.taskId}`),
    ),
    registerCommand(Commands.explorerCompare, (n) => compare(d.tree, n)),
    registerCommand(Commands.explorerDeleteRun, (n) => deleteRun(d.tree, n)),
  ];
}

function pathspecOf(n: ExplorerNode): string | undefined {
  switch (n.kind) {
    case 'flow':
      return n.flow;
    case 'run':
      return runPathspec(n.flow, n.runId);
    case 'step':
      return stepPathspec(n.flow, n.runId, n.step);
    case 'task':
      return n.pathspec;
    case 'artifact':
      return `${n.pathspec}/${n.name}`;
    case 'log':
      return n.pathspec;
    default:
      return undefined;
  }
}

export async function openNode(tree: ExplorerTreeProvider, n: ExplorerNode): Promise<vscode.TextEditor | undefined> {
  const uri = tree.uriOf(n);
  if (!uri) return undefined;
  const doc = await vscode.workspace.openTextDocument(uri);
  if (n.kind === 'log') await vscode.languages.setTextDocumentLanguage(doc, LOG_LANGUAGE);
  // A tab of its own (titled `items · train∕3`): values of two tasks side by side, not replacing each other.
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Opens the flow file at the step's method, using the language server's outline when it has one. */
export async function revealStep(file: string, step: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  let range: vscode.Range | undefined;
  const symbols = await vscode.commands
    .executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', doc.uri)
    .then(
      (s) => s,
      () => undefined,
    );
  const find = (list: vscode.DocumentSymbol[] | undefined): vscode.DocumentSymbol | undefined => {
    for (const s of list ?? []) {
      if (s.name === step && (s.kind === vscode.SymbolKind.Method || s.kind === vscode.SymbolKind.Function)) return s;
      const inner = find(s.children);
      if (inner) return inner;
    }
    return undefined;
  };
  const sym = find(symbols);
  if (sym) range = sym.selectionRange;
  else {
    // No outline (the flow changed, or no server): the method's name in the text.
    const m = new RegExp(`^\\s*(?:@step\\s+)?(?:async\\s+)?${step}\\s*\\(`, 'm').exec(doc.getText());
    if (m) {
      const at = doc.positionAt(m.index + m[0].indexOf(step));
      range = new vscode.Range(at, at.translate(0, step.length));
    }
  }
  const editor = await vscode.window.showTextDocument(doc);
  if (range) {
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  } else {
    void vscode.window.showWarningMessage(`Stepwise: step ${step} is no longer in ${vscode.workspace.asRelativePath(file)}.`);
  }
}

async function resume(d: ExplorerCommandDeps, n: RunStepNode | TaskNode, debug: boolean): Promise<void> {
  if (debug) {
    // The debugger's command (client/src/debug): the flow's Uri, then the run and step to resume.
    await executeCommand(Commands.resumeDebug, vscode.Uri.file(n.file), { originRunId: n.runId, step: n.step });
    return;
  }
  await d.runner.start({ file: n.file, cwd: d.runFolderOf(n.file), command: 'resume', args: [n.step, '--origin-run-id', n.runId] });
}

/** Diffs an artifact with the same artifact of the same step in another run of the flow. */
async function compare(tree: ExplorerTreeProvider, n: ArtifactNode): Promise<void> {
  const root = tree.model.root;
  const runs = await Flow(n.flow, { root }).runs({ limit: 100 });
  const picks: Array<vscode.QuickPickItem & { pathspec: string }> = [];
  for (const r of runs) {
    if (r.id === n.runId) continue;
    const step = r.step(n.step);
    const ids = await step.taskIds().catch(() => [] as string[]);
    // The same task position in the step: the same foreach index when the step fans out.
    const mine = await Flow(n.flow, { root })
      .run(n.runId)
      .then((run) => run.step(n.step).taskIds());
    const id = ids[Math.max(0, mine.indexOf(n.taskId))] ?? ids[0];
    if (!id) continue;
    const t = await step.task(id).catch(() => undefined);
    if (!t?.hasData(n.name)) continue;
    picks.push({
      label: r.id,
      description: `${r.status} · ${r.createdAt.toLocaleString()}`,
      detail: t.artifactRecord(n.name)?.preview,
      pathspec: t.pathspec,
    });
  }
  if (!picks.length) {
    void vscode.window.showInformationMessage(`Stepwise: no other run of ${n.flow} has ${n.step}.${n.name}.`);
    return;
  }
  const pick = await vscode.window.showQuickPick(picks, { title: `Compare ${n.step}.${n.name} of run ${n.runId} with…` });
  if (!pick) return;
  const left = vscode.Uri.from(refToUri(ARTIFACT_SCHEME, { root, pathspec: pick.pathspec, name: n.name }));
  const right = vscode.Uri.from(refToUri(ARTIFACT_SCHEME, { root, pathspec: n.pathspec, name: n.name }));
  await vscode.commands.executeCommand('vscode.diff', left, right, `${n.name}: ${pick.label} ↔ ${n.runId}`);
}

async function deleteRun(tree: ExplorerTreeProvider, n: RunNode): Promise<void> {
  const ok = await vscode.window.showWarningMessage(
    `Delete run ${n.flow}/${n.runId}?`,
    { modal: true, detail: 'Its records and logs are removed from the datastore. Artifact blobs that other runs still use stay.' },
    'Delete',
  );
  if (ok !== 'Delete') return;
  await Flow(n.flow, { root: tree.model.root }).deleteRun(n.runId);
  tree.model.invalidateRun(n.flow, n.runId);
  tree.refresh(tree.model.node(`flow:${n.flow}`));
}
