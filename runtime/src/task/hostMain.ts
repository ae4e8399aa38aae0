/**
 * The task host (`--task-isolation thread`): a Node process the runner starts once and keeps,
 * which runs the tasks it is sent in its task threads (task/contextThread.ts), each task in a
 * fresh `vm` context of one: its own globals and module graph, so nothing a task's modules set
 * reaches another task, while neither a process nor a thread is started per task.
 *
 * A thread runs one task at a time, so whatever it writes is that task's. A thread that ended
 * under its task (an uncaught error, `process.exit()`, its heap limit, a kill) ends that task
 * only; the next task gets another thread. A thread is also replaced after THREAD_TASKS tasks,
 * so that what Node's own modules keep across contexts cannot grow through a long run.
 *
 * Started by the runner (scheduler/launchers/taskHost.ts) as `node dist/taskHost.js` with an IPC
 * channel; the messages are HostRequest and HostReport (task/hostProtocol.ts).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HostReport, HostRequest, ThreadReport, ThreadRequest } from './hostProtocol';
import type { ProcessOnlyMessage } from './spec';

const threadEntry = join(__dirname, 'taskThread.js');
/** Tasks one thread runs before it is replaced. */
const THREAD_TASKS = 100;
/** Idle threads kept for the tasks to come: a thread takes the next task as soon as it is done with one. */
const IDLE_KEPT = 1;

interface TaskThread {
  worker: Worker;
  heapMb: number | undefined;
  /** The task it runs now. */
  task: number | undefined;
  served: number;
  /** What ended it, when it ended under a task. */
  outOfMemory: boolean;
  processOnly: ProcessOnlyMessage['processOnly'] | undefined;
  streams: Promise<void>;
}

const threads = new Set<TaskThread>();

function report(r: HostReport): void {
  // The runner may be gone (the host then exits on 'disconnect').
  if (process.connected) process.send!(r);
}

/** STEPWISE_TASK_SPARES=0 (the run's environment, which the host was started with): no thread is started ahead. */
const sparesWanted = process.env.STEPWISE_TASK_SPARES !== '0';

/**
 * A young generation of 8 MB (V8's default for a thread is twice that): a thread runs many short
 * tasks, whose garbage then stays small; a host's memory on the 1000-task foreach of
 * `npm run bench -- isolation` drops from ~79 to ~70 MB, at the same speed.
 */
const YOUNG_GENERATION_MB = 8;

function limits(heapMb: number | undefined) {
  return { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, ...(heapMb ? { maxOldGenerationSizeMb: heapMb } : {}) } };
}

function startThread(heapMb: number | undefined): TaskThread {
  const worker = new Worker(threadEntry, { stdout: true, stderr: true, ...limits(heapMb) });
  const t: TaskThread = {
    worker,
    heapMb,
    task: undefined,
    served: 0,
    outOfMemory: false,
    processOnly: undefined,
    streams: Promise.resolve(),
  };
  // What the thread writes outside a task's own streams (Node's warnings, say) is its task's.
  t.streams = Promise.all([forward(t, worker.stdout, 'stdout'), forward(t, worker.stderr, 'stderr')]).then(() => undefined);
  worker.on('message', (m: ThreadReport | ProcessOnlyMessage) => {
    if ('processOnly' in m) t.processOnly = m.processOnly;
    else if (m.type === 'output') report(m);
    else if (m.type === 'done') taskDone(t, m.code, m.retire !== undefined);
  });
  worker.on('error', (err: Error & { code?: string }) => {
    // What Node prints for an uncaught exception in a task process, on the task's own stderr.
    if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') t.outOfMemory = true;
    else if (t.task !== undefined) report({ type: 'output', id: t.task, stream: 'stderr', data: `${err.stack ?? String(err)}\n` });
  });
  worker.on('exit', (code) => threadEnded(t, code));
  threads.add(t);
  return t;
}

function forward(t: TaskThread, stream: NodeJS.ReadableStream, s: 'stdout' | 'stderr'): Promise<void> {
  stream.setEncoding('utf8');
  stream.on('data', (data: string) => {
    if (t.task !== undefined) report({ type: 'output', id: t.task, stream: s, data });
  });
  return new Promise((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
  });
}

function taskDone(t: TaskThread, code: number, tainted: boolean): void {
  const id = t.task!;
  t.task = undefined;
  t.served++;
  report({ type: 'exit', id, code });
  if (tainted || t.served >= THREAD_TASKS) replace(t);
  else if (idle(t.heapMb).length > IDLE_KEPT) retire(t);
}

function threadEnded(t: TaskThread, code: number): void {
  if (!threads.delete(t)) return; // retired
  const id = t.task;
  if (id === undefined) return;
  t.task = undefined;
  ready(t.heapMb);
  // Output the thread wrote before it ended still arrives; its streams end soon after.
  const settle = setTimeout(done, 2000);
  void t.streams.then(done);
  let reported = false;
  function done(): void {
    if (reported) return;
    reported = true;
    clearTimeout(settle);
    report({
      type: 'exit',
      id: id!,
      code,
      ...(t.outOfMemory ? { outOfMemory: true } : {}),
      ...(t.processOnly ? { processOnly: t.processOnly } : {}),
    });
  }
}

function retire(t: TaskThread): void {
  threads.delete(t);
  void t.worker.terminate();
}

/** Retires a thread that may take no more tasks, and starts its successor now, while the runner sends the next task. */
function replace(t: TaskThread): void {
  retire(t);
  ready(t.heapMb);
}

/** An idle thread for the next task (unless STEPWISE_TASK_SPARES=0: each then starts when needed). */
function ready(heapMb: number | undefined): void {
  if (!sparesWanted || idle(heapMb).length > 0) return;
  try {
    startThread(heapMb);
  } catch {
    // the next task starts its own
  }
}

function idle(heapMb: number | undefined): TaskThread[] {
  return [...threads].filter((t) => t.task === undefined && t.heapMb === heapMb);
}

function run(r: Extract<HostRequest, { type: 'run' }>): void {
  const { id } = r;
  let t: TaskThread;
  try {
    t = idle(r.heapMb)[0] ?? startThread(r.heapMb);
  } catch (err) {
    report({ type: 'exit', id, code: 1, error: `could not start the task's thread: ${(err as Error).message}` });
    return;
  }
  t.task = id;
  report({ type: 'started', id, threadId: t.worker.threadId });
  const request: ThreadRequest = { type: 'task', id, spec: r.spec, env: r.env };
  t.worker.postMessage(request);
}

process.on('message', (r: HostRequest) => {
  if (r.type === 'run') run(r);
  else if (r.type === 'kill') for (const t of threads) if (t.task === r.id) void t.worker.terminate();
});
// The first task's thread starts with the host.
ready(undefined);
// The runner is gone (it exited, or was killed however hard): so are its tasks.
process.on('disconnect', () => process.exit(0));
// It may have gone while this host was loading (an early host: boot/earlyTask.ts).
if (!process.connected) process.exit(0);
// Ctrl-C and a closed terminal are the runner's to handle (it kills the tasks it wants gone).
for (const s of ['SIGINT', 'SIGHUP'] as const) process.on(s, () => undefined);
