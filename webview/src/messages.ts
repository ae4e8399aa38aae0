/**
 * Messages between the extension host and the DAG preview webview, as discriminated unions.
 * The only module both sides share; it must not touch the DOM or `vscode`.
 */
import type { FlowGraph } from '../../runtime/src/graph/types';

export type StepRunState = 'succeeded' | 'failed' | 'running' | 'cloned' | 'not-run' | 'killed';

export interface StepStatus {
  state: StepRunState;
  /** Foreach and multi-task steps: done/total. */
  done?: number;
  total?: number;
  running?: number;
  failed?: number;
  /** A step in a loop: the most passes any one place of it made (a loop in a foreach goes round per item). */
  passes?: number;
  /** A switch: how many of its tasks took each case, by case key (cases no task took are absent). */
  cases?: Record<string, number>;
}

export interface RunOverlay {
  runId: string;
  status: string;
  steps: Record<string, StepStatus>;
  /** The task currently paused in the debugger, if any (pathspec run/step/task). */
  pausedTask?: string;
}

/** Extension → webview. */
export type ToWebview =
  | {
      type: 'graph';
      graph: FlowGraph;
      hasErrors: boolean;
      problem?: string;
      /** The document the graph belongs to; kept in the page state so the panel can restore. */
      uri?: string;
    }
  | { type: 'noFlow'; reason: string }
  | { type: 'highlight'; step: string | null }
  | { type: 'runs'; runs: Array<{ runId: string; status: string; startedAt?: string }>; selected?: string }
  | { type: 'overlay'; overlay: RunOverlay | null }
  | { type: 'settings'; direction: 'RIGHT' | 'DOWN' }
  | { type: 'fit' }
  | { type: 'requestExport'; format: 'svg' | 'png' };

/** Webview → extension. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'revealStep'; step: string }
  | { type: 'selectRun'; runId: string }
  /** After each paint: ms from the message's receipt to the frame painted; layoutMs when elk ran. */
  | {
      type: 'rendered';
      stepCount: number;
      ms: number;
      layoutMs?: number;
      dimmed?: boolean;
      /** The decorator badges drawn on each step that has any (`↻3`, `catch`, `⏱5m`), read back from the page. */
      badges?: Record<string, string[]>;
    }
  | { type: 'export'; format: 'svg' | 'png'; data: string }
  | { type: 'error'; message: string };

/** What the page keeps with `vscode.setState`, read back by the panel serializer after a reload. */
export interface PreviewState {
  uri?: string;
  view?: { x: number; y: number; k: number };
}
