/**
 * Custom LSP messages between the Stepwise language server and the extension. Both sides
 * import this module, so a change here is a compile error on the other side, not a silent drift.
 */
import type { FlowGraph } from '../../runtime/src/graph/types';
import type { FlowDiagnostic } from '../../runtime/src/lint/types';

/** Server → client after each parse of a flow document (also for the first open). */
export const FlowGraphNotification = 'stepwise/flowGraph' as const;

export interface FlowGraphParams {
  uri: string;
  /** The document version the graph was computed from. */
  version: number;
  /** null when the document holds no flow class (then the preview shows nothing for it). */
  graph: FlowGraph | null;
  /** The diagnostics published for the same version (errors make the preview dim the graph). */
  diagnostics: FlowDiagnostic[];
}

/** Client → server: ask for the current graph of a document (the preview opening late). */
export const FlowGraphRequest = 'stepwise/getFlowGraph' as const;

export interface FlowGraphRequestParams {
  uri: string;
}

/** The answer to `stepwise/getFlowGraph`: what the last notification for the document said, or null for a document the server does not have open. */
export type FlowGraphResult = FlowGraphParams | null;
