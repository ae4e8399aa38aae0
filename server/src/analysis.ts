/**
 * One document's analysis: the flow graph read from its text and the linter's findings.
 * Pure (text in, data out), so it is the only place that touches the parser and the linter.
 */
import { fileURLToPath } from 'node:url';
import { FlowTooDeepError, parseFlow } from '../../runtime/src/graph';
import { lintFlow } from '../../runtime/src/lint';
import type { FlowGraph } from '../../runtime/src/graph/types';
import type { FlowDiagnostic } from '../../runtime/src/lint/types';

export interface Analysis {
  uri: string;
  version: number;
  /** The text the analysis was computed from (features answer from it, never from newer text). */
  text: string;
  /** null when the text holds no flow class. */
  graph: FlowGraph | null;
  diagnostics: FlowDiagnostic[];
  /** Milliseconds spent parsing and linting (drives the adaptive debounce). */
  cost: number;
}

/**
 * The cheap gate that keeps ordinary TypeScript files free: a flow class must extend
 * `FlowSpec`, so a text without that word is never parsed.
 */
export function mayHoldFlow(text: string): boolean {
  return text.includes('FlowSpec');
}

export function fileNameOf(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      // An odd file URI (e.g. a UNC host on Linux) still names the file well enough.
    }
  }
  return uri;
}

export function analyze(uri: string, version: number, text: string): Analysis {
  const started = performance.now();
  let graph: FlowGraph | null = null;
  let diagnostics: FlowDiagnostic[] = [];
  if (mayHoldFlow(text)) {
    let parsed;
    try {
      parsed = parseFlow(text, fileNameOf(uri));
    } catch (err) {
      if (!(err instanceof FlowTooDeepError)) throw err;
      // No graph can be read; the one finding says where and why.
      const diagnostic: FlowDiagnostic = { code: 'SW000', rule: 'syntax-error', severity: 'error', message: err.message, range: err.range };
      return { uri, version, text, graph: null, diagnostics: [diagnostic], cost: performance.now() - started };
    }
    // A file that merely mentions FlowSpec (its import, the base class itself) is no flow.
    if (parsed.flowName !== null || parsed.classRange !== undefined || parsed.otherFlows.length > 0) {
      graph = parsed;
      diagnostics = lintFlow(parsed);
    }
  }
  return { uri, version, text, graph, diagnostics, cost: performance.now() - started };
}
