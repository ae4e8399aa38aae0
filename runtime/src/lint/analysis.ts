/**
 * Facts several rules share, computed once per graph: reachability, cycles, the split/join
 * nesting of every step, and which artifacts are available where. Steps named twice count once
 * (the first); `end`'s own successors and unknown step names are left out, since their rules
 * report them and following them would only repeat the same problem as cycles or orphans.
 */
import type { FlowGraph, StepNode } from '../graph/types';

export interface BackEdge {
  from: StepNode;
  /** Index into `from.successors` / `from.successorRanges`. */
  index: number;
  to: StepNode;
  /** The steps of the cycle, from `to` back to `to`. */
  cycle: string[];
}

export interface CrossedJoin {
  join: StepNode;
  /** Each joined branch: its last step, the split it belongs to, and how deeply that split nests. */
  branches: Array<{ pred: string; split: string; depth: number }>;
}

export interface UnjoinedSplit {
  split: StepNode;
  /** The last steps of branches that reach `end` without a join. */
  reachedBy: string[];
}

export interface Structure {
  /** The open splits (outermost first) around each reachable step; null when unknowable. */
  stacks: Map<string, string[] | null>;
  crossed: CrossedJoin[];
  unjoined: UnjoinedSplit[];
  /** Steps taking `inputs` with no open split before them. */
  joinWithoutSplit: StepNode[];
}

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

export interface Analysis {
  graph: FlowGraph;
  byName: Map<string, StepNode>;
  start?: StepNode;
  end?: StepNode;
  reachable: Set<string>;
  backEdges: BackEdge[];
  /** Reachable steps, each after all its forward predecessors. */
  order: StepNode[];
  /** Reachable predecessors over forward edges (back edges left out). */
  incoming: Map<string, StepNode[]>;
  structure: Structure;
  data: DataFlow;
}

const cache = new WeakMap<FlowGraph, Analysis>();

export function analyse(graph: FlowGraph): Analysis {
  let a = cache.get(graph);
  if (!a) cache.set(graph, (a = compute(graph)));
  return a;
}

/** A step that opens a split: several successors, or a foreach. */
export function opensSplit(step: StepNode): boolean {
  return new Set(step.successors).size > 1 || step.foreachRange !== undefined || step.foreachVar !== undefined;
}

/** Known successor steps, with their argument index. `end`'s transitions are ignored. */
export function edges(step: StepNode, byName: Map<string, StepNode>): Array<{ to: StepNode; index: number }> {
  if (step.name === 'end') return [];
  const out: Array<{ to: StepNode; index: number }> = [];
  const seen = new Set<string>();
  step.successors.forEach((name, index) => {
    const to = byName.get(name);
    if (to && !seen.has(name)) {
      seen.add(name);
      out.push({ to, index });
    }
  });
  return out;
}

function compute(graph: FlowGraph): Analysis {
  const byName = new Map<string, StepNode>();
  for (const s of graph.steps) if (!byName.has(s.name)) byName.set(s.name, s);
  const start = byName.get('start');
  const end = byName.get('end');

  // Depth-first search from start, then from every step not reached, to find every cycle.
  const state = new Map<string, 'open' | 'done'>();
  const backEdges: BackEdge[] = [];
  const postorder: StepNode[] = [];
  const path: StepNode[] = [];
  const dfs = (s: StepNode, record: boolean): void => {
    state.set(s.name, 'open');
    path.push(s);
    for (const { to, index } of edges(s, byName)) {
      const st = state.get(to.name);
      if (st === 'open') {
        const from = path.findIndex((p) => p === to);
        backEdges.push({ from: s, index, to, cycle: [...path.slice(from).map((p) => p.name), to.name] });
      } else if (st === undefined) {
        dfs(to, record);
      }
    }
    path.pop();
    state.set(s.name, 'done');
    if (record) postorder.push(s);
  };
  if (start) dfs(start, true);
  const reachable = new Set(postorder.map((s) => s.name));
  for (const s of byName.values()) if (!state.has(s.name)) dfs(s, false);

  const order = postorder.reverse();
  const position = new Map(graph.steps.map((s, i) => [s, i]));
  const isBack = new Set(backEdges.map((b) => `${b.from.name}\u0000${b.to.name}`));
  const incoming = new Map<string, StepNode[]>();
  for (const s of order) incoming.set(s.name, []);
  for (const s of order) {
    for (const { to } of edges(s, byName)) {
      if (!isBack.has(`${s.name}\u0000${to.name}`)) incoming.get(to.name)?.push(s);
    }
  }
  for (const list of incoming.values()) list.sort((x, y) => position.get(x)! - position.get(y)!);

  const partial = { graph, byName, start, end, reachable, backEdges, order, incoming };
  return { ...partial, structure: structure(partial), data: dataFlow(partial) };
}

type Partial = Pick<Analysis, 'graph' | 'byName' | 'start' | 'end' | 'reachable' | 'order' | 'incoming'>;

