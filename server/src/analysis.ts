/**
 * One document's analysis: the flow graph read from its text and the linter's findings, by the
 * parser and linter of the Stepwise installation that serves the file (./linters.ts). The only
 * place that touches the parser and the linter.
 */
import { fileURLToPath } from 'node:url';
import { linterFor } from './linters';
import { missingPackageDiagnostics } from '../../runtime/src/compile/packages';
import { byPosition } from '../../runtime/src/lint/text';
import type { Range } from '../../runtime/src/graph/types';
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
    const file = uri.startsWith('file:') ? fileNameOf(uri) : undefined;
    // The installation that serves the file's folder reads it (./linters.ts).
    const { parseFlow, lintFlow } = linterFor(file);
    let parsed;
    try {
      parsed = parseFlow(text, fileNameOf(uri));
    } catch (err) {
      if (!isTooDeep(err)) throw err;
      // No graph can be read; the one finding says where and why.
      const diagnostic: FlowDiagnostic = { code: 'SW000', rule: 'syntax-error', severity: 'error', message: err.message, range: err.range };
      return { uri, version, text, graph: null, diagnostics: [diagnostic], cost: performance.now() - started };
    }
    // A file that merely mentions FlowSpec (its import, the base class itself) is no flow.
    if (parsed.flowName !== null || parsed.classRange !== undefined || parsed.otherFlows.length > 0) {
      graph = parsed;
      // Also whether the packages it imports are installed (only a file on disk has a project).
      diagnostics = [...lintFlow(parsed), ...(file ? missingPackageDiagnostics(file, text) : [])].sort(byPosition);
    }
  }
  return { uri, version, text, graph, diagnostics, cost: performance.now() - started };
}

/**
 * FlowTooDeepError by its name, not its class: a project's own Stepwise (./linters.ts) throws
 * an instance of its own copy of the class.
 */
function isTooDeep(err: unknown): err is Error & { range: Range } {
  return err instanceof Error && err.name === 'FlowTooDeepError' && typeof (err as { range?: unknown }).range === 'object';
}
