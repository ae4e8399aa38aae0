/** The key to the picture: one sample per step kind and per run state, drawn by the same CSS. */
import type { NodeKind } from './model';
import { el } from './svg';

const KINDS: Array<[NodeKind, string, string]> = [
  ['start', 'start / end', 'M 12 0 H 48 A 12 12 0 0 1 48 24 H 12 A 12 12 0 0 1 12 0 Z'],
  ['linear', 'step', 'M 3 0 H 57 A 3 3 0 0 1 60 3 V 21 A 3 3 0 0 1 57 24 H 3 A 3 3 0 0 1 0 21 V 3 A 3 3 0 0 1 3 0 Z'],
  ['split', 'split', 'M 8 0 L 52 0 L 60 12 L 52 24 L 8 24 L 0 12 Z'],
  ['foreach', 'foreach', 'M 8 0 L 52 0 L 60 12 L 52 24 L 8 24 L 0 12 Z'],
  ['switch', 'switch (one case runs)', 'M 6 0 L 54 0 L 60 6 L 60 18 L 54 24 L 6 24 L 0 18 L 0 6 Z'],
  ['join', 'join', 'M 3 0 H 57 A 3 3 0 0 1 60 3 V 21 A 3 3 0 0 1 57 24 H 3 A 3 3 0 0 1 0 21 V 3 A 3 3 0 0 1 3 0 Z'],
];
const STATES = ['succeeded', 'running', 'failed', 'cloned', 'killed', 'not-run'] as const;
const BOX = KINDS[1][2];

export function buildLegend(container: HTMLElement): void {
  const list = document.createElement('ul');
  for (const [kind, label, d] of KINDS) list.appendChild(item(`node kind-${kind}`, d, label, kind === 'join'));
  for (const s of STATES) list.appendChild(item(`node kind-linear has-run state-${s}`, BOX, s.replace('-', ' '), false));
  const note = (text: string) => {
    const li = document.createElement('li');
    li.className = 'note';
    li.textContent = text;
    list.appendChild(li);
  };
  note('Stacked cards: a foreach body, one node for all its tasks (done/total after a run).');
  note("Dashed edge back up: a loop (a switch's case going back to an earlier step); labels on a switch's edges are its cases.");
  note("After a run: a switch's cases taken in green, the others faded; ×N on a loop's steps counts its passes.");
  container.replaceChildren(list);
}

function item(classes: string, d: string, label: string, inner: boolean): HTMLLIElement {
  const li = document.createElement('li');
  const svg = el('svg', { width: 64, height: 28, viewBox: '-2 -2 64 28', 'aria-hidden': 'true' });
  const g = el('g', { class: classes }, svg);
  el('path', { class: 'shape', d }, g);
  if (inner) el('rect', { class: 'inner', x: 3, y: 3, width: 54, height: 18, rx: 2 }, g);
  li.appendChild(svg);
  const span = document.createElement('span');
  span.textContent = label;
  li.appendChild(span);
  return li;
}
