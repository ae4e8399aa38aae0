/**
 * Helpers for suites running inside VS Code: activate the extension under test, open fixture
 * files, and wait for real signals (diagnostics events, graph notifications, screenshot replies),
 * each with a deadline and a message saying what never came.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StepwiseApi } from '../../../client/src/api';
import type { FlowGraphParams } from '../../../server/src/protocol';
import { formatScreenshotRequest, isValidName, replyFileName, SCREENSHOT_DIR_ENV, type ScreenshotReply } from '../screenshotProtocol';

export const EXTENSION_ID = 'stepwise.stepwise';
export const STEPWISE_SOURCE = 'stepwise';

export async function activateStepwise(): Promise<StepwiseApi> {
  const ext = vscode.extensions.getExtension<StepwiseApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder (the launcher opens the fixture copy)');
  return folder.uri;
}

export function workspaceFile(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder(), ...relative.split('/'));
}

export async function openInEditor(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(relative));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Writes `text` to a workspace file (creating its folder) and opens it in an editor. */
export async function writeAndOpen(relative: string, text: string): Promise<vscode.Uri> {
  const file = workspaceFile(relative);
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(file, '..'));
  await vscode.workspace.fs.writeFile(file, Buffer.from(text));
  await openInEditor(relative);
  return file;
}

/** Waits for a condition that `event` may change; checks it once first. */
export function waitFor<T>(what: string, event: vscode.Event<unknown>, check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const first = check();
    if (first !== undefined) return resolve(first);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event(() => {
      const v = check();
      if (v === undefined) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(v);
    });
  });
}

export function stepwiseDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === STEPWISE_SOURCE);
}

/** Resolves with the document's Stepwise diagnostics once `accept` holds for them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  what: string,
  accept: (diags: vscode.Diagnostic[]) => boolean,
  timeoutMs = 20_000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `${what} on ${vscode.workspace.asRelativePath(uri)}`,
    vscode.languages.onDidChangeDiagnostics,
    () => {
      const diags = stepwiseDiagnostics(uri);
      return accept(diags) ? diags : undefined;
    },
    timeoutMs,
  ).catch((e: Error) => {
    const now = stepwiseDiagnostics(uri).map((d) => `${d.code}: ${d.message}`);
    throw new Error(`${e.message}; Stepwise diagnostics now: ${JSON.stringify(now)}`);
  });
}

/** The server's graph for the document at (at least) its current version. */
export function waitForGraph(api: StepwiseApi, doc: vscode.TextDocument, timeoutMs = 20_000): Promise<FlowGraphParams> {
  return waitFor(
    `the flow graph of ${vscode.workspace.asRelativePath(doc.uri)} v${doc.version}`,
    api.onDidReceiveFlowGraph,
    () => {
      const g = api.flowGraph(doc.uri);
      return g && g.version >= doc.version ? g : undefined;
    },
    timeoutMs,
  );
}

/**
 * Asks the launcher to screenshot the workbench once every selector in `waitFor` is visible
 * (after typing `type` and pressing `press`, real keystrokes, if given), and waits for its reply.
 * Returns the PNG's path, or undefined under a launcher without a page to shoot
 * (@vscode/test-electron).
 */
export async function screenshot(
  name: string,
  waitFor: string[],
  timeoutMs = 20_000,
  press?: string,
  type?: string,
): Promise<string | undefined> {
  const dir = process.env[SCREENSHOT_DIR_ENV];
  if (!dir) return undefined;
  if (!isValidName(name)) throw new Error(`bad screenshot name ${name}`);
  const replyFile = join(dir, replyFileName(name));
  const id = randomUUID();

  const reply = await new Promise<ScreenshotReply>((resolve, reject) => {
    const read = () => {
      if (!existsSync(replyFile)) return undefined;
      try {
        const r = JSON.parse(readFileSync(replyFile, 'utf8')) as ScreenshotReply;
        return r.id === id ? r : undefined;
      } catch {
        return undefined; // replaced while read: the next change event reads it again
      }
    };
    const watcher = watch(dir, () => {
      const r = read();
      if (r) done(() => resolve(r));
    });
    const timer = setTimeout(
      () => done(() => reject(new Error(`no screenshot reply for ${name} within ${timeoutMs + 10_000} ms`))),
      timeoutMs + 10_000,
    );
    const done = (then: () => void) => {
      clearTimeout(timer);
      watcher.close();
      then();
    };
    console.log(formatScreenshotRequest({ name, id, waitFor, timeoutMs, ...(press ? { press } : {}), ...(type ? { type } : {}) }));
  });
  if (!reply.ok) throw new Error(`screenshot ${name} failed: ${reply.error}`);
  return reply.file;
}

/** Replaces the whole text of a document through a workspace edit, as typing would. */
export async function replaceText(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${doc.uri.toString()}`);
}

/**
 * Saves an edited document as File > Save does. On a loaded machine VS Code can abort the save
 * when a built-in save participant (the TypeScript extension's) overruns its 1.75 s budget, and
 * `save()` is false: what these tests need is the edited text on disk, so that case writes it
 * there and reverts the clean editor to it. Fails only if the text did not reach the file.
 */
export async function saveEdited(doc: vscode.TextDocument): Promise<void> {
  const text = doc.getText();
  if (!(await doc.save()) && doc.isDirty) {
    await vscode.workspace.fs.writeFile(doc.uri, Buffer.from(text, 'utf8'));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  const onDisk = Buffer.from(await vscode.workspace.fs.readFile(doc.uri)).toString('utf8');
  if (onDisk !== text) throw new Error(`the edit of ${vscode.workspace.asRelativePath(doc.uri)} did not reach the file`);
}
