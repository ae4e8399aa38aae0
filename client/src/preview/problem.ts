/** What the preview says about a graph: whether to dim it, and the problem to name in its banner. */
import type { FlowGraphParams } from '../../../server/src/protocol';

export interface GraphVerdict {
  hasErrors: boolean;
  problem?: string;
}

export function judgeGraph(params: Pick<FlowGraphParams, 'graph' | 'diagnostics'>): GraphVerdict {
  const syntax = params.graph?.syntaxErrors ?? [];
  const errors = params.diagnostics.filter((d) => d.severity === 'error');
  const first = syntax[0] ?? errors[0];
  if (!first) return { hasErrors: false };
  const total = new Set([...syntax, ...errors].map((p) => `${p.range.start.line}:${p.range.start.character}:${p.message}`)).size;
  const more = total > 1 ? ` (+${total - 1} more)` : '';
  return { hasErrors: true, problem: `Line ${first.range.start.line + 1}: ${first.message}${more}` };
}
