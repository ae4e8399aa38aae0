/**
 * Exports the graph as a standalone picture: the theme's colours are resolved into attributes,
 * because the exported file has neither the stylesheet nor VS Code's CSS variables.
 */
import { el } from './svg';

const PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
] as const;

export function exportSvg(svg: SVGSVGElement, width: number, height: number, background: string): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [clone, ...clone.querySelectorAll('*')];
  src.forEach((s, i) => {
    const d = dst[i];
    if (!(s instanceof SVGElement) || !(d instanceof SVGElement)) return;
    const cs = getComputedStyle(s);
    for (const p of PROPS) {
      const v = cs.getPropertyValue(p);
      if (v) d.setAttribute(p, v);
    }
    d.removeAttribute('class');
    d.removeAttribute('tabindex');
    d.removeAttribute('data-vscode-context');
  });
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(h));
  clone.setAttribute('viewBox', `0 0 ${w} ${h}`);
  clone.removeAttribute('id');
  clone.querySelector('#viewport')?.removeAttribute('transform');
  const bg = el('rect', { width: w, height: h, fill: background });
  clone.insertBefore(bg, clone.querySelector('#viewport'));
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
}

/** Renders the SVG text into a canvas at twice the size; returns a data: URL. */
export async function svgToPng(svgText: string, width: number, height: number): Promise<string> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('No 2D canvas context for the PNG export.');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return canvas.toDataURL('image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}
