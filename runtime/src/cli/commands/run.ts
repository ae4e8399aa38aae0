import { DATASTORE_HELP } from '../datastoreOption';
import { SLURM_HELP, TASK_ISOLATION_HELP } from '../../scheduler/launchers';
import { UsageError, type Command, EXIT_FLOW_FAILED, EXIT_OK } from '../command';
import { executeWithConsole } from '../execute';
import { flowRunOptions, parseRunArgs } from '../runArgs';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a flow: every task as its own process, every artifact stored.',
  help: `Usage: stepwise run FILE [--PARAM VALUE…] [options]

Runs the flow in FILE from \`start\` to \`end\`. The flow is linted first (errors stop it, exit 2).
Parameters come from --PARAM flags, then STEPWISE_RUN_<PARAM> environment variables, then defaults.

Options:
  --max-workers N      task processes at once (default: the number of CPUs)
  --max-num-splits N   most tasks one foreach may start (default 100)
${DATASTORE_HELP}
  --tag T              tag the run (repeatable)
  --with DECO[:k=v,…]  add a step decorator to every step that has none of that name
                       (repeatable), e.g. --with retry, --with timeout:minutes=10; --with slurm
                       runs every task as a Slurm job (needs a shared datastore: --datastore s3)
${SLURM_HELP}
${TASK_ISOLATION_HELP}
  --branch NAME        @project flows: run on the branch test.NAME (default user.<you>)
  --production         @project flows: run on the branch prod (with --branch: prod.NAME)
  --quiet              print only failures and the summary
  --json-events        print one JSON progress event per line instead (for tools)
  -h, --help           show this help

Exit codes: 0 the run succeeded, 1 it failed or was killed, 2 usage or lint error.
Example: stepwise run examples/hello.ts`,
  async run(args, io) {
    const a = parseRunArgs('run', args);
    if (a.positionals.length !== 1) throw new UsageError('expects one flow file. Example: stepwise run examples/hello.ts');
    if (a.originRunId) throw new UsageError('--origin-run-id belongs to `stepwise resume`.');
    const end = await executeWithConsole({ ...flowRunOptions(a, io), kind: 'run' }, io, a);
    return end.status === 'succeeded' ? EXIT_OK : EXIT_FLOW_FAILED;
  },
};
