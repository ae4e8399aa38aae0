/**
 * What the picture is made of, before and after layout: boxes for steps, polylines for
 * transitions. Pure data, so layout and rendering can be checked apart from each other.
 */
import { edgeKey, flowStructure } from '../../runtime/src/graph/structure';
import type { FlowGraph, StepKind, StepNode } from '../../runtime/src/graph/types';
import { stepBadges, type Badge } from '../../runtime/src/graph/decoratorSummary';

export type Direction = 'RIGHT' | 'DOWN';

/** `missing` stands for a transition target that names no step (a lint error being typed). */
export type NodeKind = StepKind | 'missing';

export interface NodeSpec {
  id: string;
  step: string;
  kind: NodeKind;
  /** Set on the step that a foreach fans out into: its tasks are drawn as this one node. */
  foreachVar?: string;
  doc?: string;
  /** The step's production decorators (↻3, catch, ⏱5m…), drawn in a row under its name. */
  badges?: SizedBadge[];
  width: number;
  height: number;
}

export interface SizedBadge extends Badge {
  width: number;
}

export interface EdgeSpec {
  id: string;
  from: string;
  to: string;
  /** The foreach variable, on the edge out of a foreach step; a switch's case key(s) on its edges. */
  label?: string;
  /** What the label is: a foreach's list, or the case(s) of a switch. */
  labelKind?: 'foreach' | 'case';
  /** The edge goes back to an earlier step: a loop (drawn as a feedback edge). */
  back?: boolean;
  /** A switch's edge: the keys of the cases it stands for (the run overlay marks the taken one). */
  cases?: string[];
}

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode extends NodeSpec {
  x: number;
  y: number;
}

export interface PlacedEdge extends EdgeSpec {
  points: Point[];
  labelBox?: { x: number; y: number; width: number; height: number };
}

