import type * as vscode from 'vscode';

// Replaced by the extension shell (language client, CodeLens, commands).
export function activate(_context: vscode.ExtensionContext): void {}
export function deactivate(): void {}
