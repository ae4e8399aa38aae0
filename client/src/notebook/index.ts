/**
 * Debug a task in a notebook: the "Stepwise (TypeScript)" kernel and the commands that open a
 * task's notebook and act from it. Every registration of this part is here, in one place, to
 * move into the typed contributions module when it lands.
 */
import * as vscode from 'vscode';
import type { ExecuteOutcome, KernelClient } from '../../../runtime/src/notebook/client';
import { PausedTaskTracker } from '../preview/pausedTask';
import type { FlowRunner } from '../runs/runner';
import { notebookOf, openTaskNotebook, resumeFromNotebook, revealFromNotebook, type NotebookCommandDeps } from './commands';
import { KernelController, type CellFinished } from './controller';
import { taskNotebookMeta } from './place';

export const NotebookCommands = {
  open: 'stepwise.openTaskNotebook',
  resume: 'stepwise.notebook.resume',
  resumeDebug: 'stepwise.notebook.resumeDebug',
  revealStep: 'stepwise.notebook.revealStep',
  restartKernel: 'stepwise.notebook.restartKernel',
} as const;

/** Context keys: the active notebook is a task notebook; the debugger is stopped in a task. */
const IS_TASK_NOTEBOOK = 'stepwise.isTaskNotebook';
const PAUSED_IN_TASK = 'stepwise.pausedInTask';

export interface NotebookApi {
  /** Opens a task's notebook (what the command does), resolving with its editor. */
  openTaskNotebook(arg?: unknown): Promise<vscode.NotebookEditor | undefined>;
  kernelOf(notebook: vscode.Uri): KernelClient | undefined;
  /** Whether a notebook has the Stepwise kernel selected. */
  isSelected(notebook: vscode.Uri): boolean;
  readonly onDidChangeSelection: vscode.Event<vscode.Uri>;
  /** Fires when a cell's execution ends, with how it ended. */
  readonly onDidFinishCell: vscode.Event<CellFinished>;
}

export interface NotebookDeps {
  runner: FlowRunner;
  /** The datastore the explorer shows. */
  root(): string;
  revealStep(file: string, step: string): Promise<void>;
  /** The flow and run the DAG preview shows. */
  previewRun(): { flow: string; runId: string } | undefined;
  log: vscode.LogOutputChannel;
}

export function registerNotebook(context: vscode.ExtensionContext, deps: NotebookDeps): NotebookApi {
  const controller = new KernelController(context.asAbsolutePath('dist/kernel.js'), deps.log);
  const paused = new PausedTaskTracker();
  const d: NotebookCommandDeps = {
    controller,
    extensionId: context.extension.id,
    cliPath: context.asAbsolutePath('dist/cli.js'),
    root: deps.root,
    resume: (o) => deps.runner.start({ file: o.file, cwd: o.cwd, command: 'resume', args: [o.step, '--origin-run-id', o.originRunId] }),
    revealStep: deps.revealStep,
    pausedTask: () => paused.pathspec,
    previewRun: deps.previewRun,
  };
  const setTaskNotebook = (e: vscode.NotebookEditor | undefined) =>
    void vscode.commands.executeCommand('setContext', IS_TASK_NOTEBOOK, !!taskNotebookMeta(e?.notebook.metadata));
  const reg = (id: string, f: (...a: unknown[]) => unknown) => vscode.commands.registerCommand(id, f);
  context.subscriptions.push(
    controller,
    paused,
    reg(NotebookCommands.open, (arg) => openTaskNotebook(d, arg as Parameters<typeof openTaskNotebook>[1])),
    reg(NotebookCommands.resume, (arg) => resumeFromNotebook(d, arg, false)),
    reg(NotebookCommands.resumeDebug, (arg) => resumeFromNotebook(d, arg, true)),
    reg(NotebookCommands.revealStep, (arg) => revealFromNotebook(d, arg)),
    reg(NotebookCommands.restartKernel, async (arg) => {
      const nb = notebookOf(arg);
      if (nb) await controller.restart(nb);
    }),
    vscode.window.onDidChangeActiveNotebookEditor(setTaskNotebook),
    paused.onDidChange((p) => void vscode.commands.executeCommand('setContext', PAUSED_IN_TASK, !!p)),
  );
  setTaskNotebook(vscode.window.activeNotebookEditor);
  return {
    openTaskNotebook: (arg) => openTaskNotebook(d, arg as Parameters<typeof openTaskNotebook>[1]),
    kernelOf: (uri) => controller.kernelOf(uri),
    isSelected: (uri) => controller.isSelected(uri),
    onDidChangeSelection: controller.onDidChangeSelection,
    onDidFinishCell: controller.onDidFinishCell,
  };
}

export type { ExecuteOutcome };