export interface GraphLayout {
  /** Equal keys mean an identical picture: the layout can be reused as is. */
  key: string;
  direction: Direction;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

/** Text width in px for the two fonts the nodes use. */
export type Measure = (text: string, font: 'name' | 'small') => number;

export const NODE_HEIGHT = 44;
export const FOREACH_NODE_HEIGHT = 60;
/** The row of decorator badges a decorated step gets under its name. */
export const BADGE_ROW = 18;
export const BADGE_GAP = 4;
const BADGE_PAD = 5;
/** The stopwatch drawn for ⏱ (a glyph many fonts lack), and the gap after it. */
export const ICON = 11;

/** What a badge's text element holds: the timeout's ⏱ is drawn as an icon instead. */
export function badgeLabel(b: Badge): string {
  return b.kind === 'timeout' ? b.text.replace(/^⏱/, '') : b.text;
}
const PAD_X = 16;
const MIN_WIDTH = 96;
/** Room kept on foreach nodes for a task count, so counts arriving never move the layout. */
export const COUNT_SAMPLE = ' · 10000/10000';

export const KIND_LABEL: Record<NodeKind, string> = {
  start: 'start',
  end: 'end',
  linear: 'step',
  split: 'split',
  foreach: 'foreach',
  switch: 'switch',
  join: 'join',
  missing: 'missing step',
};

export function foreachLine(variable: string): string {
  return `each ${variable}`;
}

/** Turns the flow graph into sized boxes and edges; ids are positional so duplicates can't clash. */
export function buildSpecs(graph: FlowGraph, measure: Measure): { nodes: NodeSpec[]; edges: EdgeSpec[] } {
  const idOf = new Map<string, string>();
  graph.steps.forEach((s, i) => {
    if (!idOf.has(s.name)) idOf.set(s.name, `s${i}`);
  });
  const bodyVar = new Map<string, string>();
  for (const s of graph.steps) {
    // `start` can fan out too: the variable, not the kind, marks a foreach.
    if (s.foreachVar) for (const t of s.successors) bodyVar.set(t, s.foreachVar);
  }
  const nodes: NodeSpec[] = [];
  const seen = new Set<string>();
  graph.steps.forEach((s, i) => {
    if (seen.has(s.name)) return; // a duplicate method name: draw the first, lint names the rest
    seen.add(s.name);
    const badges = stepBadges(s).map((b) => ({
      ...b,
      width: Math.ceil(measure(badgeLabel(b), 'small') + (b.kind === 'timeout' ? ICON : 0) + 2 * BADGE_PAD),
    }));
    nodes.push(
      sizeNode(
        { id: `s${i}`, step: s.name, kind: s.kind, foreachVar: bodyVar.get(s.name), doc: s.doc, ...(badges.length ? { badges } : {}) },
        measure,
      ),
    );
  });
  const edges: EdgeSpec[] = [];
  const missing = new Map<string, string>();
  const back = backEdges(graph);
  for (const s of graph.steps) {
    const from = idOf.get(s.name)!;
    s.successors.forEach((t, j) => {
      let to = idOf.get(t);
      if (!to) {
        to = missing.get(t);
        if (!to) {
          to = `m${missing.size}`;
          missing.set(t, to);
          nodes.push(sizeNode({ id: to, step: t, kind: 'missing' }, measure));
        }
      }
      const cases = s.switch ? caseKeys(s, t) : undefined;
      const label = cases ? cases.join(', ') : s.foreachVar;
      const labelKind = s.switch ? 'case' : s.foreachVar ? 'foreach' : undefined;
      const id = `${from}-${j}-${to}`;
      // A switch with two cases to one step draws one edge labelled with both keys.
      if (edges.some((e) => e.id === id || (s.switch && e.from === from && e.to === to))) return;
      edges.push({
        id,
        from,
        to,
        label,
        ...(labelKind ? { labelKind } : {}),
        ...(back.has(edgeKey(s.name, t)) ? { back: true } : {}),
        ...(cases ? { cases } : {}),
      });
    });
  }
  return { nodes, edges };
}

/** The keys of the switch's cases that go to `target`. */
function caseKeys(s: StepNode, target: string): string[] {
  return s.switch!.cases.filter((c) => c.step === target).map((c) => c.key);
}

/** Transitions that close a cycle (a loop's way back), as `edgeKey`s. */
function backEdges(graph: FlowGraph): Set<string> {
  if (!graph.steps.some((s) => s.name === 'start')) return new Set();
  return new Set(flowStructure(graph).backEdges.map((b) => edgeKey(b.from.name, b.to.name)));
}

function sizeNode(n: Omit<NodeSpec, 'width' | 'height'>, measure: Measure): NodeSpec {
  const texts = [measure(n.step, 'name'), measure(KIND_LABEL[n.kind], 'small')];
  if (n.foreachVar) texts.push(measure(foreachLine(n.foreachVar) + COUNT_SAMPLE, 'small'));
  if (n.badges) texts.push(badgeRowWidth(n.badges));
  const width = Math.ceil(Math.max(MIN_WIDTH, ...texts.map((w) => w + 2 * PAD_X)));
  const height = (n.foreachVar ? FOREACH_NODE_HEIGHT : NODE_HEIGHT) + (n.badges ? BADGE_ROW : 0);
  return { ...n, width, height };
}

export function badgeRowWidth(badges: readonly SizedBadge[]): number {
  return badges.reduce((sum, b) => sum + b.width, 0) + BADGE_GAP * (badges.length - 1);
}

/** Everything that changes the picture's geometry; docs and ranges don't. */
export function layoutKey(direction: Direction, nodes: NodeSpec[], edges: EdgeSpec[]): string {
  return JSON.stringify([
    direction,
    nodes.map((n) => [n.id, n.step, n.kind, n.foreachVar ?? '', n.width, n.height, (n.badges ?? []).map((b) => [b.text, b.title])]),
    edges.map((e) => [e.id, e.label ?? '', e.back ? 1 : 0]),
  ]);
}
