/**
 * Debugging flows: the `stepwise` debug type's adapter (a `stepwise dap` process), its
 * configuration provider, and the bridge that attaches js-debug to each task.
 */
import * as vscode from 'vscode';
import type { FlowGraph } from '../../../runtime/src/graph/types';
import { DEBUG_TYPE } from '../../../runtime/src/debug/protocol';
import { StepwiseAdapterFactory } from './adapterFactory';
import { AttachBridge, type TaskSessionEvent } from './attachBridge';
import { StepwiseConfigurationProvider } from './configProvider';
import { warmJsDebugWhenFlowOpens } from './jsDebug';
import type { RuntimeSelection } from '../runtimeSelection';

export { debugFlowCommand, resumeDebugCommand } from './commands';
export type { TaskSessionEvent } from './attachBridge';

export interface DebugDeps {
  /** The flow's graph (for its required parameters), when the language server has it. */
  graphFor(file: string): Promise<FlowGraph | undefined>;
  log: vscode.LogOutputChannel;
  /** Which Stepwise's adapter debugs a flow. */
  installations: RuntimeSelection;
}

export interface DebugApi {
  /** Fires when the JavaScript debugger's session for a task (named run/step/task) starts. */
  readonly onDidStartTaskSession: vscode.Event<TaskSessionEvent>;
}

export function registerDebugging(context: vscode.ExtensionContext, deps: DebugDeps): DebugApi {
  const bridge = new AttachBridge(deps.log);
  const provider = new StepwiseConfigurationProvider(context.workspaceState, deps.graphFor);
  context.subscriptions.push(
    bridge,
    warmJsDebugWhenFlowOpens(),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new StepwiseAdapterFactory(context, deps.installations)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    // Offered in the F5 / "Select and Start Debugging" list without a launch.json.
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: () => provider.provideDebugConfigurations() },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
  );
  return { onDidStartTaskSession: bridge.onDidStartTaskSession };
}
