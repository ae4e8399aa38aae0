/**
 * Prints run events the way Metaflow does: `2026-01-27 22:59:40.313 [run/step/task (pid N)] line`.
 * On a terminal, wide foreach steps also get a live progress line that never hides output.
 */
import { formatSeconds } from '../api/decoratorOptions';
import type { RunEvent } from '../scheduler/events';
import { progressComplete, progressText } from '../scheduler/progress';
import { taskInRun, taskPathspecOf } from '../pathspec';

export function timestamp(d = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** Where the console writes: a stream (the CLI's stdout) or any sink of text (the Debug Console, VS Code's Output channel). */
export interface ConsoleOut {
  write(text: string): unknown;
  /** A terminal: wide foreach steps get a live progress line instead of a line per tenth. */
  isTTY?: boolean;
}

export interface ConsoleOptions {
  out: ConsoleOut;
  quiet: boolean;
}

export class RunConsole {
  private runId = '';
  private file = '';
  private tasks = 0;
  private cloned = 0;
  private started = Date.now();
  private failures: Array<{ step: string; taskId: string; pathspec: string; text: string }> = [];
  private progress = new Map<string, string>();
  private statusShown = false;
  private lastPlainProgress = new Map<string, number>();

  constructor(private readonly o: ConsoleOptions) {}

  private get tty(): boolean {
    return !!this.o.out.isTTY;
  }

  private write(line: string, important = false): void {
    if (this.o.quiet && !important) return;
    if (this.statusShown) this.o.out.write('\r\x1b[K');
    this.o.out.write(`${line}\n`);
    this.drawStatus();
  }

  private drawStatus(): void {
    if (!this.tty || this.o.quiet || this.progress.size === 0) {
      this.statusShown = false;
      return;
    }
    this.o.out.write([...this.progress.values()].join(' · '));
    this.statusShown = true;
  }

  private prefix(e: { pathspec: string; pid?: number }): string {
    return `${timestamp()} [${taskInRun(taskPathspecOf(e.pathspec))}${e.pid ? ` (pid ${e.pid})` : ''}]`;
  }

  handle(e: RunEvent): void {
    switch (e.type) {
      case 'runStarted':
        this.runId = e.run.runId;
        this.file = e.run.file;
        this.started = Date.now();
        this.write(
          `${timestamp()} Workflow starting (run-id ${e.run.runId}): ${e.run.kind === 'resume' ? `resuming ${e.run.flow}/${e.run.originRunId}` : e.run.flow}`,
        );
        // Metaflow prints the project and branch when a run starts under @project.
        if (e.run.project) this.write(`${timestamp()} Project: ${e.run.project.name}, Branch: ${e.run.project.branch}`);
        break;
      case 'taskStarted':
        this.write(`${this.prefix(e)} ${e.fallback ? 'Recording the failure as caught (@catchFailure).' : startingLine(e)}`);
        break;
      case 'attemptFailed': {
        const then =
          e.then === 'fallback'
            ? '@catchFailure will record it as caught.'
            : `Retrying (attempt ${e.nextAttempt + 1} of ${e.attempts})${e.delayMs ? ` in ${formatSeconds(e.delayMs / 1000)}` : ''}.`;
        this.write(`${this.prefix(e)} Attempt ${e.attempt + 1} of ${e.attempts} failed: ${e.exception.message}. ${then}`);
        break;
      }
      case 'taskLog':
        this.write(`${this.prefix(e)} ${e.line}`);
        break;
      case 'taskFinished':
        this.tasks++;
        if (e.cloned) {
          this.cloned++;
          this.write(`${this.prefix(e)} Cloned from ${e.clonedFrom} (not executed).`);
        } else if (e.caught) {
          this.write(`${this.prefix(e)} Task failed and @catchFailure caught it (${e.caught.type}); the flow goes on.`);
        } else if (e.status === 'succeeded') {
          this.write(`${this.prefix(e)} Task finished successfully.`);
        } else {
          this.write(`${this.prefix(e)} Task ${e.status === 'killed' ? 'was killed' : 'failed'}.`, true);
          this.failures.push({
            step: e.step,
            taskId: e.taskId,
            pathspec: e.pathspec,
            text: e.exception?.stack ?? e.exception?.message ?? '',
          });
        }
        break;
      case 'stepProgress': {
        const text = progressText(e.step, e);
        if (progressComplete(e)) this.progress.delete(e.step);
        else this.progress.set(e.step, text);
        if (!this.tty) {
          // Plain output: a line every tenth of the way, never one per task, and one when done. A
          // nested foreach's total grows as outer items split: it is complete only at the end.
          const decile = progressComplete(e) ? 10 : Math.min(9, Math.floor((e.done * 10) / e.total));
          if (decile > (this.lastPlainProgress.get(e.step) ?? 0)) {
            this.lastPlainProgress.set(e.step, decile);
            this.write(`${timestamp()} ${text}`);
          }
        } else if (!this.o.quiet) {
          if (this.statusShown) this.o.out.write('\r\x1b[K');
          this.drawStatus();
        }
        break;
      }
      case 'message':
        this.write(`${timestamp()} ${e.text}`, e.level === 'error');
        break;
      case 'runFinished': {
        this.progress.clear();
        const secs = ((Date.now() - this.started) / 1000).toFixed(1);
        if (e.status === 'succeeded') {
          this.write(
            `${timestamp()} Done! Run ${this.runId} succeeded: ${this.tasks} tasks${this.cloned ? ` (${this.cloned} cloned)` : ''} in ${secs} s.`,
            true,
          );
          break;
        }
        for (const f of this.failures.filter((x) => x.text)) {
          this.write(`Step failure: step ${f.step} (task ${f.taskId}) failed:\n${indent(f.text)}`, true);
        }
        if (e.reason) this.write(`${timestamp()} ${e.reason}`, true);
        this.write(
          `${timestamp()} Run ${this.runId} ${e.status === 'killed' ? 'was killed' : 'failed'} after ${secs} s.${e.status !== 'killed' || this.failures.length ? ` Fix the flow, then resume it: stepwise resume ${this.file}` : ''}`,
          true,
        );
        break;
      }
    }
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** "Task is starting." — with the retry it is and where it runs (a Slurm job), when either applies. */
function startingLine(e: Extract<RunEvent, { type: 'taskStarted' }>): string {
  const notes = [...(e.attempt ? [`retry ${e.attempt}`] : []), ...(e.where ? [e.where] : [])];
  return `Task is starting${notes.length ? ` (${notes.join(', ')})` : ''}.`;
}
