/**
 * Debug a task in a notebook: the "Stepwise (TypeScript)" kernel and the commands that open a
 * task's notebook and act from it. Every registration of this part is here, in one place, to
 * move into the typed contributions module when it lands.
 */
import * as vscode from 'vscode';
import type { ExecuteOutcome, KernelClient } from '../../../runtime/src/notebook/client';
import { PausedTaskTracker } from '../preview/pausedTask';
import type { ShownRun } from '../preview/stepTask';
import type { FlowRunner } from '../runs/runner';
import { Commands, ContextKeys, registerCommand, setContext } from '../contributions';
import {
  notebookOf,
  openTaskNotebook,
  resumeDebugFromNotebook,
  resumeFromNotebook,
  revealFromNotebook,
  type NotebookCommandDeps,
  type TaskArg,
} from './commands';
import { KernelController, type CellFinished } from './controller';
import { taskNotebookMeta } from './place';

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
  previewRun(): ShownRun | undefined;
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
    void setContext(ContextKeys.isTaskNotebook, !!taskNotebookMeta(e?.notebook.metadata));
  context.subscriptions.push(
    controller,
    paused,
    registerCommand(Commands.openTaskNotebook, (arg) => openTaskNotebook(d, arg as TaskArg)),
    registerCommand(Commands.notebookResume, (arg) => resumeFromNotebook(d, arg)),
    registerCommand(Commands.notebookResumeDebug, (arg) => resumeDebugFromNotebook(d, arg)),
    registerCommand(Commands.notebookRevealStep, (arg) => revealFromNotebook(d, arg)),
    registerCommand(Commands.notebookRestartKernel, async (arg) => {
      const nb = notebookOf(arg);
      if (nb) await controller.restart(nb);
    }),
    vscode.window.onDidChangeActiveNotebookEditor(setTaskNotebook),
    paused.onDidChange((p) => void setContext(ContextKeys.pausedInTask, !!p)),
  );
  setTaskNotebook(vscode.window.activeNotebookEditor);
  return {
    openTaskNotebook: (arg) => openTaskNotebook(d, arg as TaskArg),
    kernelOf: (uri) => controller.kernelOf(uri),
    isSelected: (uri) => controller.isSelected(uri),
    onDidChangeSelection: controller.onDidChangeSelection,
    onDidFinishCell: controller.onDidFinishCell,
  };
}

export type { ExecuteOutcome };
