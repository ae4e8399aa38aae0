/**
 * Where a local datastore keeps things: `<root>/<Flow>/runs/<run>/<step>/<task>/` and
 * `<root>/<Flow>/data/`. The store and the extension (which watches and tails these folders)
 * both build paths here, so the layout has one owner.
 */
import { join } from 'node:path';
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
