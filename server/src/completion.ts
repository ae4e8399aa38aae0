/**
 * Completion of step names inside `this.next(this.` and of artifact names inside
 * `foreach: '`. The context comes from the text before the cursor, because that is exactly
 * where the text is half-typed; the names come from the newest graph that parsed cleanly.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver/node';
import type { FlowGraph, Position, StepNode } from '../../runtime/src/graph/types';
import { stepCard } from './hover';
import { artifactNames } from './targets';
import { stepOnLine } from '../../runtime/src/graph/range';

/** Characters after which the editor should ask for completions. */
export const completionTriggers = ['.', "'", '"', '`'];

/** How far back the context may reach (a `this.next(` call split over a few lines). */
const CONTEXT_LINES = 6;

// `this.next(` then any earlier `this.x,` arguments, then `this.` and the partial name.
const stepContext = /this\s*\.\s*next\s*\(\s*(?:this\s*\.\s*[\w$]+\s*,\s*)*this\s*\.\s*([\w$]*)$/;
// `foreach: '` (or " or `) and the partial name.
const foreachContext = /foreach\s*:\s*['"`]([\w$]*)$/;

export interface CompletionInput {
  graph: FlowGraph;
  /** The document's text from a few lines above the cursor up to the cursor. */
  before: string;
  position: Position;
}

export function contextStart(position: Position): Position {
  return { line: Math.max(0, position.line - CONTEXT_LINES), character: 0 };
}

export function completions({ graph, before, position }: CompletionInput): CompletionItem[] {
  const here = stepOnLine(graph, position.line);
  const stepMatch = stepContext.exec(before);
  if (stepMatch) {
    const partial = stepMatch[1];
    const range = { start: { line: position.line, character: position.character - partial.length }, end: position };
    return graph.steps
      .filter((s) => s.name !== 'start' && s.name !== here?.name)
      .map((s, i) => ({
        label: s.name,
        kind: CompletionItemKind.Method,
        detail: s.kind,
        documentation: { kind: MarkupKind.Markdown, value: stepCard(s) },
        sortText: String(i).padStart(4, '0'),
        textEdit: { range, newText: s.name },
      }));
  }
  const foreachMatch = foreachContext.exec(before);
  if (foreachMatch) {
    const partial = foreachMatch[1];
    const range = { start: { line: position.line, character: position.character - partial.length }, end: position };
    const available = here ? availableIn(graph, here) : new Set<string>();
    return [...artifactNames(graph)].map((name) => ({
      label: name,
      kind: CompletionItemKind.Field,
      detail: available.has(name) ? `artifact, set by ${here?.name ?? 'this step'} or upstream` : 'artifact, not set on the way here',
      // Artifacts that exist in this step come first: a foreach can only iterate over those.
      sortText: `${available.has(name) ? 0 : 1}${name}`,
      textEdit: { range, newText: name },
    }));
  }
  return [];
}

/** Artifacts assigned in `step` or in any step upstream of it, plus the parameters. */
function availableIn(graph: FlowGraph, step: StepNode): Set<string> {
  const byName = new Map(graph.steps.map((s) => [s.name, s]));
  const names = new Set(graph.parameters.map((p) => p.field));
  const seen = new Set<string>();
  const queue = [step.name];
  while (queue.length) {
    const s = byName.get(queue.pop()!);
    if (!s || seen.has(s.name)) continue;
    seen.add(s.name);
    for (const a of s.assigns) names.add(a.name);
    queue.push(...s.predecessors);
  }
  return names;
}
