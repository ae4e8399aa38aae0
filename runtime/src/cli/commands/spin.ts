import { TASK_ISOLATION_HELP } from '../../scheduler/launchers';
import { commandStore, DATASTORE_HELP } from '../datastoreOption';
import { UsageError, type Command, EXIT_FLOW_FAILED, EXIT_OK } from '../command';
import { executeWithConsole } from '../execute';
import { resolvePathspec } from '../pathspec';
import { parseRunArgs } from '../runArgs';

/** What `spin --debug` says once the task waits (node --inspect-brk's line, and how to attach). */
export function waitingForDebugger(pathspec: string, inspectorUrl: string): string {
  return (
    `Task ${pathspec} is waiting for a debugger: ${inspectorUrl}\n` +
    `Attach with VS Code's "Debug: Attach to Node Process" (or chrome://inspect); in VS Code, Stepwise's Debug Task or a "command": "spin" launch configuration start and attach in one step.\n`
  );
}

export const spinCommand: Command = {
  name: 'spin',
  summary: 'Re-run one past task with the same inputs, using the current code.',
  help: `Usage: stepwise spin FILE PATHSPEC [--debug] [--quiet] [--datastore TYPE]

Runs the step of the task PATHSPEC (RUN/STEP/TASK or FLOW/RUN/STEP/TASK) once more, starting
from exactly the artifacts that task started from, with the code now in FILE. The result goes
into a new run of kind "spin"; nothing is written into the original run, and spins are not
offered as resume origins.

--debug   Like node --inspect-brk: the task starts under the V8 inspector and waits for a
          debugger. Its inspector URL is printed (on stderr); attach with VS Code's "Debug:
          Attach to Node Process" or any inspector client. In VS Code, Stepwise's Debug Task
          (or a "command": "spin" launch configuration) does all this and stops at breakpoints.

${DATASTORE_HELP}
${TASK_ISOLATION_HELP}`,
  async run(args, io) {
    // A bare flag: taken out first, so it never reads the next word as its value.
    const debug = args.includes('--debug');
    const a = parseRunArgs(
      'spin',
      args.filter((x) => x !== '--debug'),
    );
    if (a.positionals.length !== 2) throw new UsageError('expects a flow file and a task pathspec, e.g. stepwise spin flow.ts 1769.../b/3');
    if (a.params.size) throw new UsageError('spin reuses the parameters of the original run; it takes none.');
    const store = commandStore(a.datastore, io);
    const { task } = await resolvePathspec(store, a.positionals[1]);
    if (!task) throw new UsageError(`spin needs one task: add the task id, e.g. ${a.positionals[1]}/1`);
    const end = await executeWithConsole(
      {
        file: a.positionals[0],
        cwd: io.cwd,
        env: io.env,
        kind: 'spin',
        spinTask: task.pathspec,
        tags: ['spin'],
        datastore: a.datastore,
        taskIsolation: a.taskIsolation,
        ...(debug ? { inspector: true } : {}),
      },
      io,
      a,
      debug
        ? (e) => e.type === 'taskStarted' && e.inspectorUrl && io.stderr.write(waitingForDebugger(e.pathspec, e.inspectorUrl))
        : undefined,
    );
    return end.status === 'succeeded' ? EXIT_OK : EXIT_FLOW_FAILED;
  },
};
