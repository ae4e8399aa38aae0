/**
 * Lazy artifacts on the flow object. Inherited artifacts are accessors that read their blob
 * only when the step touches them; an untouched one is passed on by hash, never re-read or
 * re-serialised. Artifacts a join dropped are accessors that throw, naming the join.
 */
import type { Datastore } from '../datastore/datastore';
import type { ArtifactRecord } from '../datastore/types';
import { deserializeArtifact } from '../serialize/codec';

export interface Inherited {
  hash: string;
  record: ArtifactRecord;
}

/** Per artifact name: the hash it was inherited with and whether the step has read it. */
export interface Tracked {
  inherited: Inherited;
  touched: boolean;
}

export class ArtifactLoader {
  private cache = new Map<string, unknown>();
  constructor(
    private store: Datastore,
    private flow: string,
  ) {}

  /** Each read gets its own copy, so mutating one view never changes another. */
  load(hash: string, name: string): unknown {
    const bytes = this.store.getBlobSync(this.flow, hash);
    return deserializeArtifact(bytes, `artifact ${name} (${hash.slice(0, 12)}…)`);
  }

  /** Shared, read-mostly values (a foreach list) are decoded once. */
  loadShared(hash: string, name: string): unknown {
    if (!this.cache.has(hash)) this.cache.set(hash, this.load(hash, name));
    return this.cache.get(hash);
  }
}

/** Defines `name` on `target` as a lazy, enumerable artifact. */
export function defineLazy(
  target: object,
  name: string,
  inherited: Inherited,
  loader: ArtifactLoader,
  tracked: Map<string, Tracked> | undefined,
): void {
  const entry: Tracked = { inherited, touched: false };
  tracked?.set(name, entry);
  Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get() {
      const value = loader.load(inherited.hash, name);
      entry.touched = true;
      Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
      return value;
    },
    set(value: unknown) {
      entry.touched = true;
      Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}

/** Defines `name` as unavailable: reading throws `message`; assigning makes it an ordinary artifact. */
export function defineUnavailable(target: object, name: string, message: () => string): void {
  Object.defineProperty(target, name, {
    enumerable: false,
    configurable: true,
    get() {
      throw new Error(message());
    },
    set(value: unknown) {
      Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}

/** True while `name` on `target` is still the untouched lazy accessor. */
export function isUntouchedLazy(target: object, name: string, tracked: Map<string, Tracked>): boolean {
  const d = Object.getOwnPropertyDescriptor(target, name);
  return !!d && typeof d.get === 'function' && tracked.get(name)?.touched === false;
}
