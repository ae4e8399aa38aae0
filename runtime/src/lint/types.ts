import type { FlowGraph, Range } from '../graph/types';

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedInfo {
  message: string;
  range: Range;
}

/** One problem found by one rule. `code` is stable across releases (SW001…). */
export interface FlowDiagnostic {
  code: string;
  /** The rule's short name, e.g. `missing-end`. */
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  related?: RelatedInfo[];
  /** Machine-readable facts a quick fix needs (e.g. `{ suggestion: 'hello' }`). */
  data?: Record<string, unknown>;
}

export interface LintRule {
  code: string;
  name: string;
  /** One line: what the rule checks. */
  description: string;
  /** The severity of its findings. */
  severity: Severity;
  check(graph: FlowGraph): FlowDiagnostic[];
}
