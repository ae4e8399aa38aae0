/**
 * A spare task process (--stepwise-spare): started before its task is known, so that starting
 * Node and loading the task runtime overlap the work before it; it is then given exactly one
 * task. It reads its spec from stdin (the runner writes it and closes the pipe; an empty stdin
 * means the runner let it go, or died). A task thread needs none: it takes task after task
 * (./contextThread.ts).
 */
import type { TaskSpec } from './spec';

export async function spareSpec(): Promise<TaskSpec | undefined> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk as string;
  return text.trim() ? (JSON.parse(text) as TaskSpec) : undefined;
}
