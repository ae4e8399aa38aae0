/** The outline: the flow class, its parameters, its declared artifacts and its steps. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import type { FlowGraph, Range } from '../../runtime/src/graph/types';

export function documentSymbols(graph: FlowGraph): DocumentSymbol[] {
  const children: DocumentSymbol[] = [];
  for (const p of graph.parameters) {
    children.push({
      name: p.field,
      detail: p.declaration === 'includeFile' ? `IncludeFile --${p.name}` : `Parameter --${p.name}: ${p.type}`,
      kind: SymbolKind.Property,
      range: p.range,
      selectionRange: inside(p.nameRange, p.range),
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
    flows.push({ name: other.name, detail: 'flow (one per file)', kind: SymbolKind.Class, range: other.range, selectionRange: other.range });
  }
  return flows;
}

/** LSP requires the selection range to lie within the full range; fall back to the full range. */
function inside(selection: Range, full: Range): Range {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(full.start, selection.start) && before(selection.end, full.end) ? selection : full;
}
