/**
 * Loops: a switch case that goes back to the step itself or to an earlier step. Each loop is a
 * natural loop, like a compiler's: one first step (its head), the switches that go back to it
 * (its latches), and the steps a pass runs through (its body). A run enters a loop only at its
 * head, and every split a pass opens is joined within the pass, so each pass is one more set of
 * tasks at the same place in the graph (scheduler/passes.ts numbers them).
 */
import type { BackEdge, FlowStructure, SplitLevel } from './structure';
import type { StepNode } from './types';

export interface Loop {
  /** The step each pass starts at. */
  head: StepNode;
  /** The switches whose case goes back to `head`, in source order. */
  latches: StepNode[];
  /** Names of the steps a pass can run: the head, the latches and every step between. */
  body: Set<string>;
}

export type LoopProblemKind =
  /** The step that goes back is not a switch: the flow would go round forever. */
  | 'not-switch'
  /** The cycle goes back to `start`, which runs once and reads the parameters. */
  | 'to-start'
  /** The loop's first step takes `inputs`: a pass has nothing to join. */
  | 'join-head'
  /** The latch is inside a split (or foreach) that the head is not: a pass must close what it opens. */
  | 'levels'
  /** A step of the loop other than its head is reached from outside the loop. */
  | 'entry';

export interface LoopProblem {
  kind: LoopProblemKind;
  edge: BackEdge;
  /** For `entry`: the step entered from outside, and the step outside that enters it. */
  entry?: { step: StepNode; from: StepNode };
}

type Input = Pick<FlowStructure, 'byName' | 'incoming' | 'backEdges'> & { levels: Map<string, SplitLevel[] | null> };

/** Groups the back edges by head, computes each body, and checks each loop's shape. */
export function findLoops(a: Input): { loops: Loop[]; problems: LoopProblem[] } {
  const problems: LoopProblem[] = [];
  const byHead = new Map<string, Loop>();
  for (const edge of a.backEdges) {
    const problem = shapeProblem(edge, a);
    if (problem) {
      problems.push({ kind: problem, edge });
      continue;
    }
    let loop = byHead.get(edge.to.name);
    if (!loop) byHead.set(edge.to.name, (loop = { head: edge.to, latches: [], body: new Set([edge.to.name]) }));
    if (!loop.latches.includes(edge.from)) loop.latches.push(edge.from);
    addBody(loop, edge.from, a);
  }
  const loops = [...byHead.values()].sort((x, y) => y.body.size - x.body.size);
  for (const loop of loops) {
    const entry = entryProblem(loop, a);
    if (entry) {
      const edge = a.backEdges.find((b) => b.to === loop.head)!;
      problems.push({ kind: 'entry', edge, entry });
    }
  }
  const bad = new Set(problems.filter((p) => p.kind === 'entry').map((p) => p.edge.to.name));
  return { loops: loops.filter((l) => !bad.has(l.head.name)), problems };
}

function shapeProblem(edge: BackEdge, a: Input): LoopProblemKind | undefined {
  if (!edge.from.switch) return 'not-switch';
  if (edge.to.name === 'start') return 'to-start';
  if (edge.to.takesInputs) return 'join-head';
  const at = a.levels.get(edge.from.name);
  const head = a.levels.get(edge.to.name);
  if (at && head && !sameSplits(at, head)) return 'levels';
  return undefined;
}

function sameSplits(x: SplitLevel[], y: SplitLevel[]): boolean {
  return x.length === y.length && x.every((l, i) => l.split === y[i].split && l.branch === y[i].branch);
}

/**
 * Every step after the head from which the latch is reached without passing the head (walking
 * forward edges back). Steps not after the head stay out, so a second way in shows as an entry.
 */
function addBody(loop: Loop, latch: StepNode, a: Input): void {
  const after = forwardFrom(loop.head, a);
  const todo = [latch];
  while (todo.length) {
    const s = todo.pop()!;
    if (loop.body.has(s.name) || !after.has(s.name)) continue;
    loop.body.add(s.name);
    todo.push(...(a.incoming.get(s.name) ?? []));
  }
}

/** Steps reached from `from` over forward edges (the inverse of `incoming`). */
function forwardFrom(from: StepNode, a: Input): Set<string> {
  const out = new Map<string, StepNode[]>();
  for (const [to, preds] of a.incoming) for (const p of preds) out.set(p.name, [...(out.get(p.name) ?? []), a.byName.get(to)!]);
  const seen = new Set<string>([from.name]);
  const todo = [from];
  while (todo.length) {
    for (const n of out.get(todo.pop()!.name) ?? []) {
      if (seen.has(n.name)) continue;
      seen.add(n.name);
      todo.push(n);
    }
  }
  return seen;
}

/** A step of the body, other than the head, with a forward predecessor outside the body. */
function entryProblem(loop: Loop, a: Input): LoopProblem['entry'] {
  for (const name of loop.body) {
    if (name === loop.head.name) continue;
    const from = (a.incoming.get(name) ?? []).find((p) => !loop.body.has(p.name));
    if (from) return { step: a.byName.get(name)!, from };
  }
  return undefined;
}

/** The loops whose body holds `step`, outermost first. */
export function loopsAround(loops: readonly Loop[], step: string): Loop[] {
  return loops.filter((l) => l.body.has(step));
}
