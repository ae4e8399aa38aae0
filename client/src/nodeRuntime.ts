/**
 * Which Node runs Stepwise's own processes (the debug adapter, runs with progress, runs in a
 * terminal): they cannot run inside the extension host, and their task processes are started
 * with the same executable. In order: the `stepwise.nodePath` setting; the extension host's own
 * executable when it is Node (code-server); `node` on PATH; else the editor's Electron in Node
 * mode (ELECTRON_RUN_AS_NODE, inherited by the task processes), so F5 works even when VS Code was
 * started from a desktop launcher whose PATH has no Node. `nodeRuntime` is pure (tested in plain
 * Node); `configuredNode` reads the setting for it, the one place that does.
 */
import { existsSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import type * as vscode from 'vscode';
import { readSetting, Settings } from './contributions';

export interface NodeRuntime {
  command: string;
  /** Added to the environment of the process (and so of its task processes). */
  env: Record<string, string>;
}

function onPath(name: string, path: string): boolean {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd'] : [''];
  return path.split(delimiter).some((dir) => dir && exts.some((e) => existsSync(join(dir, name + e))));
}

/** `configured`: the `stepwise.nodePath` setting (`node`, its default, means "find one"). */
export function nodeRuntime(configured: string | undefined, execPath = process.execPath, path = process.env.PATH ?? ''): NodeRuntime {
  if (configured && configured !== 'node') return { command: configured, env: {} };
  if (/^node(\.exe)?$/i.test(basename(execPath))) return { command: execPath, env: {} };
  if (onPath('node', path)) return { command: 'node', env: {} };
  return { command: execPath, env: { ELECTRON_RUN_AS_NODE: '1' } };
}

/** The Node for a process started for `scope` (a flow file, a workspace folder), by the `stepwise.nodePath` setting. */
export function configuredNode(scope: vscode.ConfigurationScope | undefined): NodeRuntime {
  return nodeRuntime(readSetting(Settings.nodePath, scope));
}
