/**
 * What the tasks of one thread share: Node's builtin modules and classes (fs, Buffer, URL…) and
 * the prototypes of the thread's own realm, which Node's builtins hand out (the arrays, errors
 * and promises they return). A task can reach and change them (a package that patches `fs`, a
 * polyfill on `Buffer.prototype`); a task process would take such a change with it when it
 * exits. So the thread notes how each looked before any task touched it, and after each task
 * checks that it still does: a thread whose shared state a task changed is not given another
 * task (task/contextThread.ts), and the next task starts in a new thread.
 */

type Shape = Map<PropertyKey, unknown>;

export class SharedState {
  private readonly watched = new Map<object, { name: string; shape: Shape }>();

  /** Watches `value` (and a class's prototype) from now on, as it is now. */
  watch(value: unknown, name: string): void {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || this.watched.has(value)) return;
    this.watched.set(value, { name, shape: shapeOf(value) });
    if (typeof value === 'function') this.watch((value as { prototype?: unknown }).prototype, `${name}.prototype`);
  }

  /** What was changed since it was watched (`Buffer.prototype.x`, say), or undefined. */
  changed(): string | undefined {
    for (const [value, { name, shape }] of this.watched) {
      const key = differs(shape, shapeOf(value));
      if (key !== undefined) return `${name}.${String(key)}`;
    }
    return undefined;
  }
}

function shapeOf(value: object): Shape {
  const shape: Shape = new Map();
  for (const key of Reflect.ownKeys(value)) {
    const d = Reflect.getOwnPropertyDescriptor(value, key)!;
    shape.set(key, 'value' in d ? d.value : [d.get, d.set]);
  }
  return shape;
}

function differs(before: Shape, now: Shape): PropertyKey | undefined {
  for (const [key, v] of now) {
    if (!before.has(key)) return key;
    const was = before.get(key);
    const same = Array.isArray(v) && Array.isArray(was) ? v[0] === was[0] && v[1] === was[1] : Object.is(v, was);
    if (!same) return key;
  }
  for (const key of before.keys()) if (!now.has(key)) return key;
  return undefined;
}
