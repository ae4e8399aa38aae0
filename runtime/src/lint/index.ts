/** The linter: a registry of small named rules over a FlowGraph, each reporting every finding. */
import type { FlowGraph } from '../graph/types';
import { rules } from './rules';
import { byPosition } from './text';
import type { FlowDiagnostic } from './types';

export { rules };
export * from './types';

/** Every finding of every rule, sorted by position. */
export function lintFlow(graph: FlowGraph): FlowDiagnostic[] {
  const out: FlowDiagnostic[] = [];
  for (const rule of rules) out.push(...rule.check(graph));
  return out.sort(byPosition);
}

export function hasErrors(diagnostics: readonly FlowDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
