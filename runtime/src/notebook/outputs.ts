/**
 * Values as notebook outputs. A cell's value is rendered by the same renderer as the
 * explorer's artifact editor (serialize/render.ts); an array of plain objects is also a table;
 * `display(value, mime)` sends HTML, SVG, PNG, JSON, Markdown or a Vega-Lite spec as such.
 *
 * VS Code renders text/html, image/svg+xml, image/png, image/jpeg, text/markdown and text/plain
 * with its built-in renderers; application/vnd.vegalite.v5+json needs a renderer extension
 * (the Jupyter renderers), so a Vega-Lite output carries the spec as JSON too, which VS Code
 * shows when no chart renderer is installed.
 */
import { renderValue } from '../serialize/render';
import { MIME_ALIASES, type OutputItem } from './protocol';

const TABLE_ROWS = 500;
const TABLE_COLUMNS = 50;
const VEGA_LITE = 'application/vnd.vegalite.v5+json';

export class DisplayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DisplayError';
  }
}

/** The items for a cell's last value; none for `undefined` (a cell ending in a statement). */
export function resultItems(value: unknown): OutputItem[] {
  if (value === undefined) return [];
  return valueItems(value);
}

function valueItems(value: unknown): OutputItem[] {
  const text = renderText(value);
  if (isTable(value)) return [{ mime: 'text/html', data: tableHtml(value) }, text];
  return [text];
}

function renderText(value: unknown): OutputItem {
  const r = renderValue(value, { maxChars: 100_000 });
  return { mime: 'text/plain', data: r.truncated ? `${r.text}\n… (cut at 100,000 characters)` : r.text };
}

/** `display(value)` renders like a cell's value; `display(value, mime)` sends it as that type. */
export function displayItems(value: unknown, mime?: string): OutputItem[] {
  if (mime === undefined) return typeof value === 'string' ? [{ mime: 'text/plain', data: value }] : valueItems(value);
  const type = MIME_ALIASES[mime] ?? mime;
  if (type === 'image/png' || type === 'image/jpeg' || type === 'image/gif')
    return [{ mime: type, data: bytesBase64(value, type), base64: true }];
  if (type === 'application/json' || type.endsWith('+json')) {
    const json = typeof value === 'string' ? parseJson(value, type) : value;
    const items: OutputItem[] = [{ mime: type, data: JSON.stringify(json) }];
    if (type === VEGA_LITE) items.push({ mime: 'application/json', data: JSON.stringify(json, null, 2) });
    return items;
  }
  if (typeof value !== 'string') {
    throw new DisplayError(`display(value, '${mime}'): a ${type} output needs its text as a string; got ${describe(value)}.`);
  }
  return [{ mime: type, data: value }];
}

function bytesBase64(value: unknown, type: string): string {
  if (typeof value === 'string') {
    // Already base64 (or a data: URL).
    const b64 = value.replace(/^data:[^,]*;base64,/, '');
    if (!/^[A-Za-z0-9+/=\s]*$/.test(b64)) throw new DisplayError(`display(value, '${type}'): the string is not base64.`);
    return b64.replace(/\s/g, '');
  }
  if (value instanceof ArrayBuffer) return Buffer.from(value).toString('base64');
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  throw new DisplayError(
    `display(value, '${type}'): pass the image's bytes (a Buffer or Uint8Array) or base64 text; got ${describe(value)}.`,
  );
}

function parseJson(text: string, type: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DisplayError(`display(value, '${type}'): the string is not JSON (${(e as Error).message}).`);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? `a ${(v as object).constructor?.name ?? 'object'}` : `a ${typeof v}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isTable(v: unknown): v is Array<Record<string, unknown>> {
  return Array.isArray(v) && v.length > 0 && v.every(isPlainObject);
}

function tableHtml(rows: Array<Record<string, unknown>>): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of rows.slice(0, TABLE_ROWS)) {
    for (const k of Object.keys(r)) {
      if (!seen.has(k) && columns.length < TABLE_COLUMNS) {
        seen.add(k);
        columns.push(k);
      }
    }
  }
  const cell = (v: unknown) => {
    if (v === undefined) return '';
    const text = typeof v === 'string' ? v : renderValue(v, { maxChars: 200, maxItems: 20 }).text;
    return escapeHtml(text.length > 200 ? `${text.slice(0, 199)}…` : text);
  };
  const head = `<tr><th></th>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows
    .slice(0, TABLE_ROWS)
    .map((r, i) => `<tr><th>${i}</th>${columns.map((c) => `<td>${cell(r[c])}</td>`).join('')}</tr>`)
    .join('\n');
  const more = rows.length > TABLE_ROWS ? `<p>… ${rows.length - TABLE_ROWS} more rows</p>` : '';
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>${more}`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
