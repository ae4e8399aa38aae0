/**
 * The adapter runs as its own process, `node dist/cli.js dap`, not inline in the extension
 * host: the scheduler spawns task processes with its own executable (`process.execPath`),
 * which must be Node — in desktop VS Code the extension host's executable is Electron's.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';

export function nodeExecutable(scope?: vscode.ConfigurationScope): string {
  const configured = vscode.workspace.getConfiguration('stepwise', scope).get<string>('nodePath');
  if (configured && configured !== 'node') return configured;
  // code-server's extension host is plain Node: use it, whatever PATH holds.
  return /^node(\.exe)?$/i.test(basename(process.execPath)) ? process.execPath : 'node';
}

export class StepwiseAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extension: vscode.ExtensionContext) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    return new vscode.DebugAdapterExecutable(nodeExecutable(session.workspaceFolder), [this.extension.asAbsolutePath('dist/cli.js'), 'dap']);
  }
}
