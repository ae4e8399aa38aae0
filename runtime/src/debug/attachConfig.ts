/** The `pwa-node` attach configuration for a task waiting under the V8 inspector. */
import { join } from 'node:path';
import { packageRoot } from '../paths';
import type { TaskAttachConfig } from './protocol';
import { taskInRun, taskPathspecOf } from '../pathspec';

/** `Flow/run/step/task` → `run/step/task`, the child session's name (as on the console). */
export function sessionName(pathspec: string): string {
  return taskInRun(taskPathspecOf(pathspec));
}

export function inspectorAddress(url: string): { host: string; port: number } {
  const u = new URL(url);
  const port = Number(u.port);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in the inspector URL ${url}`);
  return { host: u.hostname, port };
}

/** `runtimeRoot`: the run's copy of the task runtime (scheduler/taskRuntime.ts), which stepping skips as it skips dist/. */
export function taskAttachConfig(pathspec: string, inspectorUrl: string, cwd: string, runtimeRoot?: string): TaskAttachConfig {
  const { host, port } = inspectorAddress(inspectorUrl);
  // The installation's bundles, and the run's copy of them the task actually runs.
  const bundles = [join(packageRoot(), 'dist', '**'), ...(runtimeRoot ? [join(runtimeRoot, '**')] : [])];
  return {
    type: 'pwa-node',
    request: 'attach',
    name: sessionName(pathspec),
    address: host,
    port,
    // The exact target: js-debug then skips asking the inspector's /json/list for it.
    websocketAddress: inspectorUrl,
    continueOnAttach: true,
    // A task is one process: js-debug need not look for its children (by default it evaluates
    // code in the paused task to set NODE_OPTIONS for them, retrying until Node's \`process\` exists).
    autoAttachChildProcesses: false,
    attachExistingChildren: false,
    sourceMaps: true,
    // The preload (task/inspectorPreload.ts) compiles the flow bundle as a script of its own
    // once js-debug is attached; pausing for source maps makes js-debug stop there, read the
    // bundle's map and place the TypeScript breakpoints by its URL before any step runs. So no
    // search for compiled files is needed (by default a scan of the whole workspace per task).
    outFiles: [],
    pauseForSourceMap: true,
    // The task runner and the flow API are ours, not the user's: stepping never enters them.
    // (dist/ bundles, the run's copy of them, and the runtime sources their maps point to.)
    skipFiles: ['<node_internals>/**', ...bundles, join(packageRoot(), 'runtime', '**')],
    // The flow bundle lives in the datastore's cache, wherever that is; its map points at the flow.
    // The runtime's own bundles are skipped above, so their maps are never read: a packaged
    // extension ships dist/*.js without them, and js-debug would print "Could not read source
    // map for …/dist/task.js: ENOENT" for each (task.js, api.js, inspectorPreload.js) per task.
    resolveSourceMapLocations: ['**', '!**/node_modules/**', ...bundles.map((b) => `!${b}`)],
    cwd,
    __stepwiseTask: pathspec,
    // STEPWISE_JSDEBUG_TRACE=<dir>: js-debug writes its log for each task there (diagnosis).
    ...(process.env.STEPWISE_JSDEBUG_TRACE
      ? { trace: { logFile: join(process.env.STEPWISE_JSDEBUG_TRACE, `${sessionName(pathspec).replace(/\//g, '-')}.log`) } }
      : {}),
  };
}
