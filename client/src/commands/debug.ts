/**
 * Debug: starts a `stepwise` debug session for the flow. The debugger arrives with its own
 * issue; until a `stepwise` debug type is contributed, the command says so plainly.
 */
import * as vscode from 'vscode';
import type { CtxInit, Cmd } from '../ctx';
import { resolveFlowTarget } from './target';

export const DEBUG_TYPE = 'stepwise';

function hasStepwiseDebugger(ctx: CtxInit): boolean {
  const debuggers = (ctx.extension.extension.packageJSON as { contributes?: { debuggers?: Array<{ type?: string }> } }).contributes?.debuggers ?? [];
  return debuggers.some((d) => d.type === DEBUG_TYPE);
}

export function debugFlow(ctx: CtxInit): Cmd {
  return async (arg?: unknown) => {
    if (!hasStepwiseDebugger(ctx)) {
      void vscode.window.showInformationMessage('Stepwise: debugging flows is not available in this build yet (no "stepwise" debugger is installed). Use Run meanwhile.');
      return false;
    }
    const target = await resolveFlowTarget(ctx, arg, 'debug');
    if (!target) return false;
    if (target.document.isDirty && !(await target.document.save())) return false;
    return vscode.debug.startDebugging(target.folder, {
      type: DEBUG_TYPE,
      request: 'launch',
      name: `Debug ${target.flowName ?? 'flow'}`,
      program: target.document.uri.fsPath,
    });
  };
}
