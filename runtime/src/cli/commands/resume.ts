import { DATASTORE_HELP } from '../datastoreOption';
import { SLURM_HELP, TASK_ISOLATION_HELP } from '../../scheduler/launchers';
import { UsageError, type Command, EXIT_FLOW_FAILED, EXIT_OK } from '../command';
import { executeWithConsole } from '../execute';
import { flowRunOptions, parseRunArgs } from '../runArgs';

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'Resume a run: reuse its successful tasks, re-run from the failed step (or STEP).',
  help: `Usage: stepwise resume FILE [STEP] [--origin-run-id ID] [options]

Starts a new run that clones (by reference, without running them) the successful tasks of the
origin run that lie upstream of the resume point, and runs the rest with the current code.
The origin run's parameters are kept; they cannot be changed on resume.

  STEP                 re-run from this step (default: the step that failed); a step after the
                       failed one starts at the failed one
  --origin-run-id ID   the run to resume (default: your latest finished run of the flow)
  --max-workers N      task processes at once (default: the number of CPUs)
  --max-num-splits N   most tasks one foreach may start (default: the origin run's limit)
${DATASTORE_HELP}
  --tag T              add a tag (repeatable; the origin's tags are kept)
  --with DECO[:k=v,…]  add a step decorator to every step lacking one (the origin's --with are
                       kept, except slurm: a resume runs here unless given --with slurm again)
${SLURM_HELP}
${TASK_ISOLATION_HELP}
  --branch NAME        @project flows: run on the branch test.NAME (default user.<you>)
  --production         @project flows: run on the branch prod (with --branch: prod.NAME)
  --quiet              print only failures and the summary
  --json-events        print one JSON progress event per line instead (for tools)

Exit codes: 0 the run succeeded, 1 it failed or was killed, 2 usage or lint error.`,
  async run(args, io) {
    const a = parseRunArgs('resume', args);
    if (a.positionals.length < 1 || a.positionals.length > 2)
      throw new UsageError('expects a flow file and optionally a step. Example: stepwise resume flow.ts b');
    const end = await executeWithConsole(
      { ...flowRunOptions(a, io), kind: 'resume', resumeStep: a.positionals[1], originRunId: a.originRunId },
      io,
      a,
    );
    return end.status === 'succeeded' ? EXIT_OK : EXIT_FLOW_FAILED;
  },
};
