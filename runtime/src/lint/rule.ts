/** The small frame every rule module fills in: its identity and a finder over one graph. */
import type { FlowGraph, Range } from '../graph/types';
import { flowStructure, type FlowStructure } from '../graph/structure';
import { dataFlowOf, type DataFlow } from './dataFlow';
import type { FlowDiagnostic, LintRule, RelatedInfo, Severity } from './types';

export interface RuleContext {
  graph: FlowGraph;
  /** Flow name for messages and quick fixes. */
  flowName: string;
  /** Reachability, order, cycles and split/join nesting (computed on first use, once per graph). */
  structure: FlowStructure;
  /** Which artifacts reach each step (computed on first use, once per graph). */
  dataFlow: DataFlow;
  report(range: Range, message: string, extra?: { related?: RelatedInfo[]; data?: Record<string, unknown> }): void;
}

export interface RuleSpec {
  code: string;
  name: string;
  severity: Severity;
  description: string;
  /** Also run on graphs without a flow class (default: skipped). */
  withoutFlow?: boolean;
}

export function defineRule(spec: RuleSpec, find: (ctx: RuleContext) => void): LintRule {
  return {
    code: spec.code,
    name: spec.name,
    severity: spec.severity,
    description: spec.description,
    check(graph: FlowGraph): FlowDiagnostic[] {
      if (graph.flowName === null && !spec.withoutFlow) return [];
      const out: FlowDiagnostic[] = [];
      find({
        graph,
        flowName: graph.flowName ?? '',
        get structure() {
          return flowStructure(graph);
        },
        get dataFlow() {
          return dataFlowOf(graph);
        },
        report(range, message, extra) {
          const d: FlowDiagnostic = { code: spec.code, rule: spec.name, severity: spec.severity, message, range };
          if (extra?.related?.length) d.related = extra.related;
          if (extra?.data) d.data = extra.data;
          out.push(d);
        },
      });
      return out;
    },
  };
}