/**
 * Splits and joins nest like parentheses: each step carries the stack of splits it is inside;
 * a join pops one, and every branch it joins must come from the same split.
 */
function structure(a: Partial): Structure {
  const out: Structure = { stacks: new Map(), crossed: [], unjoined: [], joinWithoutSplit: [] };
  for (const s of a.order) {
    if (s === a.start) {
      out.stacks.set(s.name, []);
      continue;
    }
    const inc = a.incoming.get(s.name) ?? [];
    const childStacks = inc.map((p) => {
      const st = out.stacks.get(p.name);
      if (!st) return null;
      return opensSplit(p) ? [...st, p.name] : st;
    });
    if (childStacks.length === 0 || childStacks.some((st) => st === null)) {
      out.stacks.set(s.name, null);
      continue;
    }
    const stacks = childStacks as string[][];
    const actsAsJoin = s.name !== 'end' && (s.takesInputs || inc.length >= 2);
    if (!actsAsJoin) {
      // Only `end` can be reached twice here: keep every split still open on any branch.
      const merged: string[] = [];
      for (const st of stacks) for (const x of st) if (!merged.includes(x)) merged.push(x);
      out.stacks.set(s.name, stacks.length === 1 ? stacks[0] : merged);
      continue;
    }
    const tops = stacks.map((st) => st[st.length - 1]);
    if (tops.some((x) => x === undefined)) {
      if (s.takesInputs) out.joinWithoutSplit.push(s);
      out.stacks.set(s.name, s.takesInputs && inc.length === 1 ? stacks[0] : null);
    } else if (new Set(tops).size > 1) {
      out.crossed.push({ join: s, branches: inc.map((p, i) => ({ pred: p.name, split: tops[i], depth: stacks[i].length })) });
      out.stacks.set(s.name, null);
    } else {
      out.stacks.set(s.name, stacks[0].slice(0, -1));
    }
  }
  const end = a.end;
  const endStack = end && a.reachable.has(end.name) ? out.stacks.get(end.name) : null;
  if (end && endStack) {
    for (const name of endStack) {
      const split = a.byName.get(name)!;
      const reachedBy = (a.incoming.get(end.name) ?? [])
        .filter((p) => {
          const st = out.stacks.get(p.name);
          return p.name === name || (st?.includes(name) ?? false);
        })
        .map((p) => p.name);
      out.unjoined.push({ split, reachedBy });
    }
  }
  return out;
}

/** Which artifacts are assigned on every path (and on some path) into each step. */
function dataFlow(a: Partial): DataFlow {
  const base = new Set<string>();
  for (const p of a.graph.parameters) base.add(p.field);
  for (const f of a.graph.fields) if (f.initialized) base.add(f.name);
  const d: DataFlow = { base, defIn: new Map(), defOut: new Map(), maybeIn: new Map(), maybeOut: new Map(), carried: new Map() };
  for (const s of a.order) {
    const inc = a.incoming.get(s.name) ?? [];
    let defIn: Set<string>;
    let maybeIn: Set<string>;
    let carried = new Set<string>();
    if (s === a.start || inc.length === 0) {
      defIn = new Set(base);
      maybeIn = new Set(base);
    } else if (s.takesInputs) {
      // A join starts afresh: only what it merges or assigns leaves it.
      defIn = new Set(base);
      maybeIn = new Set(base);
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
    d.defIn.set(s.name, defIn);
    d.maybeIn.set(s.name, maybeIn);
    d.carried.set(s.name, carried);
    const defOut = new Set([...defIn, ...carried]);
    const maybeOut = new Set([...maybeIn, ...carried]);
    for (const x of s.assigns) {
      defOut.add(x.name);
      maybeOut.add(x.name);
    }
    d.defOut.set(s.name, defOut);
    d.maybeOut.set(s.name, maybeOut);
  }
  return d;
}

/**
 * Steps in the order a reader follows the flow: each after every step leading to it, ties
 * broken by source order (so a split's branches appear as written); unreachable steps last.
 */
export function flowOrder(graph: FlowGraph): StepNode[] {
  const a = analyse(graph);
  const position = new Map(graph.steps.map((s, i) => [s.name, i]));
  const waiting = new Map<string, number>();
  for (const s of a.order) waiting.set(s.name, (a.incoming.get(s.name) ?? []).length);
  const out: StepNode[] = [];
  const ready: StepNode[] = a.start ? [a.start] : [];
  while (ready.length) {
    ready.sort((x, y) => position.get(x.name)! - position.get(y.name)!);
    const s = ready.shift()!;
    out.push(s);
    for (const { to } of edges(s, a.byName)) {
      if (!waiting.has(to.name) || !(a.incoming.get(to.name) ?? []).includes(s)) continue;
      const left = waiting.get(to.name)! - 1;
      waiting.set(to.name, left);
      if (left === 0) ready.push(to);
    }
  }
  const placed = new Set(out);
  for (const s of graph.steps) if (!placed.has(s)) out.push(s);
  return out;
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
