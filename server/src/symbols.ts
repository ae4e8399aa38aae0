/** The outline: the flow class, its parameters, its declared artifacts and its steps. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import { rangeEncloses } from '../../runtime/src/graph/range';
import type { FlowGraph, Range } from '../../runtime/src/graph/types';

export function documentSymbols(graph: FlowGraph, text: string): DocumentSymbol[] {
  const children: DocumentSymbol[] = [];
  const lines = text.split('\n');
  for (const p of graph.parameters) {
    children.push({
      name: p.field,
      detail: p.declaration === 'includeFile' ? `IncludeFile --${p.name}` : `Parameter --${p.name}: ${p.type}`,
      kind: SymbolKind.Property,
      range: p.range,
      selectionRange: inside(fieldNameRange(lines, p.range, p.field) ?? p.nameRange, p.range),
    });
  }
  const parameterFields = new Set(graph.parameters.map((p) => p.field));
  for (const f of graph.fields) {
    if (parameterFields.has(f.name)) continue;
    children.push({ name: f.name, detail: 'artifact', kind: SymbolKind.Field, range: f.range, selectionRange: f.range });
  }
  for (const s of graph.steps) {
    const next = s.successors.length ? ` → ${s.successors.join(', ')}` : '';
    children.push({
      name: s.name,
      detail: `${s.kind}${next}`,
      kind: SymbolKind.Method,
      range: s.range,
      selectionRange: inside(s.nameRange, s.range),
    });
  }
  const flows: DocumentSymbol[] = [];
  if (graph.classRange) {
    const nameRange = graph.classNameRange ?? graph.classRange;
    flows.push({
      name: graph.flowName ?? 'default flow',
      detail: 'flow',
      kind: SymbolKind.Class,
      range: graph.classRange,
      selectionRange: inside(nameRange, graph.classRange),
      children,
    });
  }
  for (const other of graph.otherFlows) {
    flows.push({
      name: other.name,
      detail: 'flow (one per file)',
      kind: SymbolKind.Class,
      range: other.range,
      selectionRange: other.range,
    });
  }
  return flows;
}

/** The field's name at the start of its declaration, after any modifiers (the symbol's name). */
function fieldNameRange(lines: string[], declaration: Range, field: string): Range | undefined {
  const line = lines[declaration.start.line];
  if (line === undefined) return undefined;
  const rest = line.slice(declaration.start.character);
  const m = /^((?:(?:readonly|public|private|protected|static|declare|override)\s+)*)([A-Za-z_$][\w$]*)/.exec(rest);
  if (!m || m[2] !== field) return undefined;
  const character = declaration.start.character + m[1].length;
  return { start: { line: declaration.start.line, character }, end: { line: declaration.start.line, character: character + field.length } };
}

/** LSP requires the selection range to lie within the full range; fall back to the full range. */
function inside(selection: Range, full: Range): Range {
  return rangeEncloses(full, selection) ? selection : full;
}
