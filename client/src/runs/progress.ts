/**
 * One progress logic for every way a run is followed (plain Node, no `vscode`): steps done,
 * foreach counts, elapsed time, from the CLI's `--json-events` lines (a run started in the
 * background) or from the run's state in the datastore (a run in a terminal or under the
 * debugger); and the console lines the Output channel prints, rendered by the
 * CLI's own RunConsole (`2026-01-27 22:59:40.313 [run/step/task (pid N)] message`), so the log
 * grammar colours both alike.
 */
import { RunConsole } from '../../../runtime/src/run/console';
import type { RunEvent } from '../../../runtime/src/scheduler/events';
import type { RunOverlay } from '../../../webview/src/messages';
import { outerPending, progressComplete, type ForeachProgressState } from '../../../runtime/src/scheduler/progress';
import { formatDuration } from '../explorer/format';
import { firstLine } from './errorLine';
import { taskInStep, taskPathspecOf } from '../../../runtime/src/pathspec';

export interface ProgressSnapshot {
  runId?: string;
  flow?: string;
  stepsDone: number;
  /** Steps that have started at least one task. */
  stepsSeen: number;
  /** The foreach being worked on: `done/total` of its tasks (the total so far, for a nested one). */
  foreach?: { step: string } & ForeachProgressState;
  running: string[];
  elapsedMs: number;
  finished?: { status: 'succeeded' | 'failed' | 'killed'; reason?: string; failedTasks: string[] };
}

export class RunProgress {
  private t0: number;
  runId?: string;
  flow?: string;
  file?: string;
  private readonly stepTasks = new Map<string, { started: number; finished: number; failed: number }>();
  private readonly foreach = new Map<string, ForeachProgressState>();
  private lastForeach?: string;
  private readonly running = new Map<string, string>();
  finished?: ProgressSnapshot['finished'];

  constructor(private readonly now: () => number = Date.now) {
    this.t0 = now();
  }

  /** Parses one stdout line of the CLI; returns the event, or undefined for a non-JSON line. */
  static parse(line: string): RunEvent | undefined {
    const t = line.trim();
    if (!t.startsWith('{')) return undefined;
    try {
      const e = JSON.parse(t) as RunEvent;
      return typeof e === 'object' && e && typeof e.type === 'string' ? e : undefined;
    } catch {
      return undefined;
    }
  }

  apply(e: RunEvent): void {
    switch (e.type) {
      case 'runStarted':
        // A debug session's Restart starts another run in the same session: count it afresh.
        if (this.runId !== undefined && this.runId !== e.run.runId) this.reset();
        this.runId = e.run.runId;
        this.flow = e.run.flow;
        this.file = e.run.file;
        break;
      case 'taskStarted':
        this.counts(e.step).started++;
        this.running.set(e.pathspec, e.step);
        break;
      case 'taskFinished': {
        const c = this.counts(e.step);
        if (e.cloned) c.started++;
        c.finished++;
        if (e.status !== 'succeeded') c.failed++;
        this.running.delete(e.pathspec);
        break;
      }
      case 'stepProgress':
        this.foreach.set(e.step, { done: e.done, total: e.total, ...(e.outer ? { outer: e.outer } : {}) });
        this.lastForeach = e.step;
        break;
      case 'runFinished':
        this.finished = { status: e.status, reason: e.reason, failedTasks: e.failedTasks };
        this.running.clear();
        break;
    }
  }

  private reset(): void {
    this.stepTasks.clear();
    this.foreach.clear();
    this.lastForeach = undefined;
    this.running.clear();
    this.finished = undefined;
  }

  /**
   * The same progress read from the datastore, for a run followed there rather than through its
   * events: the run's state per step (the one step-state derivation, ../state/runs.ts runOverlay).
   */
  observe(run: { runId: string; flow: string; file: string; startedAt: number }, overlay: RunOverlay): void {
    this.runId = run.runId;
    this.flow = run.flow;
    this.file = run.file;
    this.t0 = run.startedAt;
    this.reset();
    for (const [step, s] of Object.entries(overlay.steps)) {
      const finished = (s.done ?? 0) + (s.failed ?? 0);
      this.stepTasks.set(step, { started: finished + (s.running ?? 0), finished, failed: s.failed ?? 0 });
      // A step of several tasks still going: its count, as a foreach's.
      if ((s.total ?? 0) > 1 && finished < (s.total ?? 0)) {
        this.foreach.set(step, { done: finished, total: s.total ?? 0 });
        this.lastForeach = step;
      }
    }
  }

  private counts(step: string) {
    let c = this.stepTasks.get(step);
    if (!c) this.stepTasks.set(step, (c = { started: 0, finished: 0, failed: 0 }));
    return c;
  }

  snapshot(): ProgressSnapshot {
    let done = 0;
    for (const [step, c] of this.stepTasks) {
      const fe = this.foreach.get(step);
      const total = fe ? fe.total : c.started;
      if (fe && outerPending(fe)) continue;
      if (c.finished >= total && c.finished > 0 && ![...this.running.values()].includes(step)) done++;
    }
    const fe = this.lastForeach ? this.foreach.get(this.lastForeach) : undefined;
    return {
      runId: this.runId,
      flow: this.flow,
      stepsDone: done,
      stepsSeen: this.stepTasks.size,
      foreach: fe && this.lastForeach && !progressComplete(fe) ? { step: this.lastForeach, ...fe } : undefined,
      running: [...this.running.keys()],
      elapsedMs: this.now() - this.t0,
      finished: this.finished,
    };
  }

  /** One short line: `3 steps done · analyze 40/100 · 2.1 s`. */
  summary(): string {
    const s = this.snapshot();
    const bits = [`${s.stepsDone} step${s.stepsDone === 1 ? '' : 's'} done`];
    // `+`: a nested foreach whose outer items are still splitting (its total will grow).
    if (s.foreach) bits.push(`${s.foreach.step} ${s.foreach.done}/${s.foreach.total}${outerPending(s.foreach) ? '+' : ''}`);
    else if (s.running.length) bits.push(s.running.map((p) => taskInStep(taskPathspecOf(p))).join(', '));
    bits.push(formatDuration(s.elapsedMs));
    return bits.join(' · ');
  }
}

/**
 * A run followed through its events (the CLI's `--json-events`, or the debug adapter's custom
 * events): its progress, and each failed task's exception for the outcome's one line.
 */
export class EventRun {
  readonly progress: RunProgress;
  private readonly exceptions = new Map<string, { name?: string; message?: string }>();

  constructor(now?: () => number) {
    this.progress = new RunProgress(now);
  }

  apply(e: RunEvent): void {
    this.progress.apply(e);
    if (e.type === 'taskFinished' && e.status !== 'succeeded' && e.exception) this.exceptions.set(e.pathspec, e.exception);
  }

  /** The first line of the first failed task's exception: `TypeError: x is not a function`. */
  error(): string | undefined {
    const first = this.progress.finished?.failedTasks[0];
    return first ? firstLine(this.exceptions.get(first)) : undefined;
  }
}

/**
 * The run's console as the CLI prints it (the runtime's own RunConsole, so the wording cannot
 * drift), delivered a line at a time: VS Code's Output channel takes whole lines.
 */
export function lineConsole(appendLine: (line: string) => void): RunConsole {
  return new RunConsole({
    out: {
      write: (text: string) => {
        for (const line of text.replace(/\n$/, '').split('\n')) appendLine(line);
      },
    },
    quiet: false,
  });
}
