/**
 * The run loop: a queue of runnable tasks, at most `maxWorkers` task processes at once,
 * foreach fan-out bounded by `maxNumSplits`, join barriers, clone-on-resume, failure and kill
 * handling. Knows nothing of terminals or editors: it reports through RunEvents.
 */
import { flowStructure } from '../graph/structure';
import type { FlowGraph } from '../graph/types';
import type { Datastore, LogSink } from '../datastore/datastore';
import { datastoreEnv } from '../datastore/resolve';
import type { RunEndRecord, RunRecord, SplitFrame, TaskRecord, TaskStartRecord } from '../datastore/types';
import type { WithDecorator } from '../graph/decorators';
import { asStorageError, StorageError } from '../datastore/storageError';
import type { TaskInspection, TaskSpec } from '../task/spec';
import { afterFailure, attemptsAllowed, deathException, deathRecord, StepPolicies } from './attempts';
import { isOutOfMemoryLine, outOfMemoryException, taskHeapLimit, type HeapLimit } from './memory';
import { IO_PARALLELISM, type ClonePlan } from './clone';
import type { RunEvent, RunListener } from './events';
import type { LaunchedTask, TaskLauncher } from './launcher';
import { onLines } from './lines';
import { LoopPasses } from './passes';
import { ForeachProgress, type ForeachProgressState } from './progress';
import type { TaskRuntime } from './taskRuntime';
import { formatTaskPathspec } from '../pathspec';

export interface SchedulerOptions {
  store: Datastore;
  run: RunRecord;
  graph: FlowGraph;
  bundle: string;
  /** The bundle's hash: the run's code package in the store. */
  codeHash: string;
  flowFile: string;
  maxWorkers: number;
  maxNumSplits: number;
  /** Under the debugger: tasks may start under the V8 inspector, waiting for a debugger. */
  inspector: boolean;
  /**
   * Under the debugger, which tasks start under the inspector, asked as each one starts
   * (debug/stopPlaces.ts). Default: every task.
   */
  inspectTask?: (step: string) => TaskInspection;
  launcher: TaskLauncher;
  /** The files every task of the run starts from (./taskRuntime.ts); default the installation as it is at each start. */
  runtime?: TaskRuntime;
  clone?: ClonePlan;
  env?: NodeJS.ProcessEnv;
  /** Where task processes run (default: this process's working directory). */
  cwd?: string;
  /** Spin: run just this one task (with another run's parents) and nothing after it. */
  single?: { step: string; parents: string[]; stack: SplitFrame[]; passes?: number[]; isJoin: boolean; stackRunId: string };
  /** `run --with`: decorators added to every step that lacks one of that name. */
  withDecorators?: WithDecorator[];
}

interface Request {
  step: string;
  parents: string[];
  stack: SplitFrame[];
  /** The pass of each loop around the step (scheduler/passes.ts). */
  passes: number[];
  isJoin: boolean;
  parentsAllCloned: boolean;
  /** Another attempt of a task that has run before (`@retry`, or a `@catchFailure` fallback). */
  again?: { taskId: string; attempt: number; fallback?: { type: string; message: string; stack: string } };
}

interface Running {
  req: Request;
  taskId: string;
  attempt: number;
  pathspec: string;
  task: LaunchedTask;
  /** Set when `@timeout` killed it: the limit in seconds. */
  timedOutAfter?: number;
  /** V8 said on the task's stderr that its heap ran out (memory.ts). */
  outOfMemory?: boolean;
  /** Started under the inspector: announced once it listens. */
  inspected: boolean;
}

/** A task between two attempts: its last attempt failed, the next one waits `minutesBetweenRetries`. */
interface Waiting {
  timer: NodeJS.Timeout;
  last: TaskRecord;
}

const INSPECTOR_NOISE =
  /^(Debugger listening on ws:|For help, see: https:\/\/nodejs\.org|Debugger attached\.|Waiting for the debugger to disconnect)/;

