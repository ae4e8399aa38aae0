/** Short, human type names and previews of artifact values, for listings (dump, the explorer). */
import { inspect } from 'node:util';

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `Array(${v.length})`;
  if (v instanceof Map) return `Map(${v.size})`;
  if (v instanceof Set) return `Set(${v.size})`;
  if (ArrayBuffer.isView(v)) {
    const len = (v as unknown as { length?: number }).length ?? v.byteLength;
    return `${v.constructor.name}(${len})`;
  }
  if (v instanceof ArrayBuffer) return `ArrayBuffer(${v.byteLength})`;
  if (v instanceof Date) return 'Date';
  if (v instanceof RegExp) return 'RegExp';
  if (v instanceof Error) return v.name || 'Error';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

export function preview(v: unknown, max = 80): string {
  const s = inspect(v, { depth: 2, maxArrayLength: 10, maxStringLength: max, breakLength: Infinity, compact: true });
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** A stored size for people: `15 B`, `2.0 KB`, `3.4 MB` (what dump and the explorer show). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
