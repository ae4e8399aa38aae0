/**
 * Which datastore the extension reads and its runs write: the `stepwise.datastore.type` and
 * `stepwise.datastore.sysrootS3` settings (./datastoreChoice.ts turns them into a location through
 * the runtime's resolveDatastore). In-process readers (explorer, preview, resume pickers) get the
 * store's location — a folder or an `s3://` URL, which the client API's `root` takes as is — and
 * every process the extension starts (runs, terminals, the debug adapter) gets the same choice as
 * environment variables, so it resolves the same store.
 */
import * as vscode from 'vscode';
import { affectsSetting, readSetting, Settings } from './contributions';
import { flowDatastore, processEnvFor, rootFor, type DatastoreSettings } from './datastoreChoice';

export { isRemoteRoot, localRootFor } from './datastoreChoice';

/** A settings change that may change the datastore. */
export function affectsDatastore(e: vscode.ConfigurationChangeEvent): boolean {
  return affectsSetting(e, Settings.datastoreType) || affectsSetting(e, Settings.datastoreSysrootS3);
}

export function datastoreSettings(scope?: vscode.ConfigurationScope): DatastoreSettings {
  const type = readSetting(Settings.datastoreType, scope);
  const sysroot = readSetting(Settings.datastoreSysrootS3, scope).trim();
  return { type: type !== 'default' ? type : undefined, sysrootS3: sysroot || undefined };
}

/** The client API's `root` for a folder: the local folder, or the `s3://bucket/prefix` location. */
export function datastoreRootFor(folder: string, scope?: vscode.ConfigurationScope): string {
  return rootFor(datastoreSettings(scope), folder);
}

/** Where the runs of the flow in `file` go and are read from (datastoreChoice.ts flowDatastore). */
export function flowDatastoreFor(file: string, cwd?: string): string {
  const uri = vscode.Uri.file(file);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return flowDatastore(datastoreSettings(folder ?? uri), file, folder?.uri.fsPath, cwd);
}

/** The settings as the variables a Stepwise process reads, for every process the extension starts. */
export function datastoreProcessEnv(scope?: vscode.ConfigurationScope): Record<string, string> {
  return processEnvFor(datastoreSettings(scope));
}
