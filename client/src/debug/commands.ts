/** `Stepwise: Debug Flow` (also the Debug CodeLens) and `Stepwise: Resume Last Run (Debug)`. */
import * as vscode from 'vscode';
import type { Commands, CommandHandler } from '../contributions';
import type { CtxInit } from '../ctx';
import { resolveFlowTarget, type FlowTarget } from '../commands/target';
import { launchConfiguration } from './configProvider';
import { flowGraphOf } from './graph';
import { pickResume } from './resume';
import { pickTask } from './taskPick';
import { requireTrust } from '../trust';

async function savedTarget(ctx: CtxInit, arg: unknown, verb: string): Promise<FlowTarget | undefined> {
  const target = await resolveFlowTarget(ctx, arg, verb);
  if (!target) return undefined;
  if (target.document.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(`Stepwise: save the flow to a file to ${verb} it.`);
    return undefined;
  }
  // The adapter compiles the file from disk.
  if (target.document.isDirty && !(await target.document.save())) return undefined;
  return target;
}

/** The keybindings' argument: F5 passes none, Ctrl+F5 `{ noDebug: true }`. */
function isNoDebug(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) && (arg as { noDebug?: unknown }).noDebug === true;
}

/**
 * Debug Flow: the Debug CodeLens, the command palette, and F5 / Ctrl+F5 in a flow editor when no
 * launch configuration is selected (package.json keybindings). Without them VS Code's F5 would
 * ask which debugger to use: Node.js, Chrome and Stepwise all debug TypeScript.
 */
export function debugFlowCommand(ctx: CtxInit): CommandHandler<typeof Commands.debugFlow> {
  return async (arg) => {
    const noDebug = isNoDebug(arg);
    if (!requireTrust(noDebug ? 'run the flow' : 'debug the flow')) return false;
    const target = await savedTarget(ctx, noDebug ? undefined : arg, noDebug ? 'run' : 'debug');
    if (!target) return false;
    // Named by the flow class, even when the flow was opened a moment ago and its graph is not in yet.
    const flowName = await flowNameOf(ctx, target).catch(() => undefined);
    const config = launchConfiguration(target.document.uri.fsPath, 'run', `${noDebug ? 'Run' : 'Debug'} ${flowName ?? 'flow'}`);
    return vscode.debug.startDebugging(target.folder, config, noDebug ? { noDebug: true } : undefined);
  };
}

/** Flow name for a target, asking the server when the CodeLens/graph store has not seen it yet. */
async function flowNameOf(ctx: CtxInit, target: FlowTarget): Promise<string | undefined> {
  if (target.flowName) return target.flowName;
  return (await flowGraphOf(ctx, target.document.uri.fsPath))?.flowName ?? undefined;
}

/** Resume (Debug) and Debug Task start alike: trust, the saved flow file, its flow class. */
async function namedTarget(
  ctx: CtxInit,
  arg: unknown,
  verb: string,
  trustFor: string,
): Promise<{ target: FlowTarget; flowName: string } | undefined> {
  if (!requireTrust(trustFor)) return undefined;
  const target = await savedTarget(ctx, arg, verb);
  if (!target) return undefined;
  const flowName = await flowNameOf(ctx, target);
  if (!flowName) {
    void vscode.window.showWarningMessage('Stepwise: the flow class could not be read; fix the file and try again.');
    return undefined;
  }
  return { target, flowName };
}

/** The datastore the pickers read for a flow file; bad datastore settings are one message. */
function pickerRoot(ctx: CtxInit, file: string): string | undefined {
  try {
    return ctx.runState.datastoreOf(file);
  } catch (err) {
    void vscode.window.showErrorMessage(`Stepwise: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** Optional second argument (tests, other extensions): skip the pickers. */
export function resumeDebugCommand(ctx: CtxInit): CommandHandler<typeof Commands.resumeDebug> {
  return async (arg, given) => {
    const named = await namedTarget(ctx, arg, 'resume', 'resume the run');
    if (!named) return false;
    const { target, flowName } = named;
    let choice = given;
    if (!choice) {
      const root = pickerRoot(ctx, target.document.uri.fsPath);
      if (root === undefined) return false;
      choice = await pickResume(flowName, root);
    }
    if (!choice) return false;
    return vscode.debug.startDebugging(target.folder, {
      ...launchConfiguration(target.document.uri.fsPath, 'resume', `Resume ${flowName}`),
      originRunId: choice.originRunId,
      ...(choice.step ? { step: choice.step } : {}),
    });
  };
}

/**
 * Debug Task: the explorer's task node (and tests) give the task as `run/step/task`; the palette
 * asks for the run and the task. The task re-runs as a `spin` (its inputs, the run's parameters,
 * the current code) under the debugger; the original run is untouched.
 */
export function debugTaskCommand(ctx: CtxInit): CommandHandler<typeof Commands.debugTask> {
  return async (arg, pathspec) => {
    const named = await namedTarget(ctx, arg, 'debug', 'debug the task');
    if (!named) return false;
    const { target, flowName } = named;
    let task = pathspec;
    if (!task) {
      const root = pickerRoot(ctx, target.document.uri.fsPath);
      if (root === undefined) return false;
      task = await pickTask(flowName, root);
    }
    if (!task) return false;
    return vscode.debug.startDebugging(target.folder, {
      ...launchConfiguration(target.document.uri.fsPath, 'spin', `Debug Task ${task}`),
      pathspec: task,
    });
  };
}
