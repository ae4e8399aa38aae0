/**
 * Open Task in Notebook, and the task notebook's toolbar: Resume from this step (with or
 * without the debugger), Reveal step in flow, Restart kernel. The notebook itself is written by
 * the CLI (`stepwise notebook PATHSPEC --json`): the builder needs the TypeScript parser, which
 * the CLI bundle has and the extension host should not load.
 */
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { Metaflow } from '../../../runtime/src/client';
import { datastoreProcessEnv, isRemoteRoot } from '../datastore';
import type { TaskNotebookMeta } from '../../../runtime/src/notebook/builder/taskNotebook';
import { Commands, executeCommand } from '../contributions';
import { configuredNode } from '../nodeRuntime';
import type { RunOutcome } from '../runs/runner';
import { CONTROLLER_ID, type KernelController } from './controller';
import { taskNotebookMeta } from './place';
import { stepOfNode, taskOfStep, type ShownRun } from '../preview/stepTask';

export interface NotebookCommandDeps {
  controller: KernelController;
  extensionId: string;
  cliPath: string;
  /** The datastore the explorer shows (`…/.stepwise`). */
  root(): string;
  /** Starts `stepwise resume` with progress (the runner the explorer uses). */
  resume(o: { file: string; cwd: string; step: string; originRunId: string }): Promise<RunOutcome>;
  /** Opens the flow file at a step's method. */
  revealStep(file: string, step: string): Promise<void>;
  /** The task (run/step/task) the debugger is stopped in, if any. */
  pausedTask(): string | undefined;
  /** The flow and run the DAG preview shows (its node menu names only the step). */
  previewRun(): ShownRun | undefined;
}

/** What the places that open a task pass: a pathspec, a tree node, a DAG node's context. */
export type TaskArg = string | { pathspec?: unknown; kind?: unknown } | { webviewSection?: unknown; step?: unknown } | undefined;

const PATHSPEC = /^([^/\s]+\/)?\d+\/[^/\s]+\/[^/\s]+$/;

export async function openTaskNotebook(d: NotebookCommandDeps, arg: TaskArg): Promise<vscode.NotebookEditor | undefined> {
  const pathspec = await pathspecOf(d, arg);
  if (!pathspec) return undefined;
  const root = d.root();
  let made: { path: string; pathspec: string };
  try {
    made = await writeNotebook(d, pathspec, root);
  } catch (err) {
    void vscode.window.showErrorMessage(`Stepwise: cannot open ${pathspec} in a notebook: ${(err as Error).message}`);
    return undefined;
  }
  const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(made.path));
  d.controller.controller.updateNotebookAffinity(doc, vscode.NotebookControllerAffinity.Preferred);
  const editor = await vscode.window.showNotebookDocument(doc);
  await vscode.commands.executeCommand('notebook.selectKernel', { notebookEditor: editor, id: CONTROLLER_ID, extension: d.extensionId });
  return editor;
}

/**
 * Runs `stepwise notebook PATHSPEC --json` in the project: the notebook's path. The CLI reads the
 * store the explorer shows: a local folder by its path; an S3 store by the same settings every
 * process the extension starts gets (the notebook file itself goes to the project's
 * `.stepwise/notebooks/`, and records the store, so its kernel reads the task from S3 too).
 */
function writeNotebook(d: NotebookCommandDeps, pathspec: string, root: string): Promise<{ path: string; pathspec: string }> {
  const node = configuredNode(undefined);
  const folder = vscode.workspace.workspaceFolders?.[0];
  const remote = isRemoteRoot(root);
  const store = remote ? datastoreProcessEnv(folder) : { STEPWISE_DATASTORE_ROOT: root };
  return new Promise((resolve, reject) => {
    const child = spawn(node.command, [d.cliPath, 'notebook', pathspec, '--json'], {
      cwd: remote ? (folder?.uri.fsPath ?? process.cwd()) : dirname(root),
      env: { ...process.env, ...node.env, ...store },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', (e) =>
      reject(new Error(`cannot start ${node.command}: ${e.message}. Set stepwise.nodePath to a Node 20+ executable.`)),
    );
    child.on('close', (code) => {
      if (code === 0) return resolve(JSON.parse(out) as { path: string; pathspec: string });
      reject(new Error(err.trim().replace(/^stepwise notebook: /, '') || `the CLI exited with code ${code}`));
    });
  });
}

async function pathspecOf(d: NotebookCommandDeps, arg: TaskArg): Promise<string | undefined> {
  if (typeof arg === 'string' && arg.trim()) return arg.trim();
  if (arg && typeof arg === 'object') {
    if ('pathspec' in arg && typeof arg.pathspec === 'string' && (arg.kind === undefined || arg.kind === 'task')) return arg.pathspec;
    const step = stepOfNode(arg);
    if (step) return taskOfStep(d.previewRun(), d.root(), step, { title: `Open which task of ${step} in a notebook?`, several: 'pick' });
    // The debugger's menus pass their own item (a session, a frame): the task is the paused one.
    const paused = d.pausedTask();
    if (paused) return paused;
  }
  return askPathspec(d);
}

/** From the palette: the task the debugger is in, the failed tasks of recent runs, or a typed pathspec. */
async function askPathspec(d: NotebookCommandDeps): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick();
  qp.title = 'Open Task in Notebook';
  qp.placeholder = 'A task pathspec, Flow/run/step/task — or pick one';
  const fixed: vscode.QuickPickItem[] = [];
  const paused = d.pausedTask();
  if (paused) fixed.push({ label: paused, description: 'paused in the debugger' });
  qp.items = fixed;
  qp.busy = true;
  void recentFailedTasks(d.root()).then((items) => {
    qp.items = [...fixed, ...items];
    qp.busy = false;
  });
  qp.onDidChangeValue((v) => {
    const typed = v.trim();
    const rest = qp.items.filter((i) => i.description !== 'typed');
    qp.items = PATHSPEC.test(typed) && !rest.some((i) => i.label === typed) ? [{ label: typed, description: 'typed' }, ...rest] : rest;
  });
  const picked = await new Promise<string | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0]?.label ?? (PATHSPEC.test(qp.value.trim()) ? qp.value.trim() : undefined)));
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  return picked;
}

