/**
 * Quick fixes, offered only where the fix is clear: add the missing `end` step, give a join
 * its `inputs` parameter (importing `Inputs` when needed), rename a mistyped step or artifact
 * name to the one the linter suggests, decorate a method that `next` names but that lacks
 * `@step`, rename a badly styled step everywhere it is named, and give a switch the
 * `condition` it lacks (the artifact the step most likely chooses by).
 */
import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver/node';
import type { FlowGraph, Range } from '../../runtime/src/graph/types';
import type { FlowDiagnostic } from '../../runtime/src/lint/types';
import type { Analysis } from './analysis';
import { toLspDiagnostic } from './diagnostics';
import { rangesIntersect } from '../../runtime/src/graph/range';
import { sourceIndexOf, type OccurrenceRole } from './sourceIndex';
import { artifactNames, occurrencesOf } from './targets';

/** Rule names (runtime/src/lint) whose findings have a fix here. */
export const fixableRules = {
  missingEnd: 'missing-end',
  joinWithoutInputs: 'join-without-inputs',
  stepNameStyle: 'step-name-style',
  switchWithoutCondition: 'switch-without-condition',
} as const;

export function codeActions(analysis: Analysis, range: Range): CodeAction[] {
  const graph = analysis.graph;
  if (!graph) return [];
  const actions: CodeAction[] = [];
  for (const d of analysis.diagnostics) {
    if (!rangesIntersect(d.range, range)) continue;
    const fix = fixFor(analysis, graph, d);
    if (!fix) continue;
    actions.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [toLspDiagnostic(analysis.uri, d)],
      isPreferred: true,
      edit: { changes: { [analysis.uri]: fix.edits } },
    });
  }
  return actions;
}

interface Fix {
  title: string;
  edits: TextEdit[];
}

function fixFor(analysis: Analysis, graph: FlowGraph, d: FlowDiagnostic): Fix | undefined {
  if (d.rule === fixableRules.missingEnd) return addEndStep(analysis, graph);
  if (d.rule === fixableRules.joinWithoutInputs && joinTakesNoInputs(graph, d)) return addInputs(analysis, graph, d);
  if (d.rule === fixableRules.stepNameStyle && typeof d.data?.step === 'string' && typeof d.data.preferredName === 'string') {
    return renameStep(analysis, graph, d.data.step, d.data.preferredName);
  }
  if (d.rule === fixableRules.switchWithoutCondition) return addCondition(d);
  if (d.data?.addDecorator === true && typeof d.data.target === 'string') return addStepDecorator(analysis, d.data.target);
  const suggestion = d.data?.suggestion;
  if (typeof suggestion === 'string') return renameTo(analysis, d, suggestion);
  return undefined;
}

/** Inserts `{ condition: 'x' }` (or the property into the existing options) with the linter's first candidate. */
function addCondition(d: FlowDiagnostic): Fix | undefined {
  const insert = d.data?.insert as { at: Range['start']; prefix: string; suffix: string } | undefined;
  const candidates = d.data?.candidates;
  if (!insert || !Array.isArray(candidates)) return undefined;
  const name = typeof candidates[0] === 'string' ? candidates[0] : 'choice';
  return {
    title: `Add \`condition: '${name}'\` to the switch`,
    edits: [{ range: { start: insert.at, end: insert.at }, newText: `${insert.prefix}'${name}'${insert.suffix}` }],
  };
}

function lineIndent(text: string, line: number): string {
  const indent = /[ \t]*/y;
  indent.lastIndex = lineOffset(text, line);
  return indent.exec(text)?.[0] ?? '';
}

function lineOffset(text: string, line: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return offset;
}

/** A step named `end` after the last step, in the same layout as the steps around it. */
function addEndStep(analysis: Analysis, graph: FlowGraph): Fix | undefined {
  if (graph.steps.some((s) => s.name === 'end')) return undefined;
  const steps = graph.steps;
  const last = steps[steps.length - 1];
  if (last) {
    const indent = lineIndent(analysis.text, last.range.start.line);
    const previous = steps[steps.length - 2];
    // Steps written back to back (one per line) get no blank line before the new one.
    const gap = previous && last.range.start.line - previous.range.end.line <= 1 ? '\n' : '\n\n';
    return {
      title: 'Add the missing `end` step',
      edits: [{ range: { start: last.range.end, end: last.range.end }, newText: `${gap}${indent}@step end() {}` }],
    };
  }
  if (!graph.classRange) return undefined;
  const closing = { line: graph.classRange.end.line, character: Math.max(0, graph.classRange.end.character - 1) };
  const indent = lineIndent(analysis.text, graph.classRange.start.line) + '  ';
  return {
    title: 'Add the missing `end` step',
    edits: [{ range: { start: closing, end: closing }, newText: `${indent}@step end() {}\n` }],
  };
}

