/**
 * Which datastore a command uses: the one place that reads the `--datastore` flag (or the value
 * the VS Code setting passes), STEPWISE_DATASTORE, STEPWISE_DATASTORE_SYSROOT_S3,
 * STEPWISE_DATASTORE_ROOT and STEPWISE_DATASTORE_CACHE. The CLI, the client API, the debug
 * adapter and the extension all call `resolveDatastore`; nothing else decides.
 */
import { homedir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { UsageError } from '../errors';
import type { Datastore } from './datastore';
import { LocalDatastore } from './local';
import { locateDatastoreRoot } from './locate';
import { S3Datastore } from './s3';
import { DATASTORE_TYPES, specKey, type DatastoreSpec, type DatastoreType } from './spec';

export interface DatastoreChoice {
  /** The caller's explicit choice: the `--datastore` flag, or the VS Code setting. Else STEPWISE_DATASTORE, else local. */
  type?: string;
  /** s3: a location the caller gives (the VS Code setting). Else STEPWISE_DATASTORE_SYSROOT_S3. */
  sysrootS3?: string;
  /** local: a folder the caller gives. Else STEPWISE_DATASTORE_ROOT, else the nearest `.stepwise/` up from `cwd`. */
  root?: string;
  /** Where a relative root is resolved from, and where the nearest `.stepwise/` is looked for. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/.*)?$/;

function chosenType(c: DatastoreChoice): DatastoreType {
  const [value, from] =
    c.type !== undefined && c.type !== ''
      ? [c.type, '--datastore']
      : c.env.STEPWISE_DATASTORE
        ? [c.env.STEPWISE_DATASTORE, 'STEPWISE_DATASTORE']
        : ['local', 'default'];
  const type = value.trim().toLowerCase();
  if (!(DATASTORE_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`${from} must be one of ${DATASTORE_TYPES.join(', ')}; got '${value}'.`);
  }
  return type as DatastoreType;
}

/** Checks an `s3://bucket/prefix` location, naming where it came from when it is wrong. */
export function checkS3Sysroot(value: string, from: string): string {
  const url = value.trim().replace(/\/+$/, '');
  if (!S3_URL.test(url)) {
    throw new UsageError(`${from} must be an S3 location like s3://my-bucket/stepwise; got '${value}'.`);
  }
  return url;
}

/** The folder for a remote store's local cache: STEPWISE_DATASTORE_CACHE, else the user's cache folder. */
export function defaultCacheDir(env: NodeJS.ProcessEnv, cwd: string): string {
  if (env.STEPWISE_DATASTORE_CACHE) return resolvePath(cwd, env.STEPWISE_DATASTORE_CACHE);
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'stepwise');
}

/** Decides which store a command uses (see DatastoreChoice for the order). Bad input is a UsageError. */
export function resolveDatastore(c: DatastoreChoice): DatastoreSpec {
  const type = chosenType(c);
  if (type === 'local') return { type: 'local', root: c.root ? resolvePath(c.cwd, c.root) : locateDatastoreRoot(c.cwd, c.env) };
  const given = c.sysrootS3 || c.env.STEPWISE_DATASTORE_SYSROOT_S3;
  if (!given) {
    throw new UsageError(
      'the s3 datastore needs its location: set STEPWISE_DATASTORE_SYSROOT_S3=s3://bucket/prefix (and AWS credentials; AWS_ENDPOINT_URL_S3 for MinIO, Ceph or a local server).',
    );
  }
  const from = c.sysrootS3 ? 'the S3 location' : 'STEPWISE_DATASTORE_SYSROOT_S3';
  return { type: 's3', sysroot: checkS3Sysroot(given, from), cacheDir: defaultCacheDir(c.env, c.cwd) };
}

/** The environment a child process (a task, a nested CLI) needs to resolve the same store. */
export function datastoreEnv(spec: DatastoreSpec): Record<string, string> {
  if (spec.type === 'local') return { STEPWISE_DATASTORE: 'local', STEPWISE_DATASTORE_ROOT: spec.root };
  return { STEPWISE_DATASTORE: 's3', STEPWISE_DATASTORE_SYSROOT_S3: spec.sysroot, STEPWISE_DATASTORE_CACHE: spec.cacheDir };
}

const open = new Map<string, Datastore>();

/** The store a spec describes; one instance per store in a process (they hold caches). */
export function openDatastore(spec: DatastoreSpec): Datastore {
  const key = specKey(spec);
  let store = open.get(key);
  if (!store) {
    store = spec.type === 'local' ? new LocalDatastore(spec.root) : new S3Datastore(spec);
    open.set(key, store);
  }
  return store;
}

/** resolveDatastore, then openDatastore. */
export function datastoreFor(c: DatastoreChoice): Datastore {
  return openDatastore(resolveDatastore(c));
}
