import { inspect } from 'node:util';
import { commandStore, DATASTORE_HELP, DATASTORE_OPTION } from '../datastoreOption';
import type { TaskClient } from '../../client/task';
import { formatBytes } from '../../serialize/describe';
import { parseOptions } from '../args';
import { EXIT_USAGE, UsageError, type Command } from '../command';
import { DatastoreError } from '../../datastore/files';
import { CorruptBlobError } from '../../serialize/codec';
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

/** A file of the datastore that cannot be read: what `dump` shows in its place, and reports. */
function damageOf(err: unknown): string | undefined {
  return err instanceof CorruptBlobError || err instanceof DatastoreError ? err.message : undefined;
}

interface Dumped {
  text: string;
  obj: unknown;
  /** What could not be read: the task's record or some of its artifacts' blobs. */
  damaged: string[];
}

async function dumpTask(t: TaskClient, json: boolean): Promise<Dumped> {
  const obj: Record<string, unknown> = {};
  const info: Record<string, { type: string; size: number }> = {};
  const damaged = t.damaged ? [t.damaged] : [];
  const lines: string[] = [];
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
    let value: unknown;
    try {
      value = await t.data(a.name);
    } catch (err) {
      // One unreadable blob hides nothing else: the task's other artifacts, and the other tasks, still show.
      const damage = damageOf(err);
      if (!damage) throw err;
      damaged.push(damage);
      obj[a.name] = { $damaged: damage };
      lines.push(`${label}: <damaged: ${damage}>`);
      continue;
    }
    obj[a.name] = json ? jsonSafe(value) : value;
    lines.push(
      `${label}: ${inspect(value, { depth: 4, maxArrayLength: 50, maxStringLength: 2000, breakLength: 100 }).replace(/\n/g, '\n    ')}`,
    );
  }
  if (t.exception) lines.push(`  exception: ${t.exception.stack.replace(/\n/g, '\n    ')}`);
  const mark = damaged.length ? ', DAMAGED' : '';
  lines.unshift(`${t.pathspec} (${t.status}${t.clonedFrom ? `, cloned from ${t.clonedFrom}` : ''}${mark})`);
  return {
    text: lines.join('\n'),
    obj: {
      pathspec: t.pathspec,
      status: t.status,
      ...(damaged.length ? { damaged } : {}),
      artifacts: obj,
      artifactInfo: info,
      ...(t.exception ? { exception: t.exception } : {}),
    },
    damaged,
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

A task whose record or artifact file is damaged is marked DAMAGED (in JSON: "damaged", and
{"$damaged": why} for the artifact) and the rest is still printed; the damaged files are then
named on stderr and the exit code is 2.
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
    // Everything readable was printed; a damaged file is still an error of the datastore (exit 2, as
    // for any damaged file the CLI reads), named on stderr so a script notices it.
    const damaged = dumped.flatMap((d) => d.damaged);
    for (const d of damaged) io.stderr.write(`stepwise dump: ${d}\n`);
    return damaged.length ? EXIT_USAGE : 0;
  },
};
