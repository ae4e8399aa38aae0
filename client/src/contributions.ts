/**
 * Everything the extension contributes in package.json, typed once (after js-debug's
 * contributionUtils.ts): each command id with its arguments and result, each setting with its
 * type and default, each context key, view, webview and language id. Commands are registered and
 * executed, settings read and context keys set only through the functions here;
 * test/extension/contributions.test.ts checks this module against package.json both ways.
 *
 * The tables load in plain Node (the unit test): `vscode` is required on first use only.
 */
import type * as vscode from 'vscode';
import type { ResumeChoice } from './debug/resume';
import type { ArtifactNode, ExplorerNode, MoreNode, RunNode, RunStepNode, TaskNode } from './explorer/model';
import type { RunOutcome } from './runs/runner';

export const Commands = {
  runFlow: 'stepwise.runFlow',
  debugFlow: 'stepwise.debugFlow',
  resumeDebug: 'stepwise.resumeDebug',
  debugTask: 'stepwise.debugTask',
  showDag: 'stepwise.showDag',
  restartServer: 'stepwise.restartServer',
  newFlow: 'stepwise.newFlow',
  runWithProgress: 'stepwise.runWithProgress',
  explorerRefresh: 'stepwise.explorer.refresh',
  explorerOpen: 'stepwise.explorer.open',
  explorerLoadMore: 'stepwise.explorer.loadMore',
  explorerCopyPathspec: 'stepwise.explorer.copyPathspec',
  explorerRevealStep: 'stepwise.explorer.revealStep',
  explorerShowInPreview: 'stepwise.explorer.showInPreview',
  explorerResume: 'stepwise.explorer.resume',
  explorerResumeDebug: 'stepwise.explorer.resumeDebug',
  explorerDebugTask: 'stepwise.explorer.debugTask',
  previewDebugTask: 'stepwise.preview.debugTask',
  previewResumeDebug: 'stepwise.preview.resumeDebug',
  explorerCompare: 'stepwise.explorer.compare',
  explorerDeleteRun: 'stepwise.explorer.deleteRun',
  explorerFilter: 'stepwise.explorer.filter',
  explorerClearFilter: 'stepwise.explorer.clearFilter',
  openTaskNotebook: 'stepwise.openTaskNotebook',
  notebookResume: 'stepwise.notebook.resume',
  notebookResumeDebug: 'stepwise.notebook.resumeDebug',
  notebookRevealStep: 'stepwise.notebook.revealStep',
  notebookRestartKernel: 'stepwise.notebook.restartKernel',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** What `stepwise.newFlow` may be given to skip its prompts. */
export interface NewFlowOptions {
  folder?: string;
  name?: string;
}

/** Each command's arguments (as callers pass them: CodeLens, menus, keybindings, tests) and result (unknown: nobody reads it). */
export interface CommandTypes {
  /** The flow file (CodeLens, explorer); else the active editor. The terminal it runs in. */
  [Commands.runFlow]: { args: [target?: vscode.Uri]; result: vscode.Terminal | undefined };
  /** A flow file, or the Ctrl+F5 keybinding's `{ noDebug: true }`. Whether a session started. */
  [Commands.debugFlow]: { args: [target?: vscode.Uri | { noDebug?: boolean }]; result: boolean };
  /** `given` skips the pickers (the explorer's Resume, a failed run's notification, tests). */
  [Commands.resumeDebug]: { args: [target?: vscode.Uri, given?: ResumeChoice]; result: boolean };
  /**
   * Debug Task: re-runs one past task (`run/step/task`) of the flow as a `spin` under the
   * debugger; without a pathspec it asks for the run and the task. Whether a session started.
   */
  [Commands.debugTask]: { args: [target?: vscode.Uri, pathspec?: string]; result: boolean };
  [Commands.showDag]: { args: [target?: vscode.Uri]; result: unknown };
  [Commands.restartServer]: { args: []; result: unknown };
  /** The new flow file, or undefined when cancelled or failed. */
  [Commands.newFlow]: { args: [options?: NewFlowOptions]; result: string | undefined };
  [Commands.runWithProgress]: { args: [target?: vscode.Uri]; result: RunOutcome | undefined };
  [Commands.explorerRefresh]: { args: []; result: unknown };
  [Commands.explorerOpen]: { args: [node: ExplorerNode]; result: unknown };
  [Commands.explorerLoadMore]: { args: [node: MoreNode]; result: unknown };
  [Commands.explorerCopyPathspec]: { args: [node: ExplorerNode]; result: unknown };
  [Commands.explorerRevealStep]: { args: [node: RunStepNode | TaskNode]; result: unknown };
  [Commands.explorerShowInPreview]: { args: [node: RunNode | RunStepNode | TaskNode]; result: unknown };
  [Commands.explorerResume]: { args: [node: RunStepNode | TaskNode]; result: unknown };
  [Commands.explorerResumeDebug]: { args: [node: RunStepNode | TaskNode]; result: unknown };
  [Commands.explorerDebugTask]: { args: [node: TaskNode]; result: unknown };
  /**
   * A DAG preview node's context (`{ webviewSection: 'step', step }`), in the run the preview
   * shows: Debug Task (the step's last task, or a pick of a foreach's), and resume from the step
   * under the debugger. Whether a session started.
   */
  [Commands.previewDebugTask]: { args: [node: unknown]; result: boolean };
  [Commands.previewResumeDebug]: { args: [node: unknown]; result: boolean };
  [Commands.explorerCompare]: { args: [node: ArtifactNode]; result: unknown };
  [Commands.explorerDeleteRun]: { args: [node: RunNode]; result: unknown };
  /** A tag or namespace (tests, keybindings) skips the quick pick; '' clears the filter. */
  [Commands.explorerFilter]: { args: [tag?: string]; result: unknown };
  [Commands.explorerClearFilter]: { args: []; result: unknown };
  /**
   * A task pathspec (the run-failed notification, tests), a Runs tree task, a DAG node's context
   * (`{ webviewSection: 'step', step }`), the debugger's own item (the paused task); else it asks.
   * The notebook's editor, or undefined when cancelled or failed.
   */
  [Commands.openTaskNotebook]: { args: [task?: unknown]; result: vscode.NotebookEditor | undefined };
  /** The notebook toolbar's context (or a notebook Uri); else the active notebook. The resumed run's outcome. */
  [Commands.notebookResume]: { args: [notebook?: unknown]; result: RunOutcome | undefined };
  /** As notebookResume, under the debugger: whether a session started. */
  [Commands.notebookResumeDebug]: { args: [notebook?: unknown]; result: boolean | undefined };
  [Commands.notebookRevealStep]: { args: [notebook?: unknown]; result: unknown };
  [Commands.notebookRestartKernel]: { args: [notebook?: unknown]; result: unknown };
}

export type CommandArgs<C extends CommandId> = CommandTypes[C]['args'];
export type CommandResult<C extends CommandId> = CommandTypes[C]['result'];
export type CommandHandler<C extends CommandId> = (...args: CommandArgs<C>) => CommandResult<C> | Thenable<CommandResult<C>>;

interface SettingSpec {
  key: string;
  type: 'string' | 'boolean';
  default: string | boolean;
  /** The values a string setting allows; anything else reads as the default. */
  enum?: readonly string[];
}

export const Settings = {
  nodePath: { key: 'stepwise.nodePath', type: 'string', default: 'node' },
  codeLensEnabled: { key: 'stepwise.codeLens.enabled', type: 'boolean', default: true },
  previewDirection: { key: 'stepwise.preview.direction', type: 'string', default: 'RIGHT', enum: ['RIGHT', 'DOWN'] },
  /** Which datastore the explorer, the preview and runs use (client/src/datastore.ts). */
  datastoreType: { key: 'stepwise.datastore.type', type: 'string', default: 'default', enum: ['default', 'local', 's3'] },
  datastoreSysrootS3: { key: 'stepwise.datastore.sysrootS3', type: 'string', default: '' },
  /** How the tasks of runs started from VS Code are isolated (client/src/taskIsolation.ts). */
  taskIsolation: { key: 'stepwise.taskIsolation', type: 'string', default: 'default', enum: ['default', 'process', 'thread'] },
  /** Read by vscode-languageclient itself (the client id is `stepwise`). */
  traceServer: { key: 'stepwise.trace.server', type: 'string', default: 'off', enum: ['off', 'messages', 'verbose'] },
} as const satisfies Record<string, SettingSpec>;

export type Setting = (typeof Settings)[keyof typeof Settings];
export type SettingValue<S extends Setting> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { type: 'boolean' }
    ? boolean
    : string;

/** Context keys the extension sets, for `when` clauses. */
export const ContextKeys = {
  /** The active editor holds a flow: the editor-title buttons, F5 / Ctrl+F5, the palette's flow commands. */
  activeEditorIsFlow: 'stepwise.activeEditorIsFlow',
  /** The active notebook is a task notebook (Open Task in Notebook): its toolbar's Resume / Reveal. */
  isTaskNotebook: 'stepwise.isTaskNotebook',
  /** The debugger is stopped in a task: Open Task in Notebook on the debug toolbar and call stack. */
  pausedInTask: 'stepwise.pausedInTask',
  /** The Runs view lists only the runs of one tag or namespace: its Clear Filter button. */
  runsFiltered: 'stepwise.runsFiltered',
} as const;

export type ContextKey = (typeof ContextKeys)[keyof typeof ContextKeys];

export const Views = {
  /** The activity-bar container. */
  container: 'stepwise',
  /** The Runs tree. */
  explorer: 'stepwise.explorer',
} as const;

/** The DAG preview's webview panel type (its serializer brings it back after a reload). */
export const DAG_WEBVIEW = 'stepwise.dag';

/** The language of run logs (colouring: syntaxes/stepwise-log.tmLanguage.json). */
export const LOG_LANGUAGE = 'stepwise-log';

/** The tree items' `contextValue`s that the Runs view's menus match (`viewItem == …`). */
export const explorerItemContext = (kind: ExplorerNode['kind']): string => `stepwise.${kind}`;

function api(): typeof vscode {
  return require('vscode') as typeof vscode;
}

export function registerCommand<C extends CommandId>(id: C, handler: CommandHandler<C>): vscode.Disposable {
  return api().commands.registerCommand(id, handler as (...args: unknown[]) => unknown);
}

export function executeCommand<C extends CommandId>(id: C, ...args: CommandArgs<C>): Thenable<CommandResult<C>> {
  return api().commands.executeCommand<CommandResult<C>>(id, ...args);
}

/** A `vscode.Command` (CodeLens, status bar, tree item) that runs `id` with `args`. */
export function commandLink<C extends CommandId>(id: C, title: string, ...args: CommandArgs<C>): vscode.Command {
  return { command: id, title, arguments: args };
}

/** The setting's value for `scope`; its default when unset or not one of the values it allows. */
export function readSetting<S extends Setting>(setting: S, scope?: vscode.ConfigurationScope): SettingValue<S> {
  const spec: SettingSpec = setting;
  const raw = api().workspace.getConfiguration(undefined, scope).get<unknown>(spec.key);
  const valid = typeof raw === spec.type && (!spec.enum || spec.enum.includes(raw as string));
  return (valid ? raw : spec.default) as SettingValue<S>;
}

export function affectsSetting(e: vscode.ConfigurationChangeEvent, setting: Setting): boolean {
  return e.affectsConfiguration(setting.key);
}

export function setContext(key: ContextKey, value: boolean): Thenable<unknown> {
  return api().commands.executeCommand('setContext', key, value);
}
