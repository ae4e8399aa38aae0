/**
 * The datastore (or a cache beside it) cannot be written or read for a reason outside the flow:
 * a read-only file system, a full disk, a missing permission. One message naming the path,
 * what is wrong and the fix; the CLI exits 2 with it (never "internal error").
 */
import { osAccount } from '../util/username';

export class StorageError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

const FIXES: Record<string, (user: string) => { what: string; fix: string }> = {
  EROFS: () => ({
    what: 'the file system is read-only (EROFS)',
    fix: 'Run where the datastore can be written, or point STEPWISE_DATASTORE_ROOT at a writable folder; runs, dump and logs still read it.',
  }),
  ENOSPC: () => ({
    what: 'no space is left on the device (ENOSPC)',
    fix: 'Free some space (delete old runs under <datastore>/<Flow>/runs, or with the explorer’s Delete Run…), then resume the run.',
  }),
  EDQUOT: () => ({
    what: 'the disk quota is used up (EDQUOT)',
    fix: 'Free some space or raise the quota, then resume the run.',
  }),
  EACCES: (user) => ({
    what: `permission denied for user ${user} (EACCES)`,
    fix: `Give user ${user} access to it (chown/chmod), or point STEPWISE_DATASTORE_ROOT at a folder that user can write.`,
  }),
  EPERM: (user) => ({
    what: `the operation is not permitted for user ${user} (EPERM)`,
    fix: `Give user ${user} access to it (chown/chmod), or point STEPWISE_DATASTORE_ROOT at a folder that user can write.`,
  }),
};

const VERBS: Record<string, string> = {
  mkdir: 'create the folder',
  open: 'open',
  write: 'write',
  rename: 'write',
  copyfile: 'write',
  unlink: 'delete',
  rmdir: 'delete',
  rm: 'delete',
  scandir: 'list',
  read: 'read',
  access: 'access',
  stat: 'access',
};

function currentUser(): string {
  return osAccount() ?? `uid ${process.getuid?.() ?? '?'}`;
}

/**
 * A StorageError for a file-system error of the kinds above (else undefined). `file` names the
 * file when the error itself does not (a failed write on an open file has no path).
 */
export function asStorageError(err: unknown, file?: string): StorageError | undefined {
  if (err instanceof StorageError) return err;
  const e = err as (NodeJS.ErrnoException & { dest?: string }) | undefined;
  const describe = typeof e?.code === 'string' ? FIXES[e.code] : undefined;
  if (!e || !describe) return undefined;
  // A temporary file of an atomic write is named by the file it was to become.
  const path = (e.dest ?? e.path ?? file)?.replace(/\.\d+(\.[0-9a-f]+)?\.tmp$/, '');
  const verb = (e.syscall && VERBS[e.syscall]) ?? 'write';
  const { what, fix } = describe(currentUser());
  return new StorageError(`cannot ${verb} ${path ?? 'a datastore file'}: ${what}. ${fix}`, e.code, path);
}
