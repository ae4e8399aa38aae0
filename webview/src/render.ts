/**
 * Draws a laid-out graph into the viewport group. Each kind of step has its own outline and
 * colour class; run state and highlight are classes too, applied later without redrawing.
 */
import type { GraphLayout, PlacedEdge, PlacedNode } from './model';
import { KIND_LABEL, foreachLine } from './model';
import { el, text } from './svg';

export interface RenderedGraph {
  nodeByStep: Map<string, SVGGElement>;
  /** A switch's edges with the case keys each stands for: its path and label, marked by the run overlay. */
  caseEdges: Array<{ from: string; keys: string[]; parts: SVGElement[] }>;
}

export function renderGraph(root: SVGGElement, layout: GraphLayout): RenderedGraph {
  const edges = el('g', { class: 'edges' });
  const labels = el('g', { class: 'edge-labels' });
  const nodes = el('g', { class: 'nodes' });
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  const caseEdges: RenderedGraph['caseEdges'] = [];
  for (const e of layout.edges) {
    const from = byId.get(e.from)?.step ?? '';
    const parts = drawEdge(edges, labels, e, from, byId.get(e.to)?.step ?? '');
    if (e.cases && parts.length) caseEdges.push({ from, keys: e.cases, parts });
  }
  const nodeByStep = new Map<string, SVGGElement>();
  for (const n of layout.nodes) {
    const g = drawNode(nodes, n);
    if (n.kind !== 'missing') nodeByStep.set(n.step, g);
  }
  root.replaceChildren(edges, nodes, labels);
  return { nodeByStep, caseEdges };
}

/** Draws the edge's path and label; returns them (none when the edge has no route). */
function drawEdge(parent: SVGGElement, labels: SVGGElement, e: PlacedEdge, from: string, to: string): SVGElement[] {
  if (e.points.length < 2) return [];
  const d = e.points.map((p, i) => `${i ? 'L' : 'M'} ${p.x} ${p.y}`).join(' ');
  const classes = ['edge'];
  if (e.labelKind === 'foreach') classes.push('edge-foreach');
  if (e.labelKind === 'case') classes.push('edge-case');
  if (e.back) classes.push('edge-back');
  const path = el('path', { class: classes.join(' '), d, 'marker-end': 'url(#arrow)', 'data-from': from, 'data-to': to }, parent);
  if (!e.label || !e.labelBox) return [path];
  const b = e.labelBox;
  const g = el(
    'g',
    {
      class: `edge-label${e.labelKind === 'case' ? ' case-label' : ''}`,
      'data-from': from,
      'data-to': to,
      transform: `translate(${b.x},${b.y})`,
    },
    labels,
  );
  el('rect', { width: b.width, height: b.height, rx: 3 }, g);
  text(g, e.label, { x: b.width / 2, y: b.height / 2, 'dominant-baseline': 'central', 'text-anchor': 'middle' });
  return [path, g];
}

function drawNode(parent: SVGGElement, n: PlacedNode): SVGGElement {
  const classes = ['node', `kind-${n.kind}`];
  if (n.foreachVar) classes.push('foreach-body');
  const g = el('g', { class: classes.join(' '), transform: `translate(${n.x},${n.y})`, 'data-step': n.step, 'data-kind': n.kind }, parent);
  if (n.kind !== 'missing') {
    // VS Code's webview/context menu (Open Task in Notebook) receives this object for the node.
    g.setAttribute('data-vscode-context', JSON.stringify({ webviewSection: 'step', step: n.step, preventDefaultContextMenuItems: true }));
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('aria-label', `${KIND_LABEL[n.kind]} ${n.step}`);
  }
  const tip = [`${n.step} (${KIND_LABEL[n.kind]})`];
  if (n.foreachVar) tip.push(`One task per item of ${n.foreachVar}`);
  if (n.doc) tip.push('', n.doc);
  if (n.kind === 'missing') tip.push('No step has this name.');
  el('title', {}, g).textContent = tip.join('\n');

  const { width: w, height: h } = n;
  if (n.foreachVar) {
    // Stacked cards: many tasks, one node.
    el('rect', { class: 'stack', x: 8, y: -8, width: w, height: h, rx: 5 }, g);
    el('rect', { class: 'stack', x: 4, y: -4, width: w, height: h, rx: 5 }, g);
  }
  el('path', { class: 'shape', d: outline(n) }, g);
  if (n.kind === 'join') el('rect', { class: 'inner', x: 3, y: 3, width: w - 6, height: h - 6, rx: 3 }, g);
  text(g, KIND_LABEL[n.kind], { class: 'kind-label', x: w / 2, y: 14, 'text-anchor': 'middle' });
  text(g, n.step, { class: 'step-name', x: w / 2, y: 32, 'text-anchor': 'middle' });
  if (n.foreachVar) {
    const line = text(g, foreachLine(n.foreachVar), { class: 'foreach-line', x: w / 2, y: 50, 'text-anchor': 'middle' });
    line.dataset.base = foreachLine(n.foreachVar);
  }
  return g;
}

/** Outline per kind: pill for start/end, hexagon for splits, a cut-corner decision box for a switch, rounded box otherwise. */
function outline(n: PlacedNode): string {
  const { width: w, height: h } = n;
  switch (n.kind) {
    case 'start':
    case 'end':
      return roundRect(w, h, h / 2);
    case 'split':
    case 'foreach': {
      const c = 12;
      return `M ${c} 0 L ${w - c} 0 L ${w} ${h / 2} L ${w - c} ${h} L ${c} ${h} L 0 ${h / 2} Z`;
    }
    case 'switch': {
      const c = 10;
      return `M ${c} 0 L ${w - c} 0 L ${w} ${c} L ${w} ${h - c} L ${w - c} ${h} L ${c} ${h} L 0 ${h - c} L 0 ${c} Z`;
    }
    default:
      return roundRect(w, h, 5);
  }
}

function roundRect(w: number, h: number, r: number): string {
  return `M ${r} 0 H ${w - r} A ${r} ${r} 0 0 1 ${w} ${r} V ${h - r} A ${r} ${r} 0 0 1 ${w - r} ${h} H ${r} A ${r} ${r} 0 0 1 0 ${h - r} V ${r} A ${r} ${r} 0 0 1 ${r} 0 Z`;
}
