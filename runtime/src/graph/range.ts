/** Comparing positions and ranges (0-based lines, UTF-16 columns, ends inclusive as in LSP hit tests). */
import type { FlowGraph, Position, Range, StepNode } from './types';

/** Negative when `a` comes first, 0 when equal, positive when `b` comes first. */
export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** `p` lies in `range`, both ends included. */
export function rangeContains(range: Range, p: Position): boolean {
  return comparePositions(range.start, p) <= 0 && comparePositions(p, range.end) <= 0;
}

/** The step whose lines hold `line` (a hit test by line: hover and completion inside a step's body). */
export function stepOnLine(graph: FlowGraph, line: number): StepNode | undefined {
  return graph.steps.find((s) => s.range.start.line <= line && s.range.end.line >= line);
}

/** `inner` lies wholly in `outer`. */
export function rangeEncloses(outer: Range, inner: Range): boolean {
  return rangeContains(outer, inner.start) && rangeContains(outer, inner.end);
}

/** The two ranges share at least one position. */
export function rangesIntersect(a: Range, b: Range): boolean {
  return rangeContains(a, b.start) || rangeContains(a, b.end) || rangeContains(b, a.start);
}