async function recentFailedTasks(root: string): Promise<vscode.QuickPickItem[]> {
  const items: vscode.QuickPickItem[] = [];
  try {
    for (const flow of await Metaflow({ root }).flows()) {
      for (const run of await flow.runs({ limit: 5 })) {
        for (const t of run.end?.failedTasks ?? []) items.push({ label: t, description: `failed · run ${run.createdAt.toLocaleString()}` });
      }
    }
  } catch {
    // An unreadable store: the user can still type a pathspec.
  }
  return items;
}

/** The notebook a toolbar command is about: the one its toolbar belongs to (or a Uri given), else the active one. */
export function notebookOf(arg: unknown): vscode.NotebookDocument | undefined {
  const uri =
    (arg as { notebookEditor?: { notebookUri?: vscode.Uri } } | undefined)?.notebookEditor?.notebookUri ??
    (arg instanceof vscode.Uri ? arg : undefined);
  return uri
    ? vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString())
    : vscode.window.activeNotebookEditor?.notebook;
}

/** The task a task notebook's toolbar command is about. */
export function taskNotebookOf(arg: unknown): TaskNotebookMeta | undefined {
  const meta = taskNotebookMeta(notebookOf(arg)?.metadata);
  if (!meta) void vscode.window.showWarningMessage('Stepwise: this notebook is not a task notebook (open one with Open Task in Notebook).');
  return meta;
}

/** Resume from this step: `stepwise resume STEP --origin-run-id RUN` on the flow as saved. The run's outcome. */
export async function resumeFromNotebook(d: NotebookCommandDeps, arg: unknown): Promise<RunOutcome | undefined> {
  const meta = taskNotebookOf(arg);
  if (!meta || !(await flowSaved(meta.flowFile))) return undefined;
  const cwd = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(meta.flowFile))?.uri.fsPath ?? dirname(d.root());
  return d.resume({ file: meta.flowFile, cwd, step: meta.step, originRunId: meta.runId });
}

/** The same resume under the debugger: whether a debug session started. */
export async function resumeDebugFromNotebook(d: NotebookCommandDeps, arg: unknown): Promise<boolean | undefined> {
  const meta = taskNotebookOf(arg);
  if (!meta || !(await flowSaved(meta.flowFile))) return undefined;
  return executeCommand(Commands.resumeDebug, vscode.Uri.file(meta.flowFile), { originRunId: meta.runId, step: meta.step });
}

/**
 * The fix was moved into the flow file and resume runs what is on disk: an open, edited flow
 * document is saved first. A save VS Code did not complete (a conflict with the file on disk, a
 * cancelled save) stops the resume with a message, instead of resuming the old code silently.
 */
async function flowSaved(file: string): Promise<boolean> {
  const uri = vscode.Uri.file(file);
  const open = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString());
  if (!open?.isDirty) return true;
  // save() is also false when something else saved it meanwhile: what counts is that it is clean.
  if ((await open.save()) || !open.isDirty) return true;
  void vscode.window.showErrorMessage(
    `Stepwise: cannot resume: ${vscode.workspace.asRelativePath(uri)} has changes that could not be saved. Save it (File > Save), then Resume from This Step again.`,
  );
  return false;
}

export async function revealFromNotebook(d: NotebookCommandDeps, arg: unknown): Promise<void> {
  const meta = taskNotebookOf(arg);
  if (meta) await d.revealStep(meta.flowFile, meta.step);
}
