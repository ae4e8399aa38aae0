/**
 * The notebook controller "Stepwise (TypeScript)" for Jupyter notebooks: one kernel process per
 * notebook (runtime/src/notebook/client.ts), cells run one after another, their outputs
 * streamed into the cell as they come. Offered for every `.ipynb`; preferred for notebooks whose
 * kernelspec names it (the task notebooks Stepwise writes).
 */
import * as vscode from 'vscode';
import { KernelClient, type ExecuteOutcome } from '../../../runtime/src/notebook/client';
import { KERNELSPEC } from '../../../runtime/src/notebook/builder/ipynb';
import { configuredNode } from '../nodeRuntime';
import { kernelPlace, taskNotebookMeta } from './place';
import { errorOutput, richOutput, StreamWriter } from './outputs';

export const CONTROLLER_ID = 'stepwise-typescript';
export const NOTEBOOK_TYPE = 'jupyter-notebook';

export interface CellFinished {
  notebook: vscode.Uri;
  index: number;
  outcome: ExecuteOutcome;
}

export class KernelController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly kernels = new Map<string, KernelClient>();
  private readonly order = new Map<string, number>();
  /** Notebooks whose current batch of cells was interrupted: the rest of the batch does not run. */
  private readonly interrupted = new Set<string>();
  private readonly finished = new vscode.EventEmitter<CellFinished>();
  readonly onDidFinishCell = this.finished.event;
  /** Notebooks that have this kernel selected. */
  private readonly selected = new Set<string>();
  private readonly selection = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChangeSelection = this.selection.event;
  private readonly subs: vscode.Disposable[];

  constructor(
    private readonly kernelEntry: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, KERNELSPEC.display_name);
    this.controller.supportedLanguages = ['typescript', 'javascript'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'TypeScript in a Node kernel, with the Stepwise client API';
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    this.controller.interruptHandler = (notebook) => this.interrupt(notebook);
    this.subs = [
      this.controller,
      this.finished,
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.prefer(nb)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => void this.shutdown(nb.uri)),
      this.selection,
      this.controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
        if (selected) this.selected.add(notebook.uri.toString());
        else {
          this.selected.delete(notebook.uri.toString());
          void this.shutdown(notebook.uri);
        }
        this.selection.fire(notebook.uri);
      }),
    ];
    vscode.workspace.notebookDocuments.forEach((nb) => this.prefer(nb));
  }

  /** A notebook written for this kernel gets it without asking. */
  prefer(nb: vscode.NotebookDocument): void {
    if (nb.notebookType !== NOTEBOOK_TYPE) return;
    const spec = (nb.metadata as { metadata?: { kernelspec?: { name?: string } } }).metadata?.kernelspec;
    if (spec?.name === KERNELSPEC.name) this.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
  }

  isSelected(uri: vscode.Uri): boolean {
    return this.selected.has(uri.toString());
  }

  kernelOf(uri: vscode.Uri): KernelClient | undefined {
    return this.kernels.get(uri.toString());
  }

  private kernelFor(nb: vscode.NotebookDocument): KernelClient {
    const key = nb.uri.toString();
    let k = this.kernels.get(key);
    if (k) return k;
    const folder = vscode.workspace.getWorkspaceFolder(nb.uri)?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const place = kernelPlace(nb.uri.scheme === 'file' ? nb.uri.fsPath : undefined, folder, taskNotebookMeta(nb.metadata));
    const node = configuredNode(nb.uri);
    k = new KernelClient({
      cwd: place.cwd,
      notebookDir: place.notebookDir,
      nodePath: node.command,
      env: { ...process.env, ...node.env, ...place.env },
      entry: this.kernelEntry,
    });
    k.onDidDie((e) => {
      this.log.warn(`kernel of ${nb.uri.fsPath} died: ${JSON.stringify(e)}`);
      void vscode.window.showWarningMessage(
        `Stepwise: the kernel of ${vscode.workspace.asRelativePath(nb.uri)} died (${e.signal ?? `exit code ${e.code}`}). The next cell you run starts a new one.`,
      );
    });
    this.kernels.set(key, k);
    return k;
  }

  private async execute(cells: vscode.NotebookCell[], nb: vscode.NotebookDocument): Promise<void> {
    const key = nb.uri.toString();
    this.interrupted.delete(key);
    for (const cell of cells) {
      const outcome = await this.runCell(cell, nb);
      // Like Jupyter's Run All: a failing or interrupted cell stops the ones after it.
      if (outcome.status !== 'ok' || this.interrupted.has(key)) break;
    }
    this.interrupted.delete(key);
  }

  private async runCell(cell: vscode.NotebookCell, nb: vscode.NotebookDocument): Promise<ExecuteOutcome> {
    const key = nb.uri.toString();
    const exec = this.controller.createNotebookCellExecution(cell);
    const order = (this.order.get(key) ?? 0) + 1;
    this.order.set(key, order);
    exec.executionOrder = order;
    exec.start(Date.now());
    await exec.clearOutput();
    const streams = new StreamWriter(exec);
    // Output that comes after the cell ended (a timer it left behind) cannot be added to it: it
    // goes to the Stepwise output channel instead.
    let ended = false;
    const late = (what: string) =>
      this.log.info(`after Cell ${cell.index + 1} of ${vscode.workspace.asRelativePath(nb.uri)} ended: ${what}`);
    let outcome: ExecuteOutcome;
    try {
      outcome = await this.kernelFor(nb).execute(
        cell.document.getText(),
        `Cell ${cell.index + 1}`,
        {
          stream: (name, text) => (ended ? late(text.trimEnd()) : streams.write(name, text)),
          output: (_kind, items) => {
            if (ended) return late(items.find((i) => i.mime === 'text/plain')?.data ?? items[0]?.mime ?? '');
            streams.break();
            void exec.appendOutput(richOutput(items));
          },
          error: (e) => {
            if (ended) return late(e.stack || `${e.name}: ${e.message}`);
            streams.break();
            void exec.appendOutput(errorOutput(e));
          },
        },
        cell.document.languageId === 'javascript' ? 'javascript' : 'typescript',
      );
    } catch (err) {
      // The kernel could not start (no Node, no dist/kernel.js): say why in the cell.
      outcome = { status: 'died', ms: 0, message: `The Stepwise kernel could not start: ${(err as Error).message}` };
    }
    if (outcome.message) {
      const name = outcome.status === 'died' ? 'Kernel died' : outcome.restarted ? 'Kernel restarted' : 'Interrupted';
      await exec.appendOutput(errorOutput({ name, message: outcome.message, stack: '' }));
    }
    if (outcome.restarted) this.order.set(key, 0);
    ended = true;
    exec.end(outcome.status === 'ok', Date.now());
    this.finished.fire({ notebook: nb.uri, index: cell.index, outcome });
    return outcome;
  }

  private async interrupt(nb: vscode.NotebookDocument): Promise<void> {
    const k = this.kernels.get(nb.uri.toString());
    if (!k) return;
    this.interrupted.add(nb.uri.toString());
    const r = await k.interrupt();
    this.log.info(`interrupt ${nb.uri.fsPath}: ${r}`);
  }

  /** Restart: a fresh kernel; the execution count starts again. */
  async restart(nb: vscode.NotebookDocument): Promise<void> {
    const k = this.kernels.get(nb.uri.toString());
    this.order.set(nb.uri.toString(), 0);
    if (k) await k.restart();
  }

  private async shutdown(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const k = this.kernels.get(key);
    this.kernels.delete(key);
    this.order.delete(key);
    await k?.dispose();
  }

  dispose(): void {
    for (const k of this.kernels.values()) void k.dispose();
    this.kernels.clear();
    for (const d of this.subs) d.dispose();
  }
}
