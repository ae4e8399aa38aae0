/**
 * The flow's structure, computed once per graph and read by every consumer (lint, `show`, the
 * scheduler): which steps are reachable, the order they run in, the cycles, and how splits and
 * joins nest. Built in phases, like Metaflow's graph.py: index the steps, walk the transitions,
 * then match each join to the split it closes.
 *
 * Steps named twice count once (the first); `end`'s own successors and unknown step names are
 * left out, since lint reports them and following them would only repeat the same problem as
 * cycles or orphans.
 *
 * A switch runs one of its cases: its paths are alternatives, so where they meet again is a plain
 * step, not a join, and a case that goes back to an earlier step makes a loop (graph/loops.ts).
 */
import { findLoops, type Loop, type LoopProblem } from './loops';
import type { FlowGraph, StepNode } from './types';

/**
 * How a step hands on: to one step, to parallel branches, to one task per item of a list, or to
 * the one case of a switch its condition picks. Each phase below says what each means for it.
 */
export type Fanout = 'end' | 'linear' | 'split' | 'foreach' | 'switch';

export interface Transition {
  to: StepNode;
  /** Index into the step's `successors` / `successorRanges`. */
  index: number;
}

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

/** A join that closes a static split but is reached from only some of its branches. */
export interface PartialJoin {
  join: StepNode;
  split: StepNode;
  /** The branches (first steps) of the split that never reach the join. */
  missing: string[];
}

/** One open split around a step, and the branch of it the step is on (`*`: a foreach item). */
export interface SplitLevel {
  split: string;
  branch: string;
}

/** How splits and joins nest, like parentheses; and where they do not. */
export interface SplitNesting {
  /** The open splits (outermost first) around each reachable step; null when unknowable. */
  stacks: Map<string, string[] | null>;
  /**
   * The same, with the branch of each split the step is on. Steps reached along paths with equal
   * levels are alternatives (a switch's cases meeting again); unequal levels are parallel branches.
   */
  levels: Map<string, SplitLevel[] | null>;
  crossed: CrossedJoin[];
  unjoined: UnjoinedSplit[];
  partial: PartialJoin[];
  /** Steps taking `inputs` with no open split before them. */
  joinWithoutSplit: StepNode[];
  /** Steps without `inputs` (other than `end`) where parallel branches meet: they must be joins. */
  meetings: Array<{ step: StepNode; branches: StepNode[] }>;
}

export interface FlowStructure {
  graph: FlowGraph;
  /** Each step by name (the first, when a name is declared twice). */
  byName: Map<string, StepNode>;
  start?: StepNode;
  end?: StepNode;
  /** Names of the steps a run can reach from `start`. */
  reachable: Set<string>;
  /** Transitions that close a cycle. */
  backEdges: BackEdge[];
  /** Loops (cycles closed by a switch case), outermost first. */
  loops: Loop[];
  /** Cycles that are not well-formed loops, and why. */
  loopProblems: LoopProblem[];
  /** Reachable steps, each after all its forward predecessors. */
  order: StepNode[];
  /** Reachable predecessors over forward edges (back edges left out), in source order. */
  incoming: Map<string, StepNode[]>;
  /** Names of the steps that take `inputs`: their tasks wait for every branch of a split. */
  joins: Set<string>;
  nesting: SplitNesting;
  /**
   * Every step in the order a reader follows the flow: each after every step leading to it,
   * ties broken by source order (so a split's branches appear as written); unreachable last.
   */
  readingOrder: StepNode[];
}

const cache = new WeakMap<FlowGraph, FlowStructure>();

/** The graph's structure, computed on first use and kept as long as the graph object lives. */
export function flowStructure(graph: FlowGraph): FlowStructure {
  let s = cache.get(graph);
  if (!s) cache.set(graph, (s = compute(graph)));
  return s;
}

export function fanoutOf(step: StepNode): Fanout {
  if (step.name === 'end') return 'end';
  if (step.switch) return 'switch';
  if (step.foreachRange !== undefined || step.foreachVar !== undefined) return 'foreach';
  return new Set(step.successors).size > 1 ? 'split' : 'linear';
}

/** A step whose tasks each start a new branch level that a join must close. */
export function opensSplit(step: StepNode): boolean {
  const f = fanoutOf(step);
  return f === 'split' || f === 'foreach';
}

