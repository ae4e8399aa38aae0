/**
 * v8 structured clone keeps data, not behaviour: it silently turns a class instance into a
 * plain object and throws an unhelpful error on functions. This walk finds such values first
 * and names their path (`this.model.cache`), so a task fails loudly instead of losing data.
 */

const TYPED_ARRAY_PROTO = Object.getPrototypeOf(Uint8Array.prototype) as object;

const STORABLE_PROTOTYPES = new Set<object | null>([
  null,
  Object.prototype,
  Array.prototype,
  Map.prototype,
  Set.prototype,
  Date.prototype,
  RegExp.prototype,
  ArrayBuffer.prototype,
  DataView.prototype,
  Error.prototype,
  EvalError.prototype,
  RangeError.prototype,
  ReferenceError.prototype,
  SyntaxError.prototype,
  TypeError.prototype,
  URIError.prototype,
  Number.prototype,
  String.prototype,
  Boolean.prototype,
  BigInt.prototype,
]);

const STORABLE_NAMES = new Set([...STORABLE_PROTOTYPES].map((p) => (p as { constructor?: { name: string } } | null)?.constructor?.name));
const builtinOfOtherRealm = new WeakMap<object, boolean>();

/**
 * One of the prototypes above, of another realm: in a task thread's context (task/contextThread.ts)
 * Node's builtins return their own realm's arrays and objects (fs.readdirSync, say), which a task
 * process stores as they are.
 */
function otherRealmBuiltin(proto: object | null): boolean {
  if (proto === null) return false;
  let known = builtinOfOtherRealm.get(proto);
  if (known === undefined) {
    const C = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
    known =
      typeof C === 'function' &&
      (C as { prototype?: unknown }).prototype === proto &&
      STORABLE_NAMES.has(C.name) &&
      /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(C));
    builtinOfOtherRealm.set(proto, known);
  }
  return known;
}

export class UnstorableValueError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot store ${path}: ${reason}`);
    this.name = 'UnstorableValueError';
  }
}

function describeProblem(value: object): string | undefined {
  if (typeof value === 'function') return 'it is a function (artifacts hold data; keep functions in module code)';
  if (value instanceof Promise) return 'it is a Promise (did you forget `await`?)';
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef) {
    return `it is a ${value.constructor.name}, which cannot be copied`;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (STORABLE_PROTOTYPES.has(proto) || otherRealmBuiltin(proto)) return undefined;
  if (ArrayBuffer.isView(value) && Object.getPrototypeOf(proto) === TYPED_ARRAY_PROTO) return undefined;
  // Node's serialiser writes a Buffer as one and reads it back as one.
  if (Buffer.isBuffer(value)) return undefined;
  if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) return undefined;
  if (value instanceof Error) return undefined; // subclasses keep name, message and stack
  const name = (proto as { constructor?: { name?: string } } | null)?.constructor?.name || 'an unnamed class';
  return `it is an instance of ${name}, whose prototype (methods, getters) would be lost. Store plain data (e.g. { ...value }) and rebuild the object where it is used`;
}

/** Throws UnstorableValueError naming the first value under `root` that cannot be stored. */
export function assertStorable(value: unknown, rootPath: string): void {
  const seen = new Set<object>();
  const stack: Array<[unknown, string]> = [[value, rootPath]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'symbol') throw new UnstorableValueError(path, 'it is a Symbol');
    if (typeof v === 'function') throw new UnstorableValueError(path, describeProblem(v as object)!);
    if (v === null || typeof v !== 'object') continue;
    if (seen.has(v)) continue;
    seen.add(v);
    const problem = describeProblem(v);
    if (problem) throw new UnstorableValueError(path, problem);
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) continue;
    if (v instanceof Map) {
      let i = 0;
      for (const [k, item] of v) {
        stack.push([k, `${path}.<key ${i}>`]);
        stack.push([item, `${path}.get(${keyLabel(k)})`]);
        i++;
      }
      continue;
    }
    if (v instanceof Set) {
      let i = 0;
      for (const item of v) stack.push([item, `${path}.<item ${i++}>`]);
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push([v[i], `${path}[${i}]`]);
      continue;
    }
    for (const key of Object.keys(v)) {
      stack.push([
        (v as Record<string, unknown>)[key],
        /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`,
      ]);
    }
  }
}

function keyLabel(k: unknown): string {
  return typeof k === 'string' ? JSON.stringify(k) : typeof k === 'object' && k !== null ? '{…}' : String(k);
}
