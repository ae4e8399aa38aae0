import { inspect } from 'node:util';
import { commandStore, DATASTORE_HELP, DATASTORE_OPTION } from '../datastoreOption';
import type { TaskClient } from '../../client/task';
import { formatBytes } from '../../serialize/describe';
import { parseOptions } from '../args';
import { UsageError, type Command } from '../command';
import { resolvePathspec } from '../pathspec';

/** Values larger than this are summarised instead of printed in full. */
const FULL_VALUE_BYTES = 64 * 1024;
const MAX_TASKS = 20;

function jsonSafe(v: unknown): unknown {
  return JSON.parse(
    JSON.stringify(v, (_k, x: unknown) => {
      if (typeof x === 'bigint') return `${x}n`;
      if (x instanceof Map) return { $map: [...x.entries()] };
      if (x instanceof Set) return { $set: [...x.values()] };
      if (ArrayBuffer.isView(x)) return { $typedArray: x.constructor.name, values: Array.from(x as unknown as ArrayLike<number>) };
      if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
      if (x === undefined) return null;
      return x;
    }) ?? 'null',
  );
}

async function dumpTask(t: TaskClient, json: boolean): Promise<{ text: string; obj: unknown }> {
  const obj: Record<string, unknown> = {};
  const info: Record<string, { type: string; size: number }> = {};
  const lines = [`${t.pathspec} (${t.status}${t.clonedFrom ? `, cloned from ${t.clonedFrom}` : ''})`];
  if (t.damaged) lines.push(`  damaged: ${t.damaged}`);
  for (const a of t.artifacts()) {
    // Like Metaflow's dump: each artifact's type and (serialised) size, then its value.
    info[a.name] = { type: a.type, size: a.size };
    const label = `  ${a.name} (${a.type}, ${formatBytes(a.size)})`;
    if (a.size > FULL_VALUE_BYTES) {
      const summary = `<${a.type}, ${a.size} bytes: ${a.preview}>`;
      obj[a.name] = { $summary: summary };
      lines.push(`${label}: ${summary}`);
      continue;
    }
    const value = await t.data(a.name);
    obj[a.name] = json ? jsonSafe(value) : value;
    lines.push(
      `${label}: ${inspect(value, { depth: 4, maxArrayLength: 50, maxStringLength: 2000, breakLength: 100 }).replace(/\n/g, '\n    ')}`,
    );
  }
  if (t.exception) lines.push(`  exception: ${t.exception.stack.replace(/\n/g, '\n    ')}`);
  return {
    text: lines.join('\n'),
    obj: { pathspec: t.pathspec, status: t.status, artifacts: obj, artifactInfo: info, ...(t.exception ? { exception: t.exception } : {}) },
  };
}

export const dumpCommand: Command = {
  name: 'dump',
  summary: 'Print the artifacts of a task (or of every task of a step).',
  help: `Usage: stepwise dump PATHSPEC [--json] [--datastore TYPE]

PATHSPEC is RUN/STEP[/TASK] or FLOW/RUN/STEP[/TASK]. Each artifact is shown with its type
and stored (serialised) size, then its value; values over 64 KiB are summarised (preview).

Options:
  --json               print {pathspec, status, artifacts, artifactInfo: {name: {type, size}}} per task as JSON
${DATASTORE_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseOptions('dump', args, { json: { type: 'boolean' }, ...DATASTORE_OPTION });
    if (positionals.length !== 1) throw new UsageError('expects one PATHSPEC, e.g. stepwise dump 1769.../end/3');
    const store = commandStore(values.datastore, io);
    const { step, task } = await resolvePathspec(store, positionals[0]);
    const tasks = task ? [task] : await step.tasks({ limit: MAX_TASKS });
    const total = task ? 1 : (await step.taskIds()).length;
    const dumped = [];
    for (const t of tasks) dumped.push(await dumpTask(t, !!values.json));
    if (values.json) io.stdout.write(JSON.stringify(task ? dumped[0].obj : dumped.map((d) => d.obj), null, 2) + '\n');
    else {
      io.stdout.write(dumped.map((d) => d.text).join('\n\n') + '\n');
      if (total > tasks.length) io.stdout.write(`… ${total - tasks.length} more tasks; dump one with ${step.pathspec}/TASK\n`);
    }
    return 0;
  },
};