/** Known successor steps, each once, with their argument index. `end`'s transitions are ignored. */
export function transitions(step: StepNode, byName: ReadonlyMap<string, StepNode>): Transition[] {
  if (fanoutOf(step) === 'end') return [];
  const out: Transition[] = [];
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

/**
 * `from` and every step after it, by any transition (what a resume from `from` re-runs); with
 * `forwardOnly`, without following a loop back (what comes after `from` within one pass).
 */
export function downstreamOf(graph: FlowGraph, from: string, forwardOnly = false): Set<string> {
  const { byName, backEdges } = flowStructure(graph);
  const back = new Set(backEdges.map((b) => edgeKey(b.from.name, b.to.name)));
  const out = new Set<string>([from]);
  const todo = [from];
  while (todo.length) {
    const cur = todo.pop()!;
    for (const n of byName.get(cur)?.successors ?? []) {
      if (out.has(n) || (forwardOnly && back.has(edgeKey(cur, n)))) continue;
      out.add(n);
      todo.push(n);
    }
  }
  return out;
}

export function edgeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

function compute(graph: FlowGraph): FlowStructure {
  const byName = new Map<string, StepNode>();
  for (const s of graph.steps) if (!byName.has(s.name)) byName.set(s.name, s);
  const start = byName.get('start');
  const end = byName.get('end');
  const { reachable, backEdges, order } = walk(byName, start);
  const incoming = forwardIncoming(graph, byName, order, backEdges);
  const joins = new Set([...byName.values()].filter((s) => s.takesInputs).map((s) => s.name));
  const phase = { graph, byName, start, end, reachable, order, incoming };
  const nest = nesting(phase);
  const { loops, problems } = findLoops({ ...phase, backEdges, levels: nest.levels });
  return { ...phase, backEdges, loops, loopProblems: problems, joins, nesting: nest, readingOrder: readingOrder(phase) };
}

/** Phase 2: depth-first from `start`, then from every step not reached, to find every cycle. */
function walk(byName: Map<string, StepNode>, start: StepNode | undefined): Pick<FlowStructure, 'reachable' | 'backEdges' | 'order'> {
  const state = new Map<string, 'open' | 'done'>();
  const backEdges: BackEdge[] = [];
  const postorder: StepNode[] = [];
  const path: StepNode[] = [];
  const dfs = (s: StepNode, record: boolean): void => {
    state.set(s.name, 'open');
    path.push(s);
    for (const { to, index } of transitions(s, byName)) {
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
  return { reachable, backEdges, order: postorder.reverse() };
}

function forwardIncoming(
  graph: FlowGraph,
  byName: Map<string, StepNode>,
  order: StepNode[],
  backEdges: BackEdge[],
): Map<string, StepNode[]> {
  const position = new Map(graph.steps.map((s, i) => [s, i]));
  const isBack = new Set(backEdges.map((b) => edgeKey(b.from.name, b.to.name)));
  const incoming = new Map<string, StepNode[]>();
  for (const s of order) incoming.set(s.name, []);
  for (const s of order) {
    for (const { to } of transitions(s, byName)) {
      if (!isBack.has(edgeKey(s.name, to.name))) incoming.get(to.name)?.push(s);
    }
  }
  for (const list of incoming.values()) list.sort((x, y) => position.get(x)! - position.get(y)!);
  return incoming;
}

type Phase = Pick<FlowStructure, 'graph' | 'byName' | 'start' | 'end' | 'reachable' | 'order' | 'incoming'>;

/**
 * Phase 3: splits and joins nest like parentheses. Each step carries the splits it is inside and
 * the branch of each; a join pops one, and every branch it joins must come from that split.
 */
function nesting(a: Phase): SplitNesting {
  const out: SplitNesting = {
    stacks: new Map(),
    levels: new Map(),
    crossed: [],
    unjoined: [],
    partial: [],
    joinWithoutSplit: [],
    meetings: [],
  };
  for (const s of a.order) {
    const levels = s === a.start ? [] : levelsAt(s, a, out);
    out.levels.set(s.name, levels);
    out.stacks.set(s.name, levels && levels.map((l) => l.split));
  }
  out.unjoined = unjoinedAtEnd(a, out.stacks);
  return out;
}

function sameLevels(x: SplitLevel[], y: SplitLevel[]): boolean {
  return x.length === y.length && x.every((l, i) => l.split === y[i].split && l.branch === y[i].branch);
}

/** The open splits around `s`, from those of the steps leading to it; records what does not nest. */
function levelsAt(s: StepNode, a: Phase, out: SplitNesting): SplitLevel[] | null {
  const inc = a.incoming.get(s.name) ?? [];
  const arriving = inc.map((p) => {
    const lv = out.levels.get(p.name);
    if (!lv) return null;
    const f = fanoutOf(p);
    return f === 'split' || f === 'foreach' ? [...lv, { split: p.name, branch: f === 'foreach' ? '*' : s.name }] : lv;
  });
  if (arriving.length === 0 || arriving.some((st) => st === null)) return null;
  const stacks = arriving as SplitLevel[][];
  // Paths with the same levels are alternatives (the cases of a switch meeting again), not branches.
  const parallel = stacks.some((st) => !sameLevels(st, stacks[0]));
  if (parallel && !s.takesInputs && s.name !== 'end') out.meetings.push({ step: s, branches: inc });
  if (!parallel && !s.takesInputs) return stacks[0];
  if (!s.takesInputs && s.name === 'end') {
    // Branches that reach `end` unjoined: keep every split still open on any of them.
    const merged: SplitLevel[] = [];
    for (const st of stacks) for (const l of st) if (!merged.some((m) => m.split === l.split)) merged.push(l);
    return merged;
  }
  const tops = stacks.map((st) => st[st.length - 1]);
  if (tops.some((x) => x === undefined)) {
    if (s.takesInputs) out.joinWithoutSplit.push(s);
    return s.takesInputs && !parallel ? stacks[0] : null;
  }
  if (new Set(tops.map((t) => t.split)).size > 1) {
    out.crossed.push({
      join: s,
      branches: inc.map((p, i) => ({ pred: p.name, split: tops[i].split, depth: stacks[i].length })),
    });
    return null;
  }
  partialJoin(s, tops, a, out);
  return stacks[0].slice(0, -1);
}

/** A join of a static split must be reached from every branch, or its task would wait forever. */
function partialJoin(join: StepNode, tops: SplitLevel[], a: Phase, out: SplitNesting): void {
  const split = a.byName.get(tops[0].split);
  if (!split || fanoutOf(split) !== 'split') return;
  const reached = new Set(tops.map((t) => t.branch));
  const missing = [...new Set(split.successors)].filter((b) => a.byName.has(b) && !reached.has(b));
  if (missing.length) out.partial.push({ join, split, missing });
}

/** Splits still open when `end` is reached, with the branches that get there unjoined. */
function unjoinedAtEnd(a: Phase, stacks: SplitNesting['stacks']): UnjoinedSplit[] {
  const end = a.end;
  const endStack = end && a.reachable.has(end.name) ? stacks.get(end.name) : null;
  if (!end || !endStack) return [];
  return endStack.map((name) => {
    const reachedBy = (a.incoming.get(end.name) ?? [])
      .filter((p) => p.name === name || (stacks.get(p.name)?.includes(name) ?? false))
      .map((p) => p.name);
    return { split: a.byName.get(name)!, reachedBy };
  });
}

/** Phase 4: the reading order (see FlowStructure.readingOrder). */
function readingOrder(a: Phase): StepNode[] {
  const position = new Map(a.graph.steps.map((s, i) => [s.name, i]));
  const waiting = new Map<string, number>();
  for (const s of a.order) waiting.set(s.name, (a.incoming.get(s.name) ?? []).length);
  const out: StepNode[] = [];
  const ready: StepNode[] = a.start ? [a.start] : [];
  while (ready.length) {
    ready.sort((x, y) => position.get(x.name)! - position.get(y.name)!);
    const s = ready.shift()!;
    out.push(s);
    for (const { to } of transitions(s, a.byName)) {
      if (!waiting.has(to.name) || !(a.incoming.get(to.name) ?? []).includes(s)) continue;
      const left = waiting.get(to.name)! - 1;
      waiting.set(to.name, left);
      if (left === 0) ready.push(to);
    }
  }
  const placed = new Set(out);
  for (const s of a.graph.steps) if (!placed.has(s)) out.push(s);
  return out;
}
