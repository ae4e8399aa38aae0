/**
 * `compareWithTask(self)`: what a task notebook's `self` holds now, next to what the task
 * stored, one row per artifact (a table in the notebook). Values are compared the way the task
 * decides what changed: by the hash of their serialised bytes; an artifact the cells never
 * touched is the inherited one, compared by hash without being read.
 */
import { hashBytes, serializeArtifact } from '../../serialize/codec';
import { preview } from '../../serialize/describe';
import { isUntouchedLazy } from '../../task/artifacts';
import type { Remembered } from './taskContext';

export interface ComparisonRow {
  artifact: string;
  same: string;
  stored: string;
  notebook: string;
}

export function compareWithTask(self: object, known: Remembered | undefined): ComparisonRow[] {
  if (!known) throw new Error('compareWithTask(self): pass the `self` that taskContext(…) returned.');
  const { task, tracked } = known;
  if (!task.successful) throw new Error(`task ${task.pathspec} ${task.status}: it stored no artifacts to compare with.`);
  const stored = new Map(task.artifacts().map((a) => [a.name, a]));
  const own = Object.keys(self).filter((n) => !n.startsWith('_') && typeof Object.getOwnPropertyDescriptor(self, n)?.value !== 'function');
  const names = [...new Set([...stored.keys(), ...own])].sort();
  return names.map((name) => {
    const s = stored.get(name);
    const here = own.includes(name) ? current(self, name, tracked) : undefined;
    const same = !here
      ? 'only stored'
      : !s
        ? 'only in the notebook'
        : 'error' in here
          ? 'cannot tell'
          : here.hash === s.hash
            ? 'yes'
            : 'no';
    return { artifact: name, same, stored: s?.preview ?? '', notebook: here ? ('error' in here ? here.error : here.preview) : '' };
  });
}

function current(self: object, name: string, tracked: Remembered['tracked']): { hash: string; preview: string } | { error: string } {
  if (isUntouchedLazy(self, name, tracked)) {
    const inh = tracked.get(name)!.inherited;
    return { hash: inh.hash, preview: inh.record.preview };
  }
  const value = (self as Record<string, unknown>)[name];
  try {
    return { hash: hashBytes(serializeArtifact(value, `self.${name}`)), preview: preview(value) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
