/** Small helpers for building SVG with attributes only (the CSP forbids inline style). */
export const SVG_NS = 'http://www.w3.org/2000/svg';

export function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

export function text(parent: Element, content: string, attrs: Record<string, string | number>): SVGTextElement {
  const t = el('text', attrs, parent);
  t.textContent = content;
  return t;
}
