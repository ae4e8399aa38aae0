/**
 * Metaflow's pathspec, `Flow/run/step/task`, parsed and written in one place. Everything that
 * names a run, step or task (records, events, the CLI, the client API, the extension) goes
 * through these instead of splitting strings by index.
 */

/** A task's full address. */
export interface TaskPathspec {
  readonly flow: string;
  readonly runId: string;
  readonly step: string;
  readonly taskId: string;
}

/** The non-empty parts of a pathspec as typed (`Flow/1/`, `/Flow/1` and `Flow/1` alike). */
export function pathspecParts(text: string): string[] {
  return text.split('/').filter(Boolean);
}

/** `Flow/run/step/task` → its parts; undefined when the text does not have exactly four. */
export function parseTaskPathspec(text: string): TaskPathspec | undefined {
  const p = pathspecParts(text);
  if (p.length !== 4) return undefined;
  const [flow, runId, step, taskId] = p;
  return { flow, runId, step, taskId };
}

/** As parseTaskPathspec, for pathspecs the runtime wrote itself: a malformed one is a bug, said plainly. */
export function taskPathspecOf(text: string): TaskPathspec {
  const p = parseTaskPathspec(text);
  if (!p) throw new Error(`'${text}' is not a task pathspec (Flow/run/step/task).`);
  return p;
}

/** `Flow/run`: a run's pathspec. */
export function runPathspec(flow: string, runId: string): string {
  return `${flow}/${runId}`;
}

/** `Flow/run/step`: a step's pathspec. */
export function stepPathspec(flow: string, runId: string, step: string): string {
  return `${flow}/${runId}/${step}`;
}

export function formatTaskPathspec(p: TaskPathspec): string {
  return `${p.flow}/${p.runId}/${p.step}/${p.taskId}`;
}

/** A task named within its flow's runs: `run/step/task`. */
export type TaskInRun = Omit<TaskPathspec, 'flow'>;

/** `run/step/task` (how the debugger names a task's session) → its parts; undefined unless exactly three. */
export function parseTaskInRun(text: string): TaskInRun | undefined {
  const p = pathspecParts(text);
  if (p.length !== 3) return undefined;
  const [runId, step, taskId] = p;
  return { runId, step, taskId };
}

/** `run/step/task`: how the console and the debugger name a task within its flow. */
export function taskInRun(p: TaskPathspec): string {
  return `${p.runId}/${p.step}/${p.taskId}`;
}

/** `step/task`: a task within its run (progress lines, where the run is already named). */
export function taskInStep(p: TaskPathspec): string {
  return `${p.step}/${p.taskId}`;
}
