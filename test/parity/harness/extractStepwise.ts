/** Reads one Stepwise run through Stepwise's client API into the harness's shape (model.ts). */
import { Metaflow } from '../../../runtime/src/client';
import type { Plain, RunExtract, TaskExtract } from './model';

/** [true, value] for plain data (what JSON holds, like the Python side's `plain`), else [false, type]. */
export function toPlain(value: unknown, depth = 0): [true, Plain] | [false, string] {
  if (depth > 50) return [false, 'deep'];
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return [true, value];
  if (typeof value === 'number') return Number.isFinite(value) ? [true, Object.is(value, -0) ? 0 : value] : [false, `number ${value}`];
  if (Array.isArray(value)) {
    const out: Plain[] = [];
    for (let k = 0; k < value.length; k++) {
      if (!(k in value)) return [false, 'sparse array'];
      const r = toPlain(value[k], depth + 1);
      if (!r[0]) return r;
      out.push(r[1]);
    }
    return [true, out];
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto !== Object.prototype && proto !== null) return [false, (value as object).constructor?.name ?? 'object'];
    const out: Record<string, Plain> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const r = toPlain(v, depth + 1);
      if (!r[0]) return r;
      out[k] = r[1];
    }
    return [true, out];
  }
  return [false, typeof value];
}

export async function extractStepwise(root: string, runId: string): Promise<RunExtract | null> {
  // The harness reads back the run it just made, whoever the run was made as (the CLI runs as USERNAME=parity).
  for (const flow of await Metaflow({ root, namespace: null }).flows()) {
    if (!(await flow.runIds()).includes(runId)) continue;
    const run = await flow.run(runId);
    const tasks: TaskExtract[] = [];
    for (const step of await run.steps()) {
      for (const task of await step.tasks()) {
        const artifacts: Record<string, Plain> = {};
        const unplain: Record<string, string> = {};
        for (const a of task.artifacts()) {
          const r = toPlain(await task.data(a.name));
          if (r[0]) artifacts[a.name] = r[1];
          else unplain[a.name] = r[1];
        }
        tasks.push({
          step: step.name,
          foreach: task.record.stack.filter((f) => f.kind === 'foreach').map((f) => f.index),
          status: task.successful ? 'succeeded' : task.finished ? 'failed' : 'unfinished',
          cloned: !!task.clonedFrom,
          artifacts,
          unplain,
          exception: task.successful ? null : task.exception ? `${task.exception.name}: ${task.exception.message}` : null,
        });
      }
    }
    return { flow: flow.name, tasks };
  }
  return null;
}
