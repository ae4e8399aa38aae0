/**
 * Which artifacts are assigned on every path (and on some path) into each step: the facts the
 * artifact rules share, computed once per graph over the flow's structure (graph/structure.ts).
 */
import { flowStructure, type FlowStructure } from '../graph/structure';
import { catchVar } from '../graph/decorators';
import type { FlowGraph, StepNode } from '../graph/types';

export interface DataFlow {
  /** Available before `start`: parameters, IncludeFiles, initialised fields. */
  base: Set<string>;
  /** Assigned on every path into the step (for a join: what its mergeArtifacts carries, added separately). */
  defIn: Map<string, Set<string>>;
  defOut: Map<string, Set<string>>;
  /** Assigned on at least one path. */
  maybeIn: Map<string, Set<string>>;
  maybeOut: Map<string, Set<string>>;
  /** What a join's `mergeArtifacts` call carries over. */
  carried: Map<string, Set<string>>;
}

const cache = new WeakMap<FlowGraph, DataFlow>();

export function dataFlowOf(graph: FlowGraph): DataFlow {
  let d = cache.get(graph);
  if (!d) cache.set(graph, (d = compute(flowStructure(graph))));
  return d;
}

function compute(a: FlowStructure): DataFlow {
  const base = new Set<string>();
  for (const p of a.graph.parameters) base.add(p.field);
  for (const f of a.graph.fields) if (f.initialized) base.add(f.name);
  const d: DataFlow = { base, defIn: new Map(), defOut: new Map(), maybeIn: new Map(), maybeOut: new Map(), carried: new Map() };
  // A loop's head is also entered from its latches: what a pass leaves, the next pass starts
  // with. Sets only shrink (defined) or grow (maybe) from one round to the next, so this settles
  // (without loops, in the first round).
  const loopBack = new Map<string, StepNode[]>();
  for (const l of a.loops) loopBack.set(l.head.name, l.latches);
  for (let round = 0; round <= a.order.length; round++) {
    let changed = false;
    for (const s of a.order) changed = step(a, d, s, loopBack.get(s.name) ?? []) || changed;
    if (!changed || a.loops.length === 0) break;
  }
  return d;
}

/** One step's sets from those of the steps leading to it; true when they changed. */
function step(a: FlowStructure, d: DataFlow, s: StepNode, latches: StepNode[]): boolean {
  const forward = a.incoming.get(s.name) ?? [];
  const inc = [...forward, ...latches.filter((l) => d.defOut.has(l.name))];
  let defIn: Set<string>;
  let maybeIn: Set<string>;
  let carried = new Set<string>();
  if (s === a.start || forward.length === 0) {
    defIn = new Set(d.base);
    maybeIn = new Set(d.base);
  } else if (s.takesInputs) {
    // A join starts afresh: only what it merges or assigns leaves it.
    defIn = new Set(d.base);
    maybeIn = new Set(d.base);
    if (s.merge) {
      const all = new Set<string>();
      for (const p of inc) for (const x of d.defOut.get(p.name) ?? []) all.add(x);
      carried = mergeFilter(all, s.merge);
    }
  } else {
    defIn = new Set(d.defOut.get(inc[0].name) ?? []);
    maybeIn = new Set<string>();
    for (const p of inc) {
      const out = d.defOut.get(p.name) ?? new Set<string>();
      for (const x of defIn) if (!out.has(x)) defIn.delete(x);
      for (const x of d.maybeOut.get(p.name) ?? []) maybeIn.add(x);
    }
  }
  const before = d.defIn.get(s.name);
  const maybeBefore = d.maybeIn.get(s.name);
  const carriedBefore = d.carried.get(s.name);
  const changed = !before || !sameSet(before, defIn) || !maybeBefore || !sameSet(maybeBefore, maybeIn) || !sameSet(carriedBefore!, carried);
  d.defIn.set(s.name, defIn);
  d.maybeIn.set(s.name, maybeIn);
  d.carried.set(s.name, carried);
  const defOut = new Set([...defIn, ...carried]);
  const maybeOut = new Set([...maybeIn, ...carried]);
  const assigned = s.assigns.map((x) => x.name);
  // A @catchFailure var is set by the step whether it fails or not (null when it did not).
  const caught = catchVar(s);
  if (caught) assigned.push(caught.name);
  for (const x of assigned) {
    defOut.add(x);
    maybeOut.add(x);
  }
  d.defOut.set(s.name, defOut);
  d.maybeOut.set(s.name, maybeOut);
  return changed;
}

function sameSet(x: Set<string>, y: Set<string>): boolean {
  return x.size === y.size && [...x].every((v) => y.has(v));
}

/** mergeArtifacts carries every artifact, less `exclude`, or only those in `include`. */
export function mergeFilter(names: Iterable<string>, merge: NonNullable<StepNode['merge']>): Set<string> {
  const out = new Set<string>();
  for (const x of names) {
    if (merge.exclude?.includes(x)) continue;
    if (merge.include && !merge.include.includes(x)) continue;
    out.add(x);
  }
  return out;
}
