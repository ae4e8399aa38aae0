/**
 * The comparison itself: Metaflow's results against Stepwise's for one case, as a list of
 * differences, each with a stable id that docs/PARITY.md and a case's `kept` list refer to.
 * Pure: no processes, no files.
 */
import type { ParityCase } from './case';
import type { CaseResult, CommandResult, Plain, TaskExtract } from './model';

export type DifferenceKind =
  | 'exit'
  | 'run'
  | 'task-count'
  | 'task'
  | 'status'
  | 'cloned'
  | 'artifact'
  | 'only-metaflow'
  | 'only-stepwise'
  | 'plainness'
  | 'failed-steps'
  | 'error-words';

export interface Difference {
  /** `<command>:<kind>:<where>`, e.g. `0:artifact:gather.pairs` — stable across runs. */
  id: string;
  command: number;
  kind: DifferenceKind;
  where: string;
  metaflow: string;
  stepwise: string;
}

function diff(command: number, kind: DifferenceKind, where: string, metaflow: unknown, stepwise: unknown): Difference {
  return { id: `${command}:${kind}:${where}`, command, kind, where, metaflow: show(metaflow), stepwise: show(stepwise) };
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 300 ? `${s.slice(0, 297)}...` : s;
}

/**
 * Metaflow allows only lowercase step names (`add_one`), Stepwise's convention is lowerCamelCase
 * (`addOne`): steps are compared by their snake_case form.
 */
