/** Hover cards for steps (doc, kind, successors, artifacts) and artifacts (declaration, writers). */
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import type { FlowGraph, ParameterNode, Position, StepNode } from '../../runtime/src/graph/types';
import { decoratorEffect, decoratorSource } from '../../runtime/src/graph/decoratorSummary';
import type { Analysis } from './analysis';
import { sourceIndexOf } from './sourceIndex';
import { occurrenceAt, targetAt } from './targets';
import { stepOnLine } from '../../runtime/src/graph/range';

export function hover(analysis: Analysis, position: Position): Hover | null {
  const graph = analysis.graph;
  if (!graph) return null;
  const found = targetAt(analysis, position);
  if (!found) {
    const o = occurrenceAt(analysis, position);
    if (o?.role !== 'read' || (o.name !== 'input' && o.name !== 'index')) return null;
    return { contents: { kind: MarkupKind.Markdown, value: foreachItemCard(graph, o.name, position) }, range: o.range };
  }
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
  switch: 'switch (runs one case, chosen by an artifact)',
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
  const lines = [
    codeBlock(`(step) ${step.isAsync ? 'async ' : ''}${step.name}${step.takesInputs ? '(inputs)' : '()'} — ${kindText(step)}`),
  ];
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
  const decorators = (step.decorators ?? []).map((d) => `- \`${decoratorSource(d)}\` — ${decoratorEffect(d)}`);
  if (decorators.length) lines.push(`**Decorators:**\n${decorators.join('\n')}`);
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

/** `this.input` / `this.index`: what they hold in the step under the cursor. */
function foreachItemCard(graph: FlowGraph, name: 'input' | 'index', position: Position): string {
  const step = stepOnLine(graph, position.line);
  const title = codeBlock(`(foreach ${name === 'input' ? 'item' : 'position'}) this.${name}`);
  const splits = step ? graph.steps.filter((s) => s.foreachVar !== undefined && s.successors.includes(step.name)) : [];
  if (!step || splits.length === 0) {
    return `${title}

Set only in a step that a foreach runs (\`this.next(this.step, { foreach: 'items' })\`); ${step ? `nothing runs \`${step.name}\` that way` : 'this is not inside a step'}, so it is \`undefined\` here.`;
  }
  const from = splits.map((s) => `\`${s.foreachVar}\` (the foreach in \`${s.name}\`)`).join(' or ');
  return name === 'input'
    ? `${title}

The item of ${from} that this task of \`${step.name}\` handles; \`this.index\` is its position.`
    : `${title}

The position (from 0) of this task's item in ${from}; \`this.input\` is the item.`;
}

function parameterLine(p: ParameterNode): string {
  const parts = [`\`--${p.name}\``, p.declaration === 'includeFile' ? 'file contents' : p.type];
  if (p.required) parts.push('required');
  const shown = p.default !== undefined ? JSON.stringify(p.default) : p.defaultText;
  if (p.defaultFunction) parts.push(`default computed at run start by \`${p.defaultText}\``);
  else if (shown !== undefined) parts.push(`default \`${shown}\``);
  return `${parts.join(', ')}${p.help ? ` — ${p.help}` : ''}`;
}

function codeBlock(text: string): string {
  return '```typescript\n' + text + '\n```';
}
