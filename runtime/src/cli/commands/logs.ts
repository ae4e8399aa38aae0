import type { TaskClient } from '../../client/task';
import { intOption, parseOptions } from '../args';
import { UsageError, type Command } from '../command';
import { commandStore, DATASTORE_HELP, DATASTORE_OPTION } from '../datastoreOption';
import { resolvePathspec } from '../pathspec';

type Stream = 'stdout' | 'stderr';

export const logsCommand: Command = {
  name: 'logs',
  summary: "Print a task's stdout/stderr (or every task of a step).",
  help: `Usage: stepwise logs PATHSPEC [--stdout|--stderr] [--attempt N] [--follow] [--datastore TYPE]

PATHSPEC is RUN/STEP[/TASK] or FLOW/RUN/STEP[/TASK]. Without a task, prints every task of the
step in order, each under a header. Both streams by default; a retried task (@retry) shows its
last attempt's output unless --attempt says which (0 is the first).

Options:
  --stdout, --stderr   only that stream
  --attempt N          that attempt's output (0 first; default: the last)
  -f, --follow         one task: keep printing its output as it comes, until the task finishes
${DATASTORE_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseOptions('logs', args, {
      stdout: { type: 'boolean' },
      stderr: { type: 'boolean' },
      follow: { type: 'boolean', short: 'f' },
      attempt: { type: 'string' },
      ...DATASTORE_OPTION,
    });
    if (positionals.length !== 1) throw new UsageError('expects one PATHSPEC, e.g. stepwise logs 1769.../start/1');
    const store = commandStore(values.datastore, io);
    const { step, task } = await resolvePathspec(store, positionals[0]);
    const streams: Stream[] =
      values.stdout && !values.stderr ? ['stdout'] : values.stderr && !values.stdout ? ['stderr'] : ['stdout', 'stderr'];
    const out = (s: Stream) => (s === 'stdout' ? io.stdout : io.stderr);
    if (values.follow) {
      if (!task) throw new UsageError(`--follow follows one task: add the task id, e.g. ${positionals[0]}/1`);
      await follow(task, streams, out);
      return 0;
    }
    const attempt = intOption('attempt', values.attempt as string | undefined, 0);
    if (attempt !== undefined && !task)
      throw new UsageError(`--attempt reads one task's attempt: add the task id, e.g. ${positionals[0]}/1`);
    if (attempt !== undefined && task && attempt > task.currentAttempt) {
      throw new UsageError(`task ${task.pathspec} has attempts 0 to ${task.currentAttempt}; there is no attempt ${attempt}.`);
    }
    const tasks = task ? [task] : await step.tasks();
    for (const t of tasks) {
      if (tasks.length > 1) io.stdout.write(`=== ${t.pathspec} (${t.status}) ===\n`);
      for (const s of streams) {
        const text = await t.log(s, attempt ?? t.currentAttempt);
        if (text) out(s).write(text.endsWith('\n') ? text : text + '\n');
      }
    }
    return 0;
  },
};

/** Both streams at once, each printed as it grows, until the task is done. */
async function follow(task: TaskClient, streams: Stream[], out: (s: Stream) => NodeJS.WritableStream): Promise<void> {
  await Promise.all(
    streams.map(async (s) => {
      for await (const piece of task.followLog(s)) out(s).write(piece);
    }),
  );
}
