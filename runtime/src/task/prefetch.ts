/**
 * Which blobs a task fetches before its step runs, so that the synchronous `this.x` reads are
 * served from the machine's cache (a remote store cannot be read synchronously; what is missed
 * here is fetched on first touch, blocking — see datastore/s3/syncFetch.ts). A local store has
 * them all already and does nothing.
 */
import type { RunRecord, TaskRecord } from '../datastore/types';
import type { TaskSpec } from './spec';

/** Inherited artifacts this small are fetched even when the static graph shows no read of them. */
const SMALL_BYTES = 1024 * 1024;

export function blobsToPrefetch(spec: TaskSpec, parents: TaskRecord[], run: RunRecord): string[] {
  const hashes = new Set<string>();
  // Parameters: start reads them from the run record (an IncludeFile's contents are a blob).
  if (!parents.length) for (const p of run.parameters) if (p.hash) hashes.add(p.hash);
  const reads = new Set(spec.reads);
  for (const parent of parents) {
    for (const [name, a] of Object.entries(parent.artifacts)) {
      // A join reads its inputs' artifacts as `inputs[i].x`, which the graph does not list.
      if (reads.has(name) || spec.isJoin || a.size <= SMALL_BYTES) hashes.add(a.hash);
    }
  }
  return [...hashes];
}
