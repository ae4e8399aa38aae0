/**
 * Custom LSP messages between the Stepwise language server and the extension, as typed message
 * objects (as rust-analyzer's lsp_ext.ts does). Both sides import this module and pass these
 * objects, never method strings, so a change here is a compile error on the other side, not a
 * silent drift.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { FlowGraph } from '../../runtime/src/graph/types';
import type { FlowDiagnostic } from '../../runtime/src/lint/types';

export interface FlowGraphParams {
  uri: string;
  /** The document version the graph was computed from. */
  version: number;
  /** null when the document holds no flow class (then the preview shows nothing for it). */
  graph: FlowGraph | null;
  /** The diagnostics published for the same version (errors make the preview dim the graph). */
  diagnostics: FlowDiagnostic[];
}

/** Server → client after each parse of a flow document (also for the first open). */
export const FlowGraphNotification = new NotificationType<FlowGraphParams>('stepwise/flowGraph');

export interface FlowGraphRequestParams {
  uri: string;
}

/** What the last FlowGraphNotification for the document said, or null for a document the server does not have open. */
export type FlowGraphResult = FlowGraphParams | null;

/** Client → server: ask for the current graph of a document (the preview opening late). */
export const FlowGraphRequest = new RequestType<FlowGraphRequestParams, FlowGraphResult, void>('stepwise/getFlowGraph');
