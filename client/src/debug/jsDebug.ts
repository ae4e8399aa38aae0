/**
 * VS Code's JavaScript debugger (js-debug) attaches to every task. It activates on its first
 * session, which would be the first task's, putting its activation (a noticeable part of the cold F5 figure
 * of `npm run bench -- debug`; it runs in the extension host, which also relays the Stepwise
 * session's messages) on the path to the first breakpoint. So it is activated ahead: when a flow is opened, once the window is idle, and at
 * the latest when a Stepwise debug session is being configured.
 */
import * as vscode from 'vscode';
import { looksLikeFlowDocument } from '../flowDetection';

export const JS_DEBUG_EXTENSION = 'ms-vscode.js-debug';

export function warmJsDebug(): void {
  const ext = vscode.extensions.getExtension(JS_DEBUG_EXTENSION);
  if (ext && !ext.isActive) void Promise.resolve(ext.activate()).catch(() => undefined);
}

/** Activates js-debug a little after the first flow document is shown. */
export function warmJsDebugWhenFlowOpens(delayMs = 2_000): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  const check = (editor: vscode.TextEditor | undefined) => {
    if (timer || !editor || !looksLikeFlowDocument(editor.document)) return;
    timer = setTimeout(() => {
      sub.dispose();
      warmJsDebug();
    }, delayMs);
  };
  const sub = vscode.window.onDidChangeActiveTextEditor(check);
  check(vscode.window.activeTextEditor);
  return new vscode.Disposable(() => {
    sub.dispose();
    if (timer) clearTimeout(timer);
  });
}
