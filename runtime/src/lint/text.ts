/** Wording helpers shared by rule messages. */
import { comparePositions } from '../graph/range';
import type { FlowGraph, Position, Range } from '../graph/types';

export const code = (name: string): string => `\`${name}\``;

/** `a`, `b` and `c` */
export function list(names: readonly string[]): string {
  const q = names.map(code);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/** Edits (insert, delete, substitute, swap two neighbours) between two names, case-blind. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => [i]);
  for (let j = 0; j <= y.length; j++) d[0][j] = j;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[x.length][y.length];
}

/** The candidate nearest to `name` when it is close enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(name, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  const limit = Math.max(1, Math.floor(Math.max(name.length, 3) / 3));
  return best !== undefined && bestD <= limit ? best : undefined;
}

/** Where a new member goes: just before the class's closing brace. */
export function classInsertPoint(graph: FlowGraph): Position | undefined {
  const r = graph.classRange;
  if (!r) return undefined;
  return { line: r.end.line, character: Math.max(0, r.end.character - 1) };
}

/** A zero-width range at the start of the class name, for findings about the whole flow. */
export function flowRange(graph: FlowGraph): Range {
  return graph.classNameRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

/** Orders diagnostics by position, then code. */
export function byPosition(a: { range: Range; code: string }, b: { range: Range; code: string }): number {
  return comparePositions(a.range.start, b.range.start) || a.code.localeCompare(b.code);
}
