/**
 * What the name under the cursor stands for: a step or an artifact of the flow. Shared by
 * definition, references and hover, so the three always agree.
 */
import type { FlowGraph, Position, StepNode } from '../../runtime/src/graph/types';
import type { Analysis } from './analysis';
import { rangeContains } from '../../runtime/src/graph/range';
import { sourceIndexOf, type Occurrence, type OccurrenceRole } from './sourceIndex';

export type Target = { kind: 'step'; name: string; step: StepNode | undefined } | { kind: 'artifact'; name: string };

export interface TargetAt {
  target: Target;
  occurrence: Occurrence;
}

export function occurrenceAt(analysis: Analysis, position: Position): Occurrence | undefined {
  return analysis.graph ? sourceIndexOf(analysis).occurrences.find((o) => rangeContains(o.range, position)) : undefined;
}

export function targetAt(analysis: Analysis, position: Position): TargetAt | undefined {
  const graph = analysis.graph;
  if (!graph) return undefined;
  const occurrence = occurrenceAt(analysis, position);
  if (!occurrence) return undefined;
  const target = classify(graph, occurrence);
  return target && { target, occurrence };
}

function classify(graph: FlowGraph, o: Occurrence): Target | undefined {
  const step = graph.steps.find((s) => s.name === o.name);
  switch (o.role) {
    case 'step-decl':
    case 'next-target':
    case 'inputs-step':
      return { kind: 'step', name: o.name, step };
    case 'foreach':
    case 'merge-list':
    case 'inputs-read':
    case 'field-decl':
      return { kind: 'artifact', name: o.name };
    case 'read':
    case 'write':
      if (step) return { kind: 'step', name: o.name, step };
      return artifactNames(graph).has(o.name) ? { kind: 'artifact', name: o.name } : undefined;
  }
}

/** Every artifact name the flow knows of: declared or initialised fields, parameters, assignments. */
export function artifactNames(graph: FlowGraph): Set<string> {
  const names = new Set<string>();
  for (const f of graph.fields) names.add(f.name);
  for (const p of graph.parameters) names.add(p.field);
  for (const s of graph.steps) for (const a of s.assigns) names.add(a.name);
  for (const s of graph.steps) names.delete(s.name);
  return names;
}

const stepRoles: ReadonlySet<OccurrenceRole> = new Set(['next-target', 'read', 'write', 'inputs-step']);
const artifactRoles: ReadonlySet<OccurrenceRole> = new Set(['read', 'write', 'foreach', 'merge-list', 'inputs-read']);

/** The occurrences that name the same thing as `target` (declarations only when asked for). */
export function occurrencesOf(analysis: Analysis, target: Target, includeDeclaration: boolean): Occurrence[] {
  const uses = target.kind === 'step' ? stepRoles : artifactRoles;
  const declaration: OccurrenceRole = target.kind === 'step' ? 'step-decl' : 'field-decl';
  return sourceIndexOf(analysis).occurrences.filter(
    (o) => o.name === target.name && (uses.has(o.role) || (includeDeclaration && o.role === declaration)),
  );
}
