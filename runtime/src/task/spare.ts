/**
 * A spare task (--stepwise-spare): started before its task is known, so that starting Node (a
 * process) or a thread and loading the task runtime overlap the work before it; it is then given
 * exactly one task. A spare process reads its spec from stdin (the runner writes it and closes
 * the pipe; an empty stdin means the runner let it go, or died); a spare thread gets its spec and
 * environment from its host by message (./thread.ts).
 */
import { THREAD_ARG, type TaskSpec } from './spec';

export async function spareSpec(): Promise<TaskSpec | undefined> {
  if (process.argv.includes(THREAD_ARG)) return (require('./thread') as typeof import('./thread')).spareTask();
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk as string;
  return text.trim() ? (JSON.parse(text) as TaskSpec) : undefined;
}
