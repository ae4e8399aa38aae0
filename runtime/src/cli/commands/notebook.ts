import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Run } from '../../client';
import { locateDatastoreRoot } from '../../datastore/locate';
import type { TaskClient } from '../../client/task';
import { taskNotebookPath, toIpynb } from '../../notebook/builder/ipynb';
import { buildTaskNotebook } from '../../notebook/builder/taskNotebook';
import { parseOptions } from '../args';
import { UsageError, type Command } from '../command';
import { commandStore, DATASTORE_HELP, DATASTORE_OPTION } from '../datastoreOption';
import { resolvePathspec } from '../pathspec';
import { runPathspec } from '../../pathspec';

/** A step with several tasks: the user names one; the failed ones first in the list. */
async function oneTask(spec: string, tasks: TaskClient[]): Promise<never> {
  const failed = tasks.filter((t) => t.status === 'failed').map((t) => t.pathspec);
  const some = (failed.length ? failed : tasks.map((t) => t.pathspec)).slice(0, 5);
  throw new UsageError(
    `'${spec}' is a step with ${tasks.length} tasks: name one${failed.length ? ` (failed: ${failed.length})` : ''}, e.g. ${some.join(', ')}.`,
  );
}

export const notebookCommand: Command = {
  name: 'notebook',
  summary: 'Write a notebook for debugging a task: self bound to what the step saw, and its code.',
  help: `Usage: stepwise notebook PATHSPEC [--out FILE] [--force] [--json] [--datastore TYPE]

Writes a Jupyter notebook (.ipynb) for one task, to open in VS Code with the Stepwise
(TypeScript) kernel: a summary (status, error and where it was raised), a cell that binds
\`self\` to exactly what the step saw (artifacts read lazily, self.input/self.index in a foreach,
\`inputs\` in a join), the step's body with \`this\` as \`self\`, and for a task that succeeded a
cell comparing what the body produces with what the task stored.

PATHSPEC is RUN/STEP/TASK or FLOW/RUN/STEP/TASK (a step with a single task may omit TASK).
The notebook goes to .stepwise/notebooks/<Flow>-<run>-<step>-<task>.ipynb unless --out says
otherwise. An existing notebook is kept (it holds your edits) unless --force.
Prints the notebook's path.

Options:
  --out FILE           write the notebook there instead
  --force              write it again even if it exists
  --json               print {"path", "created", "pathspec"}
${DATASTORE_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseOptions('notebook', args, {
      out: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      ...DATASTORE_OPTION,
    });
    if (positionals.length !== 1) throw new UsageError('expects one PATHSPEC, e.g. stepwise notebook MyFlow/1769.../train/3');
    const store = commandStore(values.datastore, io);
    const { step, task: named } = await resolvePathspec(store, positionals[0]);
    let task = named;
    if (!task) {
      const tasks = await step.tasks();
      if (tasks.length !== 1) return oneTask(positionals[0], tasks);
      task = tasks[0];
    }
    const run = await Run(runPathspec(task.flowName, task.runId), { datastore: store });
    const path = typeof values.out === 'string' ? resolve(io.cwd, values.out) : taskNotebookPath(io.cwd, task.pathspec);
    const created = !!values.force || !existsSync(path);
    if (created) {
      const projectDir = dirname(locateDatastoreRoot(io.cwd, {}));
      const nb = buildTaskNotebook(task, run, { notebookDir: dirname(path), projectDir, datastore: store.spec });
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, toIpynb(nb));
      renameSync(tmp, path);
    }
    if (values.json) io.stdout.write(JSON.stringify({ path, created, pathspec: task.pathspec }) + '\n');
    else io.stdout.write(`${path}${created ? '' : ' (kept: it exists; --force writes it again)'}\n`);
    return 0;
  },
};
