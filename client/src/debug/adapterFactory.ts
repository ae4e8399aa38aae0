/**
 * The adapter runs as its own process, `node dist/cli.js dap`, not inline in the extension
 * host: the scheduler spawns task processes with its own executable (`process.execPath`),
 * which must be Node — in desktop VS Code the extension host's executable is Electron's.
 */
import * as vscode from 'vscode';
import { isAbsolute } from 'node:path';
import { configuredNode } from '../nodeRuntime';
import { datastoreProcessEnv } from '../datastore';
import { taskIsolationEnv } from '../taskIsolation';
import type { RuntimeSelection } from '../runtimeSelection';

export class StepwiseAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly installations: RuntimeSelection,
  ) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    const node = configuredNode(session.workspaceFolder);
    // The adapter (and so every task of the run) resolves the datastore the settings choose.
    const env = { ...node.env, ...datastoreProcessEnv(session.workspaceFolder), ...taskIsolationEnv(session.workspaceFolder) };
    // The adapter of the Stepwise that serves the flow (its variables are substituted by now).
    const flow: unknown = session.configuration.flow;
    const selection =
      typeof flow === 'string' && isAbsolute(flow)
        ? this.installations.forPath(flow)
        : session.workspaceFolder?.uri.scheme === 'file'
          ? this.installations.forPath(session.workspaceFolder.uri.fsPath, false)
          : this.installations.forPath(this.extension.extensionPath, false);
    return new vscode.DebugAdapterExecutable(node.command, [selection.use.cli, 'dap'], { env });
  }
}
