/**
 * `compareWithTask(self)`: what a task notebook's `self` holds now, next to what the task
 * stored, one row per artifact (a table in the notebook). Values are compared the way the task
 * decides what changed: by the hash of their serialised bytes; an artifact the cells never
 * touched is the inherited one, compared by hash without being read.
 *
 * Equal hashes mean the same value, but different hashes do not always mean a different one:
 * V8 writes an array it has read back (holey, "sparse" tag) with other bytes than the literal
 * it was written from, so the task re-storing an artifact it only read (a foreach list) gives it
 * a new hash. When the hashes differ, both values are put through one V8 round trip (after
 * which their bytes are stable) and compared again.
 */
import { deserializeArtifact, hashBytes, serializeArtifact } from '../../serialize/codec';
import { preview } from '../../serialize/describe';
import { isUntouchedLazy } from '../../task/artifacts';
import type { ArtifactInfo } from '../../client';
import type { Remembered } from './taskContext';

export interface ComparisonRow {
  artifact: string;
  same: string;
  stored: string;
  notebook: string;
}

/** What `self.<name>` is now: its bytes (or, untouched, the inherited hash), or why it cannot be serialised. */
type Current = { hash: string; preview: string; bytes?: Buffer } | { error: string };

export async function compareWithTask(self: object, known: Remembered | undefined): Promise<ComparisonRow[]> {
  if (!known) throw new Error('compareWithTask(self): pass the `self` that taskContext(…) returned.');
  const { task, tracked } = known;
  if (!task.successful) throw new Error(`task ${task.pathspec} ${task.status}: it stored no artifacts to compare with.`);
  const stored = new Map(task.artifacts().map((a) => [a.name, a]));
  const own = Object.keys(self).filter((n) => !n.startsWith('_') && typeof Object.getOwnPropertyDescriptor(self, n)?.value !== 'function');
  const names = [...new Set([...stored.keys(), ...own])].sort();
  const rows: ComparisonRow[] = [];
  for (const name of names) {
    const s = stored.get(name);
    const here = own.includes(name) ? current(self, name, tracked) : undefined;
    const same = !here
      ? 'only stored'
      : !s
        ? 'only in the notebook'
        : 'error' in here
          ? 'cannot tell'
          : (await sameValue(here, s, known))
            ? 'yes'
            : 'no';
    rows.push({ artifact: name, same, stored: s?.preview ?? '', notebook: here ? ('error' in here ? here.error : here.preview) : '' });
  }
  return rows;
}

async function sameValue(here: Exclude<Current, { error: string }>, s: ArtifactInfo, known: Remembered): Promise<boolean> {
  if (here.hash === s.hash) return true;
  const { store, task } = known;
  const storedBytes = await store.getBlob(task.flowName, s.hash);
  const mine = here.bytes ?? (await store.getBlob(task.flowName, here.hash));
  return canonicalHash(mine, s.name) === canonicalHash(storedBytes, s.name);
}

/** The hash of a value's bytes after one V8 round trip: equal values, equal hashes. */
function canonicalHash(bytes: Buffer, name: string): string {
  return hashBytes(serializeArtifact(deserializeArtifact(bytes, `artifact ${name}`), `self.${name}`));
}

function current(self: object, name: string, tracked: Remembered['tracked']): Current {
  if (isUntouchedLazy(self, name, tracked)) {
    const inh = tracked.get(name)!.inherited;
    return { hash: inh.hash, preview: inh.record.preview };
  }
  const value = (self as Record<string, unknown>)[name];
  try {
    const bytes = serializeArtifact(value, `self.${name}`);
    return { hash: hashBytes(bytes), preview: preview(value), bytes };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
