/**
 * A datastore described as plain data: what the runner hands a task process (and a task on
 * another machine) so that it opens the very store the run uses. `resolve.ts` decides which one a
 * command uses; `open.ts` turns a spec into a Datastore.
 */

export const DATASTORE_TYPES = ['local', 's3'] as const;
export type DatastoreType = (typeof DATASTORE_TYPES)[number];

export interface LocalDatastoreSpec {
  type: 'local';
  /** The folder (`…/.stepwise`). */
  root: string;
}

export interface S3DatastoreSpec {
  type: 's3';
  /** `s3://bucket/prefix` */
  sysroot: string;
  /** This machine's cache of blobs and code packages (content-addressed, shared by runs). */
  cacheDir: string;
}

export type DatastoreSpec = LocalDatastoreSpec | S3DatastoreSpec;

/** One string per store, for caches and for telling two stores apart. */
export function specKey(spec: DatastoreSpec): string {
  return spec.type === 'local' ? `local:${spec.root}` : `s3:${spec.sysroot}|${spec.cacheDir}`;
}
