/**
 * What the parity harness extracts from one run, the same shape for Metaflow (by
 * test/parity/extract_metaflow.py, through Metaflow's client) and Stepwise (by
 * extractStepwise.ts, through Stepwise's client), and what it records per case.
 */

/** JSON values: what "plain data" means on both sides. */
export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

export interface TaskExtract {
  step: string;
  /** The foreach indices from the outermost foreach in (static branches add none). */
  foreach: number[];
  status: 'succeeded' | 'failed' | 'unfinished';
  /** Cloned by resume from an earlier run. */
  cloned: boolean;
  /** Artifacts holding plain data, by name. */
  artifacts: Record<string, Plain>;
  /** Artifacts that are not plain data (Python-only or JavaScript-only types): name → type. */
  unplain: Record<string, string>;
  exception: string | null;
}

export interface RunExtract {
  flow: string;
  tasks: TaskExtract[];
}

/** One command of a case (`run`, `resume`…) as one system ran it. */
export interface CommandResult {
  exit: number | null;
  /** The run the command started, if it started one. */
  run: RunExtract | null;
  /** The end of the command's output (stdout and stderr), run ids replaced by `<run>`. */
  output: string;
}

/** The results of one case on one system: what test/parity/metaflow/<case>.json holds for Metaflow. */
export interface CaseResult {
  case: string;
  system: 'metaflow' | 'stepwise';
  /** Metaflow's version (recorded results), or Stepwise's. */
  version: string;
  commands: CommandResult[];
}

/** How much of a command's output the harness keeps: enough for the error at the end. */
export const OUTPUT_TAIL = 6000;

/** Replaces run ids, the case's folder, times and pids so that outputs of two runs compare, and keeps the tail. */
export function normaliseOutput(text: string, runIds: string[], dir: string): string {
  let out = text.split(dir).join('<dir>');
  for (const id of runIds.filter(Boolean)) out = out.split(id).join('<run>');
  out = out.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} /g, '').replace(/\(pid \d+\)/g, '(pid <pid>)');
  return out.length > OUTPUT_TAIL ? out.slice(out.length - OUTPUT_TAIL) : out;
}

/** Tasks in a stable order: by step, then foreach position. */
export function sortTasks(tasks: TaskExtract[]): TaskExtract[] {
  const key = (t: TaskExtract) => `${t.step}\u0000${t.foreach.map((i) => String(i).padStart(8, '0')).join(',')}`;
  return [...tasks].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The run id a `run`/`resume` command printed (Metaflow and Stepwise both print `(run-id X)`). */
export function printedRunId(output: string): string | undefined {
  return /\(run-id ([^)\s]+)\)/.exec(output)?.[1];
}
