/** The `--datastore local|s3` option that every command reading or writing runs takes. */
import type { Datastore } from '../datastore/datastore';
import { datastoreFor } from '../datastore/resolve';
import type { CommandIO } from './command';

export const DATASTORE_OPTION = { datastore: { type: 'string' } } as const;

export const DATASTORE_HELP = `  --datastore TYPE     local or s3 (default: STEPWISE_DATASTORE, else local). local: the nearest
                       .stepwise/ folder up (or STEPWISE_DATASTORE_ROOT); s3: the location in
                       STEPWISE_DATASTORE_SYSROOT_S3=s3://bucket/prefix`;

/** The store a command uses, decided by datastore/resolve.ts from the flag and the environment. */
export function commandStore(flag: unknown, io: CommandIO): Datastore {
  return datastoreFor({ type: typeof flag === 'string' ? flag : undefined, cwd: io.cwd, env: io.env });
}
