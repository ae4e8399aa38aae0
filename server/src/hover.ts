/** Hover cards for steps (doc, kind, successors, artifacts) and artifacts (declaration, writers). */
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import type { FlowGraph, ParameterNode, Position, StepNode } from '../../runtime/src/graph/types';
import type { Analysis } from './analysis';
import { sourceIndexOf } from './sourceIndex';
import { targetAt } from './targets';

export function hover(analysis: Analysis, position: Position): Hover | null {
  const graph = analysis.graph;
  const found = targetAt(analysis, position);
  if (!graph || !found) return null;
  const { target, occurrence } = found;
  let value: string | undefined;
  if (target.kind === 'step') {
    value = target.step ? stepCard(target.step) : undefined;
  } else {
    value = artifactCard(analysis, graph, target.name);
  }
  return value ? { contents: { kind: MarkupKind.Markdown, value }, range: occurrence.range } : null;
}

const kindWords: Record<StepNode['kind'], string> = {
  start: 'start step',
  linear: 'linear step',
  split: 'static split',
  foreach: 'foreach split',
  join: 'join',
  end: 'end step',
};

function names(xs: readonly string[]): string {
  return xs.map((x) => `\`${x}\``).join(', ');
}

/** The kind, and for `start` (whose kind is its name) the shape of its transition too. */
function kindText(step: StepNode): string {
  const words = kindWords[step.kind];
  if (step.kind !== 'start') return words;
  if (step.foreachVar !== undefined) return `${words}, ${kindWords.foreach}`;
  return step.successors.length > 1 ? `${words}, ${kindWords.split}` : words;
}

export function stepCard(step: StepNode): string {
  const lines = [codeBlock(`(step) ${step.isAsync ? 'async ' : ''}${step.name}${step.takesInputs ? '(inputs)' : '()'} — ${kindText(step)}`)];
  if (step.doc) lines.push(step.doc);
  const facts: string[] = [];
  if (step.successors.length) {
    const over = step.foreachVar ? ` (one task per item of \`${step.foreachVar}\`)` : '';
    facts.push(`**Next:** ${names(step.successors)}${over}`);
  } else if (step.kind === 'end') {
    facts.push('**Next:** none — the run ends here');
  }
  if (step.predecessors.length) facts.push(`**After:** ${names(step.predecessors)}`);
  if (step.assigns.length) facts.push(`**Assigns:** ${names(step.assigns.map((a) => a.name))}`);
  if (step.reads.length) facts.push(`**Reads:** ${names(step.reads.map((a) => a.name))}`);
  if (facts.length) lines.push(facts.join('  \n'));
  return lines.join('\n\n');
}

function artifactCard(analysis: Analysis, graph: FlowGraph, name: string): string | undefined {
  const declaration = sourceIndexOf(analysis).occurrences.find((o) => o.role === 'field-decl' && o.name === name)?.declaration;
  const parameter = graph.parameters.find((p) => p.field === name);
  const assignedIn = graph.steps.filter((s) => s.assigns.some((a) => a.name === name)).map((s) => s.name);
  const readIn = graph.steps.filter((s) => s.reads.some((a) => a.name === name)).map((s) => s.name);
  const splitsOver = graph.steps.filter((s) => s.foreachVar === name).map((s) => s.name);
  if (!declaration && !parameter && !assignedIn.length) return undefined;
  const lines = [codeBlock(`(${parameter ? 'parameter' : 'artifact'}) ${declaration ?? name}`)];
  if (parameter) lines.push(parameterLine(parameter));
  const facts: string[] = [];
  if (assignedIn.length) facts.push(`**Assigned in:** ${names(assignedIn)}`);
  if (readIn.length) facts.push(`**Read in:** ${names(readIn)}`);
  if (splitsOver.length) facts.push(`**Foreach over it in:** ${names(splitsOver)}`);
  if (facts.length) lines.push(facts.join('  \n'));
  return lines.join('\n\n');
}

function parameterLine(p: ParameterNode): string {
  const parts = [`\`--${p.name}\``, p.declaration === 'includeFile' ? 'file contents' : p.type];
  if (p.required) parts.push('required');
  const shown = p.default !== undefined ? JSON.stringify(p.default) : p.defaultText;
  if (shown !== undefined) parts.push(`default \`${shown}\``);
  return `${parts.join(', ')}${p.help ? ` — ${p.help}` : ''}`;
}

function codeBlock(text: string): string {
  return '```typescript\n' + text + '\n```';
}
