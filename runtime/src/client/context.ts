/**
 * Which datastore the client reads: the one given, else the one the current folder (or a running
 * task, through the environment its runner set) uses — decided by datastore/resolve.ts.
 */
import type { Datastore } from '../datastore/datastore';
import { datastoreFor, openDatastore } from '../datastore/resolve';
import type { DatastoreSpec } from '../datastore/spec';
import { getNamespace } from './namespace';

export interface ClientOptions {
  /**
   * The datastore: a folder (`…/.stepwise`) or an S3 location (`s3://bucket/prefix`). Default:
   * what `stepwise` commands here would use (STEPWISE_DATASTORE and friends, else the nearest
   * `.stepwise/` up from the current folder).
   */
  root?: string;
  /** The datastore as an object or a spec (wins over `root`). */
  datastore?: Datastore | DatastoreSpec;
  /**
   * The namespace for this object and what it leads to (a tag, or null for every run); default:
   * the process's namespace at the time of the call (`namespace()`, else `user:<current user>`).
   */
  namespace?: string | null;
}

function isStore(d: Datastore | DatastoreSpec): d is Datastore {
  return typeof (d as Datastore).readRun === 'function';
}

export function storeFor(o: ClientOptions = {}): Datastore {
  if (o.datastore) return isStore(o.datastore) ? o.datastore : openDatastore(o.datastore);
  const base = { cwd: process.cwd(), env: process.env };
  if (o.root?.startsWith('s3://')) return datastoreFor({ ...base, type: 's3', sysrootS3: o.root });
  if (o.root) return datastoreFor({ ...base, type: 'local', root: o.root });
  return datastoreFor(base);
}

/** The namespace a client object made with these options reads in. */
export function namespaceFor(o: ClientOptions = {}): string | null {
  return o.namespace === undefined ? getNamespace() : o.namespace;
}
