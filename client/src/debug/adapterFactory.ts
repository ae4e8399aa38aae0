/**
 * The adapter runs as its own process, `node dist/cli.js dap`, not inline in the extension
 * host: the scheduler spawns task processes with its own executable (`process.execPath`),
 * which must be Node — in desktop VS Code the extension host's executable is Electron's.
 */
import * as vscode from 'vscode';
import { configuredNode } from '../nodeRuntime';
import { datastoreProcessEnv } from '../datastore';

export class StepwiseAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extension: vscode.ExtensionContext) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    const node = configuredNode(session.workspaceFolder);
    // The adapter (and so every task of the run) resolves the datastore the settings choose.
    const env = { ...node.env, ...datastoreProcessEnv(session.workspaceFolder) };
    return new vscode.DebugAdapterExecutable(node.command, [this.extension.asAbsolutePath('dist/cli.js'), 'dap'], { env });
  }
}
