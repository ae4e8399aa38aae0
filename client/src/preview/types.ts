/** The preview's contract with the rest of the extension: what it needs, and what it offers. */
import type * as vscode from 'vscode';
import type { FlowGraph } from '../../../runtime/src/graph/types';
import type { FlowGraphParams } from '../../../server/src/protocol';
import type { RunOverlay } from '../../../webview/src/messages';
import type { CommandHandler, Commands } from '../contributions';
import type { RunStateService } from '../state/service';
import type { RunInfo } from '../state/runs';

export type { RunInfo } from '../state/runs';

export interface PreviewDeps {
  /** The latest `stepwise/flowGraph` notification per document (the shell's FlowGraphStore). */
  graphs: {
    get(uri: vscode.Uri): FlowGraphParams | undefined;
    readonly onDidChange: vscode.Event<FlowGraphParams>;
  };
  /** Asks the server for a document's graph (`stepwise/getFlowGraph`), starting it if needed. */
  requestGraph(uri: vscode.Uri): Promise<FlowGraphParams | null | undefined>;
  /** Registers Show DAG (the shell's way starts the language client first); default: at once. */
  registerShowDag?(run: CommandHandler<typeof Commands.showDag>): vscode.Disposable | void;
  /** Where the flow's runs are and their live state; without it the run picker stays empty. */
  state?: RunStateService;
  log?: vscode.LogOutputChannel;
}

export interface RenderEvent {
  uri: string;
  stepCount: number;
  ms: number;
  layoutMs?: number;
  dimmed: boolean;
  /** The decorator badges the page drew, by step (`{ hang: ['catch', '↻1', '⏱2s'] }`). */
  badges: Record<string, string[]>;
}

export interface PreviewApi {
  /** Opens (or reveals) the preview on a flow document: the given one or the active editor's. */
  show(uri?: vscode.Uri): Promise<void>;
  /** Whether a preview panel exists. */
  isOpen(): boolean;
  /** The document the preview follows. */
  currentUri(): vscode.Uri | undefined;
  /** The graph last sent to the preview for a document. */
  lastGraph(uri: vscode.Uri): FlowGraph | undefined;
  /** The step the preview highlights (the one under the editor's cursor). */
  highlightedStep(): string | null;
  /** What a click on a step does: select its name in the editor. */
  revealStep(step: string): Promise<void>;
  /** The runs listed in the picker and the overlay sent for the selected one. */
  runView(): { runs: RunInfo[]; selected?: string; overlay: RunOverlay | null };
  /** Fires after the runs or the overlay were re-read (a datastore change, a picked run). */
  readonly onDidChangeRuns: vscode.Event<void>;
  /** Fires after the webview has painted a graph. */
  readonly onDidRender: vscode.Event<RenderEvent>;
  /** Fires when the webview hands over an export (then offered for saving). */
  readonly onDidExport: vscode.Event<{ format: 'svg' | 'png'; bytes: number }>;
}