export class Scheduler {
  private listeners: RunListener[] = [];
  private queue: Request[] = [];
  private running = new Map<string, Running>();
  private joins = new Map<string, { arrivals: Map<number, string>; count: number; allCloned: boolean }>();
  private nextTaskId = 1;
  private failed: string[] = [];
  private failReason: string | undefined;
  private killed: string | undefined;
  /** The store could not be written (read-only, full…): the run stops and execute() throws it. */
  private fatal: Error | undefined;
  private clonedPathspecs = new Set<string>();
  private readonly progress = new ForeachProgress();
  private wake: (() => void) | undefined;
  private readonly passes: LoopPasses;
  private readonly policies: StepPolicies;
  private waiting = new Map<string, Waiting>();

  constructor(private readonly o: SchedulerOptions) {
    this.passes = new LoopPasses(flowStructure(o.graph));
    this.policies = new StepPolicies(o.graph, o.withDecorators);
  }

  on(listener: RunListener): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  private emit(e: RunEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // a listener's bug must not break the run
      }
    }
  }

  /** Stops scheduling, kills running tasks, marks the run killed. */
  kill(reason: string): void {
    if (this.killed) return;
    this.killed = reason;
    for (const r of this.running.values()) r.task.kill('SIGKILL');
    this.wake?.();
  }

  /** The artifacts a step reads, by the static graph (a remote store fetches them ahead). */
  private reads(step: string): string[] {
    return (
      flowStructure(this.o.graph)
        .byName.get(step)
        ?.reads.map((r) => r.name) ?? []
    );
  }

  /** A runner-side store operation failed: stop scheduling, kill what runs, remember why. */
  private halt(err: unknown): void {
    this.fatal ??= asStorageError(err) ?? (err instanceof Error ? err : new Error(String(err)));
    for (const r of this.running.values()) r.task.kill('SIGKILL');
    this.wake?.();
  }

  /** A join's task waits for every branch of the split it closes. */
  private isJoinStep(step: string): boolean {
    return flowStructure(this.o.graph).joins.has(step);
  }

  async execute(): Promise<RunEndRecord> {
    const { run } = this.o;
    this.emit({ type: 'runStarted', run });
    const single = this.o.single;
    this.queue.push(
      single
        ? { ...single, passes: single.passes ?? [], parentsAllCloned: false }
        : { step: 'start', parents: [], stack: [], passes: [], isJoin: false, parentsAllCloned: true },
    );
    if (this.o.inspector && this.policies.anyTimeout()) {
      this.emit({
        type: 'message',
        level: 'info',
        text: '@timeout is not enforced under the debugger: a step paused at a breakpoint would be killed.',
      });
    }
    while (!this.killed) {
      if (this.stopping() && this.waiting.size) await this.finishWaiting();
      while (!this.stopping() && this.queue.length) {
        // The queue's head of tasks to clone, copied together: each is a few small files, so
        // their I/O overlaps (a 1000-task resume spends its time here).
        const clones: Array<[Request, TaskRecord]> = [];
        while (this.queue.length && clones.length < IO_PARALLELISM) {
          const head = this.queue[0];
          const origin = head.again ? undefined : this.o.clone?.find(head.step, head.stack, head.passes, head.parentsAllCloned);
          if (!origin) break;
          clones.push([this.queue.shift()!, origin]);
        }
        try {
          if (clones.length) {
            await Promise.all(clones.map(([req, origin]) => this.cloneTask(req, origin)));
            continue;
          }
          if (this.running.size >= this.o.maxWorkers) break;
          await this.launch(this.queue.shift()!);
        } catch (err) {
          this.halt(err);
        }
      }
      if (this.running.size === 0 && this.waiting.size === 0 && (this.queue.length === 0 || this.stopping())) break;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    // After a kill, wait for the killed processes to be gone before writing the end record.
    while (this.running.size) await new Promise<void>((resolve) => (this.wake = resolve));
    await this.finishWaiting();
    this.o.launcher.close?.();
    const reason = this.failReason ?? this.fatal?.message;
    const end: RunEndRecord = this.killed
      ? { status: 'killed', finishedAt: new Date().toISOString(), reason: this.killed, failedTasks: this.failed }
      : this.failed.length || reason
        ? { status: 'failed', finishedAt: new Date().toISOString(), reason, failedTasks: this.failed }
        : { status: 'succeeded', finishedAt: new Date().toISOString(), failedTasks: [] };
    try {
      await this.o.store.writeRunEnd(run.flow, run.runId, end);
    } catch (err) {
      // Without its end record the run reads as killed once this runner exits: still readable.
      this.fatal ??= asStorageError(err) ?? (err as Error);
    }
    // A store failure is reported once, by whoever catches the thrown error (the CLI: exit 2).
    this.emit({
      type: 'runFinished',
      runId: run.runId,
      status: end.status,
      reason: this.fatal ? this.failReason : end.reason,
      failedTasks: this.failed,
    });
    if (this.fatal) throw this.fatal;
    return end;
  }

  private stopping(): boolean {
    return !!this.killed || this.failed.length > 0 || !!this.failReason || !!this.fatal;
  }

  private startRecord(req: Request, taskId: string, attempt = 0): TaskStartRecord {
    const { run } = this.o;
    const resources = this.policies.of(req.step).effective.resources;
    return {
      flow: run.flow,
      runId: run.runId,
      step: req.step,
      taskId,
      pathspec: formatTaskPathspec({ flow: run.flow, runId: run.runId, step: req.step, taskId }),
      parents: req.parents,
      stack: req.stack,
      ...(req.passes.length ? { passes: req.passes } : {}),
      startedAt: new Date().toISOString(),
      attempt,
      ...(resources ? { resources } : {}),
    };
  }

  private async cloneTask(req: Request, origin: TaskRecord): Promise<void> {
    const { store } = this.o;
    const taskId = String(this.nextTaskId++);
    const start = this.startRecord(req, taskId);
    await store.writeTaskStart(start);
    await store.copyLogs(origin, start);
    const rec: TaskRecord = { ...origin, ...start, startedAt: origin.startedAt, clonedFrom: origin.pathspec };
    await store.writeTaskDone(rec);
    this.clonedPathspecs.add(rec.pathspec);
    this.emit({
      type: 'taskFinished',
      pathspec: rec.pathspec,
      step: rec.step,
      taskId,
      status: 'succeeded',
      cloned: true,
      clonedFrom: origin.pathspec,
      durationMs: 0,
    });
    this.advance(rec, true);
  }

  /**
   * No task of this run can follow this one: a spin's one task, or the end step's with nothing
   * else queued or running (only a retry of it could; it then starts its own process).
   */
  private isLast(req: Request): boolean {
    if (this.o.single) return true;
    const step = this.o.graph.steps.find((s) => s.name === req.step);
    return !!step && step.successors.length === 0 && this.queue.length === 0 && this.running.size === 0;
  }

  private async launch(req: Request): Promise<void> {
    const { store, run } = this.o;
    const taskId = req.again?.taskId ?? String(this.nextTaskId++);
    const attempt = req.again?.attempt ?? 0;
    const start = this.startRecord(req, taskId, attempt);
    await store.writeTaskStart(start);
    const policy = this.policies.of(req.step);
    const { effective } = policy;
    const spec: TaskSpec = {
      datastore: store.spec,
      flow: run.flow,
      runId: run.runId,
      step: req.step,
      taskId,
      bundle: this.o.bundle,
      codeHash: this.o.codeHash,
      reads: this.reads(req.step),
      flowFile: this.o.flowFile,
      parents: req.parents,
      stack: req.stack,
      ...(req.passes.length ? { passes: req.passes } : {}),
      isJoin: req.isJoin,
      ...this.inspection(req.step),
      ...(this.o.single ? { stackRunId: this.o.single.stackRunId } : {}),
      attempt,
      retries: effective.retry?.times ?? 0,
      decorators: policy.own,
      ...(effective.catchFailure ? { catchFailure: { ...effective.catchFailure, next: policy.next } } : {}),
      ...(req.again?.fallback ? { fallback: req.again.fallback } : {}),
      ...(effective.resources ? { resources: effective.resources } : {}),
      ...(effective.slurm ? { slurm: effective.slurm } : {}),
      ...(effective.timeoutSeconds !== undefined ? { timeoutSeconds: effective.timeoutSeconds } : {}),
    };
    const env = taskEnv(this.o.env, store);
    let task: LaunchedTask;
    try {
      task = await this.o.launcher.launch(spec, { env, cwd: this.o.cwd ?? process.cwd(), runtime: this.o.runtime, last: this.isLast(req) });
    } catch (err) {
      const why = `could not start the task process: ${(err as Error).message}`;
      await this.finishTask(deathRecord(start, { name: 'TaskDied', message: why, stack: why }, 'failed'));
      return;
    }
    const entry: Running = { req, taskId, attempt, pathspec: start.pathspec, task, inspected: spec.inspector };
    this.running.set(taskId, entry);
    // A kill that arrived while this process was being spawned must reach it too.
    if (this.killed) task.kill('SIGKILL');
    void this.watch(entry, start).catch((err: unknown) => {
      this.running.delete(taskId);
      this.halt(err);
    });
  }

  /** Whether a task of `step` starts under the inspector, and stops before its step. */
  private inspection(step: string): Pick<TaskSpec, 'inspector' | 'pauseBeforeStep'> {
    if (!this.o.inspector) return { inspector: false };
    const how = this.o.inspectTask?.(step) ?? 'attach';
    if (how === 'none') return { inspector: false };
    return how === 'pauseBeforeStep' ? { inspector: true, pauseBeforeStep: true } : { inspector: true };
  }

  /** The heap limit a task of `step` had (only asked after one ran out of memory). */
  private heapLimitOf(step: string): HeapLimit {
    return taskHeapLimit(this.policies.of(step).effective.resources?.memoryMb, this.o.env ?? process.env);
  }

  /** `@timeout`: kills the attempt when it runs too long (not under the debugger, nor a fallback, which runs no step). */
  private armTimeout(entry: Running): NodeJS.Timeout | undefined {
    const limit = this.policies.of(entry.req.step).effective.timeoutSeconds;
    if (limit === undefined || this.o.inspector || entry.req.again?.fallback) return undefined;
    return setTimeout(() => {
      entry.timedOutAfter = limit;
      entry.task.kill('SIGKILL');
    }, limit * 1000);
  }

  private async watch(entry: Running, start: TaskStartRecord): Promise<void> {
    const { store, run } = this.o;
    const { task, req, taskId, pathspec } = entry;
    const ref = { pathspec, step: req.step, taskId };
    // A task on another machine stores its own output; the launcher hands its log back to follow.
    const files: Record<'stdout' | 'stderr', LogSink> | undefined = task.storesOwnLogs
      ? undefined
      : { stdout: store.openLog(start, 'stdout'), stderr: store.openLog(start, 'stderr') };
    let announced = false;
    const announce = (inspectorUrl?: string) => {
      if (announced) return;
      announced = true;
      const again = entry.attempt ? { attempt: entry.attempt, ...(req.again?.fallback ? { fallback: true } : {}) } : {};
      const where = task.where ? { where: task.where } : {};
      this.emit({ type: 'taskStarted', ...ref, pid: task.pid, ...(inspectorUrl ? { inspectorUrl } : {}), ...again, ...where });
    };
    if (!entry.inspected) announce();
    const timer = this.armTimeout(entry);
    const out = onLines(task.stdout, (line) => {
      files?.stdout.write(line + '\n');
      this.emit({ type: 'taskLog', ...ref, pid: task.pid, stream: 'stdout', line });
    });
    const err = onLines(task.stderr, (line) => {
      if (entry.inspected && INSPECTOR_NOISE.test(line)) {
        const m = /^Debugger listening on (ws:\/\/\S+)/.exec(line);
        if (m) announce(m[1]);
        return;
      }
      if (isOutOfMemoryLine(line)) entry.outOfMemory = true;
      files?.stderr.write(line + '\n');
      this.emit({ type: 'taskLog', ...ref, pid: task.pid, stream: 'stderr', line });
    });
    const { code, signal, reason, outOfMemory } = await task.exited;
    if (outOfMemory) entry.outOfMemory = true;
    if (timer) clearTimeout(timer);
    await Promise.all([out, err]);
    announce();
    if (files) await Promise.all([files.stdout.close(), files.stderr.close()]);
    const final = await store.readTask(run.flow, run.runId, req.step, taskId).catch(() => undefined);
    if (final) {
      await this.finishTask(final);
    } else {
      // A failure @retry will follow is recorded as one attempt's; else the process died without a word.
      const written = await store.readAttempt(run.flow, run.runId, req.step, taskId, entry.attempt).catch(() => undefined);
      const died = !written;
      const rec = died
        ? deathRecord(
            start,
            this.killed || entry.timedOutAfter !== undefined || !entry.outOfMemory
              ? deathException({ killedBecause: this.killed, timedOutAfter: entry.timedOutAfter, signal, code, reason }, req.step, taskId)
              : outOfMemoryException(req.step, taskId, this.heapLimitOf(req.step)),
            this.killed ? 'killed' : 'failed',
            task.pid,
          )
        : written!;
      await this.afterFailedAttempt(entry, rec, died);
    }
    this.running.delete(taskId);
    this.wake?.();
  }

  /** A task's last attempt is over: record it (unless the task did), report it, and go on. */
  private async finishTask(rec: TaskRecord, write = false): Promise<void> {
    if (write) await this.o.store.writeTaskDone(rec);
    this.emit({
      type: 'taskFinished',
      pathspec: rec.pathspec,
      step: rec.step,
      taskId: rec.taskId,
      pid: rec.pid,
      status: rec.status,
      cloned: false,
      durationMs: rec.durationMs,
      exception: rec.exception,
      ...(rec.attempt ? { attempt: rec.attempt } : {}),
      ...(rec.caught ? { caught: rec.caught } : {}),
    });
    if (rec.status !== 'succeeded') this.failed.push(rec.pathspec);
    else this.advance(rec, false);
    // The task could not store its results: the store is the problem, not the flow.
    if (rec.exception?.name === 'StorageError') this.fatal ??= new StorageError(rec.exception.message);
  }

  /** An attempt failed without a final record: another attempt (`@retry`), a fallback (`@catchFailure`), or the end of the task. */
  private async afterFailedAttempt(entry: Running, rec: TaskRecord, died: boolean): Promise<void> {
    const { req, taskId, attempt } = entry;
    const policy = this.policies.of(req.step).effective;
    const next = afterFailure(policy, attempt, {
      died,
      wasFallback: !!req.again?.fallback,
      stopping: this.stopping() || rec.status === 'killed',
    });
    if (next.then === 'finish') return this.finishTask(rec, true);
    if (died) await this.o.store.writeAttempt(rec);
    const exception = rec.exception ?? { name: 'Error', message: 'the attempt failed', stack: 'the attempt failed' };
    this.emit({
      type: 'attemptFailed',
      pathspec: rec.pathspec,
      step: req.step,
      taskId,
      pid: rec.pid,
      attempt,
      exception,
      then: next.then,
      delayMs: next.then === 'retry' ? next.delayMs : 0,
      nextAttempt: attempt + 1,
      attempts: attemptsAllowed(policy),
    });
    const again: Request = {
      ...req,
      again: {
        taskId,
        attempt: attempt + 1,
        ...(next.then === 'fallback' ? { fallback: { type: exception.name, message: exception.message, stack: exception.stack } } : {}),
      },
    };
    if (next.then === 'fallback' || next.delayMs === 0) {
      this.queue.unshift(again);
      return;
    }
    const timer = setTimeout(() => {
      this.waiting.delete(taskId);
      this.queue.unshift(again);
      this.wake?.();
    }, next.delayMs);
    this.waiting.set(taskId, { timer, last: rec });
  }

  /** The run stops (killed, or another task failed): tasks waiting to retry end with their last attempt. */
  private async finishWaiting(): Promise<void> {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) {
      clearTimeout(w.timer);
      await this.finishTask(w.last, true);
    }
  }

  private emitProgress(step: string, p: ForeachProgressState | undefined, finishing: boolean): void {
    if (!p || (p.total <= 1 && !p.outer)) return;
    const running = [...this.running.values()].filter((r) => r.req.step === step).length;
    this.emit({ type: 'stepProgress', step, ...p, running: Math.max(0, running - (finishing ? 1 : 0)) });
  }

  /** Queues what follows a successful task. */
  private advance(rec: TaskRecord, cloned: boolean): void {
    if (this.o.single) return;
    const t = rec.transition;
    const frames = rec.stack;
    if (frames.length && frames[frames.length - 1].kind === 'foreach') this.emitProgress(rec.step, this.progress.finished(rec.step), true);
    if (!t || rec.step === 'end') return;
    const allCloned = cloned;
    const passes = (to: string) => this.passes.after(rec.step, rec.passes ?? [], to);
    if (t.foreach !== undefined) {
      const count = t.foreachCount ?? 0;
      if (count > this.o.maxNumSplits) {
        this.failReason =
          `step '${rec.step}' splits into ${count} foreach tasks, more than the maximum of ${this.o.maxNumSplits}. ` +
          `Raise the limit with --max-num-splits ${count} (or more) if this is intended.`;
        this.failed.push(rec.pathspec);
        return;
      }
      if (count === 0) {
        this.failReason = `step '${rec.step}' splits with foreach over '${t.foreach}', which is empty: there is nothing to run in '${t.next[0]}'. Guard the split, or give the list at least one item.`;
        this.failed.push(rec.pathspec);
        return;
      }
      this.emitProgress(t.next[0], this.progress.split(t.next[0], count, rec.step, frames), false);
      for (let i = 0; i < count; i++) {
        this.queue.push({
          step: t.next[0],
          parents: [rec.pathspec],
          stack: [...frames, { kind: 'foreach', step: rec.step, taskId: rec.taskId, index: i, count }],
          passes: passes(t.next[0]),
          isJoin: false,
          parentsAllCloned: allCloned,
        });
      }
      return;
    }
    if (t.next.length > 1) {
      t.next.forEach((step, i) => {
        this.queue.push({
          step,
          parents: [rec.pathspec],
          stack: [...frames, { kind: 'split', step: rec.step, taskId: rec.taskId, index: i, count: t.next.length }],
          passes: passes(step),
          isJoin: this.isJoinStep(step),
          parentsAllCloned: allCloned,
        });
      });
      return;
    }
    const nextStep = t.next[0];
    if (this.isJoinStep(nextStep) && frames.length) {
      const top = frames[frames.length - 1];
      const key = `${nextStep}|${top.step}/${top.taskId}`;
      let wait = this.joins.get(key);
      if (!wait) this.joins.set(key, (wait = { arrivals: new Map(), count: top.count, allCloned: true }));
      wait.arrivals.set(top.index, rec.pathspec);
      wait.allCloned &&= allCloned;
      if (wait.arrivals.size === wait.count) {
        this.joins.delete(key);
        const parents = [...wait.arrivals.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
        this.queue.push({
          step: nextStep,
          parents,
          stack: frames.slice(0, -1),
          passes: passes(nextStep),
          isJoin: true,
          parentsAllCloned: wait.allCloned,
        });
      }
      return;
    }
    this.queue.push({
      step: nextStep,
      parents: [rec.pathspec],
      stack: frames,
      passes: passes(nextStep),
      isJoin: this.isJoinStep(nextStep),
      parentsAllCloned: allCloned,
    });
  }
}

/** A task's environment: the run's, plus its store, which the client API inside a step (and any stepwise command it runs) reads. */
export function taskEnv(env: NodeJS.ProcessEnv | undefined, store: Datastore): NodeJS.ProcessEnv {
  return { ...(env ?? process.env), ...datastoreEnv(store.spec) };
}
