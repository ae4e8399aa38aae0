/**
 * F5 on a flow file just works: with no launch.json the provider debugs the active flow
 * (`flow: ${file}`, `command: run`). Every `stepwise` configuration gets `__stepwiseAttach`
 * (this extension answers the adapter's attach events), a working folder, and the required
 * parameters the user has not given.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { FlowGraph } from '../../../runtime/src/graph/types';
import { DEBUG_TYPE, type StepwiseLaunchArguments } from '../../../runtime/src/debug/protocol';
import { looksLikeFlowDocument } from '../flowDetection';
import { warmJsDebug } from './jsDebug';
import { askParameters, missingParameters } from './parameters';
import { requireTrust } from '../trust';

export type StepwiseDebugConfiguration = vscode.DebugConfiguration & StepwiseLaunchArguments;

const DEFAULT_NAMES = { run: 'Stepwise: Debug flow', resume: 'Stepwise: Resume last run', spin: 'Stepwise: Debug task' };

export function launchConfiguration(flow: string, command: 'run' | 'resume' | 'spin', name?: string): StepwiseDebugConfiguration {
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: name ?? DEFAULT_NAMES[command],
    flow,
    command,
  };
}

export class StepwiseConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly state: vscode.Memento,
    private readonly graphFor: (file: string) => Promise<FlowGraph | undefined>,
  ) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [launchConfiguration('${file}', 'run'), launchConfiguration('${file}', 'resume')];
  }

  resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    // A launch.json configuration started from the Run view: it would run the flow's code.
    const verb = config.command === 'resume' ? 'resume the run' : config.command === 'spin' ? 'debug the task' : 'debug the flow';
    if (!requireTrust(verb)) return undefined;
    if (!config.type && !config.request && !config.name) {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc || !looksLikeFlowDocument(doc)) {
        void vscode.window.showInformationMessage('Stepwise: open a flow file (a class extending FlowSpec) and press F5 to debug it.');
        return undefined;
      }
      config = launchConfiguration('${file}', 'run');
    }
    config.flow ||= '${file}';
    config.command ||= 'run';
    config.__stepwiseAttach = true;
    warmJsDebug();
    return config;
  }

  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const c = config as StepwiseDebugConfiguration;
    const flowDir = isAbsolute(c.flow) ? dirname(c.flow) : undefined;
    // As the Run command's terminal: the run's datastore belongs to the flow's workspace.
    c.cwd ||= folder?.uri.fsPath ?? flowDir ?? process.cwd();
    c.flow = resolve(c.cwd, c.flow);
    if (c.command === 'run') {
      const graph = await this.graphFor(c.flow).catch(() => undefined);
      const missing = graph ? missingParameters(graph.parameters, c.params ?? {}, c.env ?? {}) : [];
      if (missing.length) {
        const values = await askParameters(this.state, c.flow, missing);
        if (!values) return undefined;
        c.params = { ...(c.params ?? {}), ...values };
      }
    }
    return c;
  }
}
