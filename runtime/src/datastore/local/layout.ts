/**
 * Where a local datastore keeps things: `<root>/<Flow>/runs/<run>/<step>/<task>/` and
 * `<root>/<Flow>/data/`. The store and the extension (which watches and tails these folders)
 * both build paths here, and watchers read their events back with localChangeOf, so the layout
 * has one owner.
 */
import { join, relative, sep } from 'node:path';
import type { TaskPathspec } from '../../pathspec';

export function flowRunsDir(root: string, flow: string): string {
  return join(root, flow, 'runs');
}

export function runDir(root: string, flow: string, runId: string): string {
  return join(flowRunsDir(root, flow), runId);
}

export function taskDir(root: string, t: TaskPathspec): string {
  return join(runDir(root, t.flow, t.runId), t.step, t.taskId);
}

/** What a file event under a local datastore's folder is about (the VS Code explorer's watcher). */
export type LocalChange = { flow: string; kind: 'run'; runId?: string } | { flow: string; kind: 'data' };

/** The flow and run a changed path under `root` belongs to; undefined when it is no run's or flow's. */
export function localChangeOf(root: string, path: string): LocalChange | undefined {
  const rel = relative(root, path);
  if (!rel || rel.startsWith('..')) return undefined;
  const [flow, area, runId] = rel.split(sep);
  if (!flow || flow.startsWith('.')) return undefined;
  if (area === 'data') return { flow, kind: 'data' };
  if (area !== 'runs') return undefined;
  return runId ? { flow, kind: 'run', runId } : { flow, kind: 'run' };
}