export function stepKey(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function compareCase(c: ParityCase, metaflow: CaseResult, stepwise: CaseResult): Difference[] {
  const out: Difference[] = [];
  c.commands.forEach((cmd, i) => {
    const m = metaflow.commands[i];
    const s = stepwise.commands[i];
    if (!m || !s) {
      out.push(diff(i, 'run', 'command', m ? 'ran' : 'not recorded', s ? 'ran' : 'not run'));
      return;
    }
    out.push(...compareCommand(c, i, m, s, cmd.errorWords ?? []));
  });
  return out;
}

function compareCommand(c: ParityCase, i: number, m: CommandResult, s: CommandResult, words: string[]): Difference[] {
  const out: Difference[] = [];
  if (m.exit !== s.exit) out.push(diff(i, 'exit', 'status', m.exit, s.exit));
  for (const w of words) {
    const inM = m.output.toLowerCase().includes(w.toLowerCase());
    const inS = s.output.toLowerCase().includes(w.toLowerCase());
    if (inM !== inS) out.push(diff(i, 'error-words', w, inM ? 'says it' : 'does not say it', inS ? 'says it' : 'does not say it'));
  }
  if (!m.run || !s.run) {
    if (!!m.run !== !!s.run) out.push(diff(i, 'run', 'started', m.run ? 'a run' : 'no run', s.run ? 'a run' : 'no run'));
    return out;
  }
  out.push(...compareTaskCounts(i, m.run.tasks, s.run.tasks));
  const failed = (ts: TaskExtract[]) => [...new Set(ts.filter((t) => t.status === 'failed').map((t) => stepKey(t.step)))].sort();
  if (show(failed(m.run.tasks)) !== show(failed(s.run.tasks)))
    out.push(diff(i, 'failed-steps', 'run', failed(m.run.tasks), failed(s.run.tasks)));
  const mk = keyed(c, m.run.tasks);
  const sk = keyed(c, s.run.tasks);
  for (const [key, mt] of mk) {
    const st = sk.get(key);
    if (!st) {
      out.push(diff(i, 'task', key, 'present', 'absent'));
      continue;
    }
    out.push(...compareTask(c, i, key, mt, st));
  }
  for (const key of sk.keys()) if (!mk.has(key)) out.push(diff(i, 'task', key, 'absent', 'present'));
  return out;
}

function compareTaskCounts(i: number, m: TaskExtract[], s: TaskExtract[]): Difference[] {
  const count = (ts: TaskExtract[]) => {
    const n = new Map<string, number>();
    for (const t of ts) n.set(stepKey(t.step), (n.get(stepKey(t.step)) ?? 0) + 1);
    return n;
  };
  const mc = count(m);
  const sc = count(s);
  const out: Difference[] = [];
  for (const step of new Set([...mc.keys(), ...sc.keys()])) {
    if (mc.get(step) !== sc.get(step)) out.push(diff(i, 'task-count', step, mc.get(step) ?? 0, sc.get(step) ?? 0));
  }
  return out;
}

/**
 * Tasks by step (snake_case) and foreach position (`inner[1,2]`). Where a case says a foreach list's order
 * is not deterministic (built from a Python set), its tasks are matched by an artifact's value.
 */
function keyed(c: ParityCase, tasks: TaskExtract[]): Map<string, TaskExtract> {
  const out = new Map<string, TaskExtract>();
  for (const t of tasks) {
    const step = stepKey(t.step);
    const by = c.compare?.matchForeachBy?.[step];
    const key =
      by !== undefined ? `${step}[${show(t.artifacts[by] ?? null)}]` : t.foreach.length ? `${step}[${t.foreach.join(',')}]` : step;
    out.set(key, t);
  }
  return out;
}

function compareTask(c: ParityCase, i: number, key: string, m: TaskExtract, s: TaskExtract): Difference[] {
  const out: Difference[] = [];
  if (m.status !== s.status) out.push(diff(i, 'status', key, m.status, s.status));
  if (m.cloned !== s.cloned) out.push(diff(i, 'cloned', key, m.cloned, s.cloned));
  const names = new Set([...Object.keys(m.artifacts), ...Object.keys(m.unplain), ...Object.keys(s.artifacts), ...Object.keys(s.unplain)]);
  for (const name of [...names].sort()) {
    const where = `${key}.${name}`;
    const inM = name in m.artifacts || name in m.unplain;
    const inS = name in s.artifacts || name in s.unplain;
    if (!inS) out.push(diff(i, 'only-metaflow', where, valueOf(m, name), 'absent'));
    else if (!inM) out.push(diff(i, 'only-stepwise', where, 'absent', valueOf(s, name)));
    else if (name in m.unplain && name in s.unplain)
      continue; // neither is plain data: not comparable
    else if (name in m.unplain || name in s.unplain)
      out.push(diff(i, 'plainness', where, m.unplain[name] ?? 'plain data', s.unplain[name] ?? 'plain data'));
    else if (!sameValue(m.artifacts[name], s.artifacts[name], c.compare?.loose?.[name]))
      out.push(diff(i, 'artifact', where, m.artifacts[name], s.artifacts[name]));
  }
  return out;
}

/** An artifact as a difference shows it: its value when plain (null included), else its type. */
function valueOf(t: TaskExtract, name: string): Plain {
  return name in t.artifacts ? t.artifacts[name] : t.unplain[name];
}

/**
 * How a case may loosen one artifact's comparison, each for a stated reason in the case:
 * `unordered` — a list built from a set (compared sorted); `shape` — a random pick (compared by
 * type and length only).
 */
export type Looseness = 'unordered' | 'shape';

export function sameValue(a: Plain, b: Plain, loose?: Looseness): boolean {
  if (loose === 'shape') return shapeOf(a) === shapeOf(b);
  if (loose === 'unordered' && Array.isArray(a) && Array.isArray(b)) {
    const sa = a.map((x) => JSON.stringify(x)).sort();
    const sb = b.map((x) => JSON.stringify(x)).sort();
    return sa.length === sb.length && sa.every((x, k) => x === sb[k]);
  }
  return deepEqual(a, b);
}

function shapeOf(v: Plain): string {
  if (Array.isArray(v)) return `list of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return `object with ${Object.keys(v).sort().join(',')}`;
  return typeof v;
}

function deepEqual(a: Plain, b: Plain): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, k) => deepEqual(x, b[k]));
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  const oa = a as Record<string, Plain>;
  const ob = b as Record<string, Plain>;
  return ka.length === kb.length && ka.every((k, n) => k === kb[n] && deepEqual(oa[k], ob[k]));
}
