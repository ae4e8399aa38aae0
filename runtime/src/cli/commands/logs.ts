import { LocalDatastore } from '../../datastore/local';
import { locateDatastoreRoot } from '../../datastore/locate';
import { parseOptions } from '../args';
import { UsageError, type Command } from '../command';
import { resolvePathspec } from '../pathspec';

export const logsCommand: Command = {
  name: 'logs',
  summary: "Print a task's stdout/stderr (or every task of a step).",
  help: `Usage: stepwise logs PATHSPEC [--stdout|--stderr]

PATHSPEC is RUN/STEP[/TASK] or FLOW/RUN/STEP[/TASK]. Without a task, prints every task of the
step in order, each under a header. Both streams by default.`,
  async run(args, io) {
    const { values, positionals } = parseOptions('logs', args, { stdout: { type: 'boolean' }, stderr: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('expects one PATHSPEC, e.g. stepwise logs 1769.../start/1');
    const store = new LocalDatastore(locateDatastoreRoot(io.cwd, io.env));
    const { step, task } = await resolvePathspec(store, positionals[0]);
    const streams = values.stdout && !values.stderr ? ['stdout'] : values.stderr && !values.stdout ? ['stderr'] : ['stdout', 'stderr'];
    const tasks = task ? [task] : await step.tasks();
    for (const t of tasks) {
      if (tasks.length > 1) io.stdout.write(`=== ${t.pathspec} (${t.status}) ===\n`);
      for (const s of streams) {
        const text = s === 'stdout' ? await t.stdout : await t.stderr;
        if (text) (s === 'stdout' ? io.stdout : io.stderr).write(text.endsWith('\n') ? text : text + '\n');
      }
    }
    return 0;
  },
};
