/**
 * What `activate()` returns: the handful of facts other extensions and the in-VS-Code tests
 * need, so that they wait for readiness signals instead of sleeping.
 */
import type * as vscode from 'vscode';
import type { FlowGraphParams } from '../../server/src/protocol';
import type { ExplorerApi } from './explorer';
import type { RunsApi } from './runs';
import type { DebugApi } from './debug';
import type { PreviewApi } from './preview';
import type { ShownMessage } from './messages';
import type { NotebookApi } from './notebook';

export interface LintStatus {
  /** Whether the status bar item shows (the active editor holds a flow). */
  visible: boolean;
  /** A flow by its text that the server has not read yet (the item shows a spinner). */
  pending: boolean;
  /** The item's text, codicons included, e.g. `$(error) 2 $(warning) 0 NoEndFlow`. */
  text: string;
  errors: number;
  warnings: number;
  /** Which Stepwise serves the flow, as the item's hover says: `Stepwise 0.2.0 (this project's …)`. */
  stepwise?: string;
  /** The flow the item describes. */
  uri?: string;
}

export interface StepwiseApi {
  /**
   * Resolves once the language client runs. It starts with the first flow document seen or the
   * first Stepwise command, not at activation: a TypeScript workspace without flows pays
   * nothing. Rejects when the server cannot start.
   */
  readonly languageClientReady: Promise<void>;
  /** Whether the language client has been started (false until a flow is seen). */
  isLanguageClientStarted(): boolean;
  /** The latest `stepwise/flowGraph` notification for a document, if one arrived. */
  flowGraph(uri: vscode.Uri): FlowGraphParams | undefined;
  /** Fires on every `stepwise/flowGraph` notification. */
  readonly onDidReceiveFlowGraph: vscode.Event<FlowGraphParams>;
  /** What the lint status bar item shows now. */
  lintStatus(): LintStatus;
  /** Fires whenever the lint status bar item changes. */
  readonly onDidChangeLintStatus: vscode.Event<LintStatus>;
  /** The artifact explorer (client/src/explorer). */
  readonly explorer: ExplorerApi;
  /** Runs started from VS Code with progress (client/src/runs). */
  readonly runs: RunsApi;
  /** F5 debugging: the task sessions js-debug starts (client/src/debug). */
  readonly debug: DebugApi;
  /** The DAG preview (client/src/preview). */
  readonly preview: PreviewApi;
  /** Fires for each set-up message Stepwise shows (trust refusals, the installation in use, New Flow's offer). */
  readonly onDidShowMessage: vscode.Event<ShownMessage>;
  /** Task notebooks and the notebook kernel (client/src/notebook). */
  readonly notebook: NotebookApi;
}
