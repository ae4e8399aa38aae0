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
