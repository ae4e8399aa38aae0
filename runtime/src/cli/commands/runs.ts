import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Flow } from '../../client';
import { NotFoundError, nearby } from '../../client/errors';
import { commandStore, DATASTORE_HELP, DATASTORE_OPTION } from '../datastoreOption';
import { parseOptions, intOption } from '../args';
import { UsageError, type Command } from '../command';
import { readFlowFile } from '../../graph/flowFile';
import { escapeInline } from '../../terminalText';

export const runsCommand: Command = {
  name: 'runs',
  summary: 'List the recent runs of a flow with their status.',
  help: `Usage: stepwise runs FILE|FLOW [--json] [--limit N] [--namespace TAG] [--datastore TYPE]

Lists runs newest first: id, status, kind (run, resume), start time, duration, tags.
Every user's runs are listed, as Metaflow's commands read the datastore without a namespace;
--namespace keeps the runs carrying one tag (user:alice, project_branch:prod, …).

Options:
  --json               print the runs as JSON
  --limit N            at most N runs (default 20)
  --namespace TAG      only runs carrying TAG (the client API's namespace)
${DATASTORE_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseOptions('runs', args, {
      json: { type: 'boolean' },
      limit: { type: 'string' },
      namespace: { type: 'string' },
      ...DATASTORE_OPTION,
    });
    if (positionals.length !== 1) throw new UsageError('expects a flow file or a flow name, e.g. stepwise runs examples/hello.ts');
    const limit = intOption('limit', values.limit as string | undefined, 1) ?? 20;
    const arg = positionals[0];
    const flowName = existsSync(resolve(io.cwd, arg)) ? readFlowFile(arg, io.cwd).graph.flowName! : arg;
    const store = commandStore(values.datastore, io);
    const flows = await store.listFlows();
    if (!flows.includes(flowName))
      throw new NotFoundError(`${flowName} has no runs in ${store.location}. ${nearby('flows with runs', flows)}`);
    const ns = values.namespace as string | undefined;
    if (ns !== undefined && !ns.trim()) throw new UsageError('--namespace needs a tag, e.g. --namespace user:alice.');
    const runs = await Flow(flowName, { datastore: store, namespace: ns ?? null }).runs({ limit });
    if (!runs.length && ns !== undefined) throw new NotFoundError(`${flowName} has no runs in the namespace '${ns}' in ${store.location}.`);
    if (values.json) {
      io.stdout.write(
        JSON.stringify(
          runs.map((r) => ({
            pathspec: r.pathspec,
            runId: r.id,
            status: r.status,
            reason: r.state.reason,
            kind: r.kind,
            originRunId: r.originRunId,
            startedAt: r.record.startedAt,
            finishedAt: r.end?.finishedAt,
            durationMs: r.durationMs,
            tags: r.tags,
            systemTags: r.systemTags,
            parameters: r.parameters,
          })),
          null,
          2,
        ) + '\n',
      );
      return 0;
    }
    io.stdout.write(
      `${'RUN ID'.padEnd(15)} ${'STATUS'.padEnd(10)} ${'KIND'.padEnd(7)} ${'STARTED'.padEnd(20)} ${'DURATION'.padEnd(9)} TAGS\n`,
    );
    for (const r of runs) {
      const dur = r.durationMs === undefined ? '-' : `${(r.durationMs / 1000).toFixed(1)}s`;
      const kind = r.kind === 'resume' ? `resume of ${r.originRunId}` : r.kind;
      io.stdout.write(
        `${r.id.padEnd(15)} ${r.status.padEnd(10)} ${kind.padEnd(7)} ${r.record.startedAt.slice(0, 19).replace('T', ' ').padEnd(20)} ${dur.padEnd(9)} ${escapeInline(r.tags.join(','))}\n`,
      );
      if (r.state.reason && r.status !== 'succeeded') io.stdout.write(`${''.padEnd(16)}${escapeInline(r.state.reason)}\n`);
    }
    return 0;
  },
};
