/**
 * Values into this code's own realm. Node's `v8.deserialize` builds its objects in the realm of
 * Node's builtins; for a task that runs in a `vm` context of a task thread
 * (task/contextThread.ts), that is not the realm of the step's code, so a loaded Map would not
 * be `instanceof Map` there, nor an object's prototype `Object.prototype`. A task process never
 * sees the difference: its code and its builtins share one realm. So a value decoded in a
 * context is rebuilt from this module's own constructors, keeping shared references and cycles,
 * before any code of the flow sees it. Elsewhere it is returned as it is, at no cost.
 */
import { types } from 'node:util';
import { deserialize, serialize } from 'node:v8';

let foreign: boolean | undefined;

/** Whether Node's deserialiser makes objects of another realm than this module's (decided once). */
function decodesForeign(): boolean {
  foreign ??= Object.getPrototypeOf(deserialize(serialize({}))) !== Object.prototype;
  return foreign;
}

export function ownRealm<T>(value: T): T {
  if (typeof value !== 'object' || value === null || !decodesForeign()) return value;
  return adopt(value, new Map()) as T;
}

type TypedArrayCtor = new (source: ArrayLike<number> & ArrayLike<bigint>) => ArrayBufferView;

const ERRORS: Record<string, ErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

function adopt(v: unknown, seen: Map<object, unknown>): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const done = seen.get(v);
  if (done !== undefined) return done;
  // A Buffer is kept: Buffer is Node's class in every realm of the thread (a task's global
  // `Buffer` is the same one), as a decoded Buffer is in a task process.
  if (Buffer.isBuffer(v)) return v;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    seen.set(v, out);
    for (const k of Object.keys(v))
      (out as unknown as Record<string, unknown>)[k] = adopt((v as unknown as Record<string, unknown>)[k], seen);
    return out;
  }
  if (types.isMap(v)) {
    const out = new Map();
    seen.set(v, out);
    for (const [k, x] of v as Map<unknown, unknown>) out.set(adopt(k, seen), adopt(x, seen));
    return out;
  }
  if (types.isSet(v)) {
    const out = new Set();
    seen.set(v, out);
    for (const x of v as Set<unknown>) out.add(adopt(x, seen));
    return out;
  }
  if (types.isDate(v)) return remember(v, new Date(Date.prototype.getTime.call(v)), seen);
  if (types.isRegExp(v)) {
    const r = v as RegExp;
    const out = new RegExp(r.source, r.flags);
    out.lastIndex = r.lastIndex;
    return remember(v, out, seen);
  }
  if (types.isArrayBuffer(v)) {
    const out = new ArrayBuffer((v as ArrayBuffer).byteLength);
    new Uint8Array(out).set(new Uint8Array(v as ArrayBuffer));
    return remember(v, out, seen);
  }
  if (types.isDataView(v)) {
    const d = v as DataView;
    const buffer = adopt(d.buffer, seen) as ArrayBuffer;
    return remember(v, new DataView(buffer, d.byteOffset, d.byteLength), seen);
  }
  if (types.isTypedArray(v)) {
    const name = Object.prototype.toString.call(v).slice(8, -1);
    const Ctor = (globalThis as unknown as Record<string, TypedArrayCtor>)[name];
    return remember(v, Ctor ? new Ctor(v as unknown as ArrayLike<number> & ArrayLike<bigint>) : v, seen);
  }
  if (types.isBoxedPrimitive(v)) return remember(v, Object((v as { valueOf(): unknown }).valueOf()), seen);
  if (types.isNativeError(v)) return adoptError(v as Error, seen);
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto !== null && Object.getPrototypeOf(proto) !== null) return v; // not a plain object: not a decoded value
  const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
  seen.set(v, out);
  for (const k of Object.keys(v)) out[k] = adopt((v as Record<string, unknown>)[k], seen);
  return out;
}

function adoptError(e: Error, seen: Map<object, unknown>): Error {
  const Ctor = ERRORS[e.name] ?? Error;
  const out = new Ctor(e.message);
  seen.set(e, out);
  for (const k of ['name', 'stack'] as const) {
    const d = Object.getOwnPropertyDescriptor(e, k);
    if (d && 'value' in d) Object.defineProperty(out, k, { ...d, value: d.value });
    else if (!d && k === 'stack') delete (out as { stack?: string }).stack;
  }
  if ('cause' in e) Object.defineProperty(out, 'cause', { value: adopt(e.cause, seen), writable: true, configurable: true });
  for (const k of Object.keys(e))
    (out as unknown as Record<string, unknown>)[k] = adopt((e as unknown as Record<string, unknown>)[k], seen);
  return out;
}

function remember<T>(from: object, to: T, seen: Map<object, unknown>): T {
  seen.set(from, to);
  return to;
}
