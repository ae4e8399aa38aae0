/**
 * The task host (`--task-isolation thread`): a Node process the runner starts once and keeps,
 * which runs each task it is sent in a fresh worker thread. A thread has its own module graph
 * and globals, so nothing a task's modules set at load time reaches the next task, while the
 * process start (most of a task's cost) is paid once per host instead of once per task.
 *
 * Started by the runner (scheduler/launchers/taskHost.ts) as `node dist/taskHost.js` with an IPC
 * channel; the messages are HostRequest and HostReport (task/hostProtocol.ts). The thread runs
 * dist/task.js from the same folder as this file: the same runtime files a task process runs.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HostReport, HostRequest } from './hostProtocol';
import { SPARE_ARG, TASK_SPEC_ARG, THREAD_ARG, type NativeAddonMessage, type SpareTaskMessage } from './spec';

const taskEntry = join(__dirname, 'task.js');
const threads = new Map<number, Worker>();

function report(r: HostReport): void {
  // The runner may be gone (the host then exits on 'disconnect').
  if (process.connected) process.send!(r);
}

function forward(id: number, stream: NodeJS.ReadableStream, s: 'stdout' | 'stderr'): Promise<void> {
  stream.setEncoding('utf8');
  stream.on('data', (data: string) => report({ type: 'output', id, stream: s, data }));
  return new Promise((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
  });
}

/**
 * A thread started before its task is known, the runtime loaded, waiting for one task
 * (task/thread.ts spareTask): the next task skips starting a thread and loading task.js. Each
 * is used for exactly one task, like any other thread; a new spare is started as one is taken.
 */
interface Spare {
  worker: Worker;
  heapMb: number | undefined;
  /** It ended (or failed) before it was given a task: not usable. */
  dead: boolean;
}
let spare: Spare | undefined;

function limits(heapMb: number | undefined) {
  return heapMb ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {};
}

/** STEPWISE_TASK_SPARES=0 (the run's environment, which the host was started with): every thread starts with its task. */
const sparesWanted = process.env.STEPWISE_TASK_SPARES !== '0';

function startSpare(heapMb: number | undefined): void {
  if (!sparesWanted) return;
  try {
    const worker = new Worker(taskEntry, { argv: [THREAD_ARG, SPARE_ARG], stdout: true, stderr: true, ...limits(heapMb) });
    const s: Spare = { worker, heapMb, dead: false };
    const dead = () => {
      s.dead = true;
      if (spare === s) spare = undefined;
    };
    worker.once('exit', dead);
    worker.once('error', dead);
    spare = s;
  } catch {
    // tasks start their own threads
  }
}

/** The spare thread if it fits this task (the same heap limit), else a new thread with the spec in its argv. */
function threadFor(r: Extract<HostRequest, { type: 'run' }>): Worker {
  const s = spare;
  spare = undefined;
  if (s && !s.dead && s.heapMb === r.heapMb) {
    s.worker.removeAllListeners('exit').removeAllListeners('error');
    const message: SpareTaskMessage = { spec: r.spec, env: r.env };
    s.worker.postMessage(message);
    return s.worker;
  }
  if (s && !s.dead) void s.worker.terminate();
  return new Worker(taskEntry, {
    argv: [TASK_SPEC_ARG, JSON.stringify(r.spec), THREAD_ARG],
    env: r.env,
    stdout: true,
    stderr: true,
    ...limits(r.heapMb),
  });
}

function run(r: Extract<HostRequest, { type: 'run' }>): void {
  const { id } = r;
  let worker: Worker;
  try {
    worker = threadFor(r);
  } catch (err) {
    report({ type: 'exit', id, code: 1, error: `could not start the task's thread: ${(err as Error).message}` });
    return;
  } finally {
    // The next task's thread starts now, while this one runs, when the runner sees a free core for it.
    if (r.spare) startSpare(r.heapMb);
  }
  threads.set(id, worker);
  report({ type: 'started', id, threadId: worker.threadId });
  const streams = Promise.all([forward(id, worker.stdout, 'stdout'), forward(id, worker.stderr, 'stderr')]);
  let outOfMemory = false;
  let native: NativeAddonMessage['nativeAddon'] | undefined;
  worker.on('message', (m: Partial<NativeAddonMessage>) => (native = m.nativeAddon ?? native));
  worker.on('error', (err: Error & { code?: string }) => {
    // What Node prints for an uncaught exception in a task process, on the task's own stderr.
    if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') outOfMemory = true;
    else report({ type: 'output', id, stream: 'stderr', data: `${err.stack ?? String(err)}\n` });
  });
  worker.on('exit', (code) => {
    threads.delete(id);
    // Output the thread wrote before it ended still arrives; its streams end soon after.
    const settle = setTimeout(done, 2000);
    void streams.then(done);
    let reported = false;
    function done(): void {
      if (reported) return;
      reported = true;
      clearTimeout(settle);
      report({ type: 'exit', id, code, ...(outOfMemory ? { outOfMemory } : {}), ...(native ? { nativeAddon: native } : {}) });
    }
  });
}

process.on('message', (r: HostRequest) => {
  if (r.type === 'run') run(r);
  else if (r.type === 'kill') void threads.get(r.id)?.terminate();
});
// The first task's thread starts with the host.
startSpare(undefined);
// The runner is gone (it exited, or was killed however hard): so are its tasks.
process.on('disconnect', () => process.exit(0));
// It may have gone while this host was loading (an early host: boot/earlyTask.ts).
if (!process.connected) process.exit(0);
// Ctrl-C and a closed terminal are the runner's to handle (it kills the tasks it wants gone).
for (const s of ['SIGINT', 'SIGHUP'] as const) process.on(s, () => undefined);
