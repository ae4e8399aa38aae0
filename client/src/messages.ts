/**
 * Notifications Stepwise shows about the set-up (trust refusals, the workspace installation it
 * cannot use, New Flow's offer), through one place that also reports each message on an event:
 * the in-VS-Code tests read what a user was told there, since notifications have no API.
 */
import * as vscode from 'vscode';

export type MessageKind = 'info' | 'warning' | 'error';

export interface ShownMessage {
  kind: MessageKind;
  text: string;
  actions: string[];
}

const shown = new vscode.EventEmitter<ShownMessage>();
export const onDidShowMessage = shown.event;

/** Shows the message; resolves with the action picked, if any. */
export function showMessage<T extends string>(kind: MessageKind, text: string, ...actions: T[]): Thenable<T | undefined> {
  shown.fire({ kind, text, actions });
  if (kind === 'error') return vscode.window.showErrorMessage(text, ...actions);
  if (kind === 'warning') return vscode.window.showWarningMessage(text, ...actions);
  return vscode.window.showInformationMessage(text, ...actions);
}
