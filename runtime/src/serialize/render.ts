/**
 * A readable text rendering of a value, one for every reader: the explorer's read-only artifact
 * editor and the notebook kernel's cell results. Structured
 * values keep their kind visible (`Map(2) {…}`, `Set`, `Float64Array(3) [...]`, `Date(…)`,
 * `123n`, `undefined`, `NaN`), cycles and shared references are marked, and the output stops at
 * a character budget — so rendering never builds a huge string from a huge value.
 */

export interface RenderOptions {
  /** Stop after this many characters (a note says so). */
  maxChars?: number;
  /** Items shown per array, typed array, Map or Set. */
  maxItems?: number;
  /** Characters shown of one string. */
  maxString?: number;
}

export interface Rendered {
  text: string;
  truncated: boolean;
}

class Budget extends Error {}

export function renderValue(value: unknown, o: RenderOptions = {}): Rendered {
  const maxChars = o.maxChars ?? 200_000;
  const maxItems = o.maxItems ?? 1000;
  const maxString = o.maxString ?? 10_000;
  const parts: string[] = [];
  let length = 0;
  let truncated = false;
  const emit = (s: string) => {
    if (length + s.length > maxChars) {
      parts.push(s.slice(0, Math.max(0, maxChars - length)));
      length = maxChars;
      throw new Budget();
    }
    parts.push(s);
    length += s.length;
  };

  // Objects seen on the current path (cycles) and anywhere before (shared references).
  const refs = new Map<object, number>();
  const onPath = new Set<object>();
  let nextRef = 1;

  const str = (s: string) => {
    const shown = s.length > maxString ? s.slice(0, maxString) : s;
    return JSON.stringify(shown) + (shown.length < s.length ? ` … (${s.length - shown.length} more characters)` : '');
  };

  const items = (
    open: string,
    close: string,
    list: Iterable<unknown>,
    count: number,
    indent: string,
    each: (v: unknown, inner: string) => void,
  ) => {
    if (count === 0) return emit(`${open}${close}`);
    emit(`${open}\n`);
    const inner = indent + '  ';
    let i = 0;
    for (const v of list) {
      if (i >= maxItems) break;
      emit(inner);
      each(v, inner);
      emit(',\n');
      i++;
    }
    if (count > maxItems) emit(`${inner}… ${count - maxItems} more\n`);
    emit(`${indent}${close}`);
  };

  const walk = (v: unknown, indent: string): void => {
    switch (typeof v) {
      case 'string':
        return emit(str(v));
      case 'number':
        return emit(Object.is(v, -0) ? '-0' : String(v));
      case 'bigint':
        return emit(`${v}n`);
      case 'boolean':
        return emit(String(v));
      case 'undefined':
        return emit('undefined');
      case 'symbol':
        return emit(String(v));
      case 'function':
        return emit('[Function]');
    }
    if (v === null) return emit('null');
    const obj = v as object;
    if (onPath.has(obj)) return emit(`[Circular *${refs.get(obj)}]`);
    if (refs.has(obj)) return emit(`[Shared *${refs.get(obj)}]`);
    const id = nextRef++;
    refs.set(obj, id);
    onPath.add(obj);
    try {
      if (obj instanceof Date) return emit(`Date(${Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString()})`);
      if (obj instanceof RegExp) return emit(`RegExp(${String(obj)})`);
      if (obj instanceof Error) {
        emit(`${obj.name}: ${obj.message}`);
        if (obj.stack)
          emit(
            '\n' +
              obj.stack
                .split('\n')
                .slice(1)
                .map((l) => indent + l.trim())
                .join('\n'),
          );
        return;
      }
      if (ArrayBuffer.isView(obj)) {
        const name = obj.constructor.name;
        if (obj instanceof DataView) return emit(`DataView(${obj.byteLength} bytes)`);
        const arr = obj as unknown as ArrayLike<number | bigint>;
        const n = arr.length;
        const shown = Math.min(n, maxItems);
        const vals: string[] = [];
        for (let i = 0; i < shown; i++) vals.push(typeof arr[i] === 'bigint' ? `${arr[i]}n` : String(arr[i]));
        emit(`${name}(${n}) [${vals.join(', ')}${n > shown ? `, … ${n - shown} more` : ''}]`);
        return;
      }
      if (obj instanceof ArrayBuffer) {
        const bytes = new Uint8Array(obj, 0, Math.min(obj.byteLength, maxItems));
        emit(
          `ArrayBuffer(${obj.byteLength} bytes) <${Buffer.from(bytes).toString('hex').replace(/(..)/g, '$1 ').trim()}${obj.byteLength > bytes.length ? ' …' : ''}>`,
        );
        return;
      }
      if (obj instanceof Map) {
        emit(`Map(${obj.size}) `);
        return items('{', '}', obj.entries(), obj.size, indent, (e, inner) => {
          const [k, val] = e as [unknown, unknown];
          walk(k, inner);
          emit(' => ');
          walk(val, inner);
        });
      }
      if (obj instanceof Set) {
        emit(`Set(${obj.size}) `);
        return items('{', '}', obj.values(), obj.size, indent, (val, inner) => walk(val, inner));
      }
      if (Array.isArray(obj)) {
        if (obj.length > 6) emit(`Array(${obj.length}) `);
        return items('[', ']', arrayItems(obj), obj.length, indent, (val, inner) => walk(val, inner));
      }
      const keys = Object.keys(obj);
      return items('{', '}', keys, keys.length, indent, (k, inner) => {
        const key = k as string;
        emit(/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key));
        emit(': ');
        walk((obj as Record<string, unknown>)[key], inner);
      });
    } finally {
      onPath.delete(obj);
    }
  };

  try {
    walk(value, '');
  } catch (err) {
    if (!(err instanceof Budget)) throw err;
    truncated = true;
  }
  return { text: parts.join(''), truncated };
}

/** Array items by index (a hole reads as undefined). */
function* arrayItems(a: unknown[]): Iterable<unknown> {
  for (let i = 0; i < a.length; i++) yield a[i];
}
