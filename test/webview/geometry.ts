/** Reads the drawn picture back out of the page, in graph coordinates. */
import type { Page } from 'playwright-core';

export interface Box {
  step: string;
  kind: string;
  classes: string[];
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Line {
  from: string;
  to: string;
  points: Array<{ x: number; y: number }>;
}

export function readPicture(page: Page): Promise<{ nodes: Box[]; edges: Line[]; transform: string | null }> {
  return page.evaluate(() => {
    const nodes = [...document.querySelectorAll<SVGGElement>('#viewport .node')].map((g) => {
      const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(g.getAttribute('transform') ?? '');
      const b = g.querySelector<SVGGraphicsElement>('.shape')!.getBBox();
      return {
        step: g.getAttribute('data-step') ?? '',
        kind: g.getAttribute('data-kind') ?? '',
        classes: [...g.classList],
        x: Number(m?.[1] ?? 0) + b.x,
        y: Number(m?.[2] ?? 0) + b.y,
        width: b.width,
        height: b.height,
      };
    });
    const edges = [...document.querySelectorAll<SVGPathElement>('#viewport path.edge')].map((p) => {
      const nums = (p.getAttribute('d') ?? '').match(/-?[\d.]+(?:e-?\d+)?/g)?.map(Number) ?? [];
      const points = [];
      for (let i = 0; i + 1 < nums.length; i += 2) points.push({ x: nums[i], y: nums[i + 1] });
      return { from: p.getAttribute('data-from') ?? '', to: p.getAttribute('data-to') ?? '', points };
    });
    return { nodes, edges, transform: document.getElementById('viewport')!.getAttribute('transform') };
  });
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Distance from a point to a box's outline (0 when on it); edges must start and end on boxes. */
export function distanceToBox(p: { x: number; y: number }, b: Box): number {
  const dx = Math.max(b.x - p.x, 0, p.x - (b.x + b.width));
  const dy = Math.max(b.y - p.y, 0, p.y - (b.y + b.height));
  if (dx || dy) return Math.hypot(dx, dy);
  return Math.min(p.x - b.x, b.x + b.width - p.x, p.y - b.y, b.y + b.height - p.y);
}

/** The label boxes drawn on edges, in graph coordinates. */
export function readLabels(page: Page): Promise<Array<{ from: string; to: string; x: number; y: number; width: number; height: number }>> {
  return page.evaluate(() =>
    [...document.querySelectorAll<SVGGElement>('#viewport .edge-label')].map((g) => {
      const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(g.getAttribute('transform') ?? '');
      const r = g.querySelector('rect')!;
      return {
        from: g.getAttribute('data-from') ?? '',
        to: g.getAttribute('data-to') ?? '',
        x: Number(m?.[1] ?? 0),
        y: Number(m?.[2] ?? 0),
        width: Number(r.getAttribute('width')),
        height: Number(r.getAttribute('height')),
      };
    }),
  );
}

/** Whether an axis-parallel segment runs through the inside of a box (along its outline does not count). */
export function segmentCrossesBox(
  a: { x: number; y: number },
  b: { x: number; y: number },
  box: { x: number; y: number; width: number; height: number },
): boolean {
  const inside = (v: number, lo: number, len: number) => v > lo && v < lo + len;
  const spans = (p: number, q: number, lo: number, len: number) => Math.min(p, q) < lo + len && Math.max(p, q) > lo;
  if (a.x === b.x) return inside(a.x, box.x, box.width) && spans(a.y, b.y, box.y, box.height);
  if (a.y === b.y) return inside(a.y, box.y, box.height) && spans(a.x, b.x, box.x, box.width);
  throw new Error(`not an orthogonal segment: ${JSON.stringify([a, b])}`);
}
