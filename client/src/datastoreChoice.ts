/**
 * The extension's datastore choice as plain data (no `vscode` import, so plain-Node tests and
 * modules can use it): what the `stepwise.datastore.*` settings say, turned into a location by
 * the runtime's resolveDatastore — the one place that decides (runtime/src/datastore/resolve.ts).
 */
import { dirname } from 'node:path';
import { resolveDatastore } from '../../runtime/src/datastore/resolve';
import { UsageError } from '../../runtime/src/errors';

export interface DatastoreSettings {
  /** `local` or `s3`; undefined: as the environment says (STEPWISE_DATASTORE), else local. */
  type?: string;
  /** `s3://bucket/prefix`; undefined: STEPWISE_DATASTORE_SYSROOT_S3. */
  sysrootS3?: string;
}

/**
 * What the client API's `root` takes for a folder (a workspace folder or a flow's folder): the
 * local datastore's folder, or the `s3://bucket/prefix` location. Bad settings throw a UsageError.
 */
export function rootFor(settings: DatastoreSettings, folder: string): string {
  try {
    const spec = resolveDatastore({ type: settings.type, sysrootS3: settings.sysrootS3, cwd: folder, env: process.env });
    return spec.type === 'local' ? spec.root : spec.sysroot;
  } catch (err) {
    // In VS Code the fix is usually a setting: name them.
    if (err instanceof UsageError) throw new UsageError(`${err.message} In VS Code: the ${SETTINGS_HINT} settings.`);
    throw err;
  }
}

const SETTINGS_HINT = 'stepwise.datastore.type and stepwise.datastore.sysrootS3';

/**
 * Where the runs of the flow in `file` go and are read from: found from `cwd` when a process runs
 * (or ran) there, else from the flow's workspace folder — where runs started from VS Code run —
 * else from the flow's own folder.
 */
export function flowDatastore(settings: DatastoreSettings, file: string, workspaceFolder: string | undefined, cwd?: string): string {
  return rootFor(settings, cwd ?? workspaceFolder ?? dirname(file));
}

/** The local store for a folder, whatever the settings say (a fallback when they are wrong). */
export function localRootFor(folder: string): string {
  return rootFor({ type: 'local' }, folder);
}

/** The settings as the variables a Stepwise process reads: for every process the extension starts. */
export function processEnvFor(settings: DatastoreSettings): Record<string, string> {
  return {
    ...(settings.type ? { STEPWISE_DATASTORE: settings.type } : {}),
    ...(settings.sysrootS3 ? { STEPWISE_DATASTORE_SYSROOT_S3: settings.sysrootS3 } : {}),
  };
}

/** A remote store has no files to watch. */
export function isRemoteRoot(root: string): boolean {
  return root.startsWith('s3://');
}
