/**
 * Draws a laid-out graph into the viewport group. Each kind of step has its own outline and
 * colour class; run state and highlight are classes too, applied later without redrawing.
 */
import type { GraphLayout, PlacedEdge, PlacedNode } from './model';
import { BADGE_GAP, BADGE_ROW, ICON, KIND_LABEL, badgeLabel, badgeRowWidth, foreachLine } from './model';
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
  if (n.badges) tip.push('', ...n.badges.map((b) => b.title));
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
  if (n.badges) drawBadges(g, n);
  return g;
}

/** The decorator badges, centred in the row under the name (the foreach line). */
function drawBadges(g: SVGGElement, n: PlacedNode): void {
  const badges = n.badges!;
  const row = el('g', { class: 'badges', transform: `translate(${(n.width - badgeRowWidth(badges)) / 2},${n.height - BADGE_ROW - 2})` }, g);
  let x = 0;
  for (const b of badges) {
    const h = BADGE_ROW - 4;
    const badge = el(
      'g',
      { class: `badge badge-${b.kind}`, 'data-badge': b.kind, 'aria-label': b.text, transform: `translate(${x},0)` },
      row,
    );
    el('title', {}, badge).textContent = b.title;
    el('rect', { width: b.width, height: h, rx: 7 }, badge);
    const icon = b.kind === 'timeout' ? ICON : 0;
    if (icon) stopwatch(badge, 5 + 4.5, h / 2 + 0.5);
    text(badge, badgeLabel(b), { x: (b.width + icon) / 2, y: h / 2, 'dominant-baseline': 'central', 'text-anchor': 'middle' });
    x += b.width + BADGE_GAP;
  }
}

/** ⏱ as lines: a dial, its crown and one hand. */
function stopwatch(parent: SVGGElement, cx: number, cy: number): void {
  const g = el('g', { class: 'badge-icon', transform: `translate(${cx},${cy})` }, parent);
  el('circle', { r: 3.6 }, g);
  el('path', { d: 'M 0 -3.6 V -5.2 M -1.2 -5.2 H 1.2 M 0 0 L 1.6 -1.6' }, g);
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