function stepOf(graph: FlowGraph, d: FlowDiagnostic) {
  const named = typeof d.data?.step === 'string' ? graph.steps.find((s) => s.name === d.data?.step) : undefined;
  return (
    named ??
    graph.steps.find((s) => rangesIntersect(s.nameRange, d.range)) ??
    graph.steps.find((s) => rangesIntersect(s.range, d.range) && s.range.start.line <= d.range.start.line)
  );
}

function joinTakesNoInputs(graph: FlowGraph, d: FlowDiagnostic): boolean {
  const step = stepOf(graph, d);
  // `end` cannot become a join: the fix there is a new join step, which is not clear-cut.
  return !!step && !step.takesInputs && step.name !== 'end';
}

/** `inputs: Inputs<Flow>` in the join's parameter list, and `Inputs` in the flow's import. */
function addInputs(analysis: Analysis, graph: FlowGraph, d: FlowDiagnostic): Fix | undefined {
  const step = stepOf(graph, d);
  if (!step) return undefined;
  const typeArg = graph.flowName ? `<${graph.flowName}>` : '';
  const edits: TextEdit[] = [{ range: step.parametersRange, newText: `inputs: Inputs${typeArg}` }];
  const index = sourceIndexOf(analysis);
  const imp = index.flowImport;
  if (!imp?.names.includes('Inputs')) {
    if (imp?.insertAt) {
      edits.push({ range: { start: imp.insertAt, end: imp.insertAt }, newText: imp.typeOnly ? ', Inputs' : ', type Inputs' });
    } else {
      const at = index.afterImports;
      const statement = `import type { Inputs } from '${imp?.module ?? 'stepwise'}';`;
      const atStart = at.line === 0 && at.character === 0;
      edits.push({ range: { start: at, end: at }, newText: atStart ? `${statement}\n` : `\n${statement}` });
    }
  }
  return { title: `Add \`inputs: Inputs${typeArg}\` to the join \`${step.name}\``, edits };
}

/** A step renamed everywhere the flow names it: its method, every `next`, `inputs.step`. */
function renameStep(analysis: Analysis, graph: FlowGraph, from: string, to: string): Fix | undefined {
  const step = graph.steps.find((s) => s.name === from);
  const taken = graph.steps.some((s) => s.name === to) || artifactNames(graph).has(to) || graph.methods.some((m) => m.name === to);
  if (!step || taken) return undefined;
  const edits = occurrencesOf(analysis, { kind: 'step', name: from, step }, true).map((o) => ({ range: o.range, newText: to }));
  return { title: `Rename step \`${from}\` to \`${to}\` (and every \`next\` naming it)`, edits };
}

/** `this.next(this.helper)` names a method without @step: decorate it. */
function addStepDecorator(analysis: Analysis, method: string): Fix | undefined {
  const at = sourceIndexOf(analysis).helperStarts.get(method);
  if (!at) return undefined;
  return { title: `Make \`${method}\` a step (add @step)`, edits: [{ range: { start: at, end: at }, newText: '@step ' }] };
}

const renameableRoles: ReadonlySet<OccurrenceRole> = new Set(['next-target', 'foreach', 'read', 'write', 'merge-list']);

/** Replace the mistyped name inside the diagnostic's range with the linter's suggestion. */
function renameTo(analysis: Analysis, d: FlowDiagnostic, suggestion: string): Fix | undefined {
  // The linter names the mistyped word (`data.target`, `data.artifact`); else any other name in range.
  const named = d.data?.target ?? d.data?.artifact;
  const target = typeof named === 'string' ? named : undefined;
  const candidates = sourceIndexOf(analysis).occurrences.filter(
    (o) => renameableRoles.has(o.role) && o.name !== suggestion && rangesIntersect(d.range, o.range),
  );
  const occurrence = candidates.find((o) => o.name === target) ?? (target === undefined ? candidates[0] : undefined);
  if (!occurrence) return undefined;
  return {
    title: `Change \`${occurrence.name}\` to \`${suggestion}\``,
    edits: [{ range: occurrence.range, newText: suggestion }],
  };
}
