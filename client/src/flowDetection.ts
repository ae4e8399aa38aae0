/**
 * The cheap test that decides whether Stepwise wakes up for a document. Activation itself is
 * `onLanguage:typescript` (a `workspaceContains` glob cannot look inside files, and flows have
 * no special file name); this check keeps the language server asleep until a document that
 * looks like a flow is open. It reads text only, never parses.
 */
import type * as vscode from 'vscode';
import type { FlowGraphParams } from '../../server/src/protocol';

/**
 * Some class extends FlowSpec (however it was imported: the package, a path, a namespace). The
 * server makes the real decision; a false positive here only wakes it up early.
 */
const EXTENDS_FLOWSPEC = /\bextends\s+(?:[\w$]+\.)?FlowSpec\b/;

export function looksLikeFlowText(text: string): boolean {
  return EXTENDS_FLOWSPEC.test(text);
}

export function isTypeScriptDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'typescript' && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled');
}

export function looksLikeFlowDocument(doc: vscode.TextDocument): boolean {
  return isTypeScriptDocument(doc) && looksLikeFlowText(doc.getText());
}

/**
 * Whether a document holds a flow: the server's answer once it has read the document (its
 * latest graph), the text check until then (the server starting, or its first parse).
 */
export function isFlowDocument(doc: vscode.TextDocument, latest: FlowGraphParams | undefined): boolean {
  return latest ? !!latest.graph?.flowName : looksLikeFlowDocument(doc);
}
