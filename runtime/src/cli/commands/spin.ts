import { TASK_ISOLATION_HELP } from '../../scheduler/launchers';
import { commandStore, DATASTORE_HELP } from '../datastoreOption';
import { UsageError, type Command, EXIT_FLOW_FAILED, EXIT_OK } from '../command';
import { executeWithConsole } from '../execute';
import { resolvePathspec } from '../pathspec';
import { parseRunArgs } from '../runArgs';

export const spinCommand: Command = {
  name: 'spin',
  summary: 'Re-run one past task with the same inputs, using the current code.',
  help: `Usage: stepwise spin FILE PATHSPEC [--quiet] [--datastore TYPE]

Runs the step of the task PATHSPEC (RUN/STEP/TASK or FLOW/RUN/STEP/TASK) once more, starting
from exactly the artifacts that task started from, with the code now in FILE. The result goes
into a new run of kind "spin"; nothing is written into the original run, and spins are not
offered as resume origins.

${DATASTORE_HELP}
${TASK_ISOLATION_HELP}`,
  async run(args, io) {
    const a = parseRunArgs('spin', args);
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
      },
      io,
      a,
    );
    return end.status === 'succeeded' ? EXIT_OK : EXIT_FLOW_FAILED;
  },
};
