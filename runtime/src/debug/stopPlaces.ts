/**
 * Where a stop can happen, and so which tasks start under the inspector. Attaching js-debug costs
 * about 0.4 s per task (over 2 s on a busy machine), so under the debugger a task is attached
 * only when it can stop: a breakpoint or logpoint in its step's lines; any breakpoint in a module
 * compiled with the flow or in a package (an imported module may run in any step) or in the flow
 * file outside every step (a helper, a field initialiser); exception breakpoints on; or after the
 * user pressed Pause. A breakpoint in a file the flow never loads (another flow) attaches nothing. The adapter learns breakpoints from DAP (VS Code sends every source's breakpoints to
 * every session), so one added while the run goes on applies from the next task.
 */
import { resolve, sep } from 'node:path';
import type { FlowGraph } from '../graph/types';
import type { TaskInspection } from '../task/spec';

/** Sources whose breakpoints can be hit by code a task runs. */
const CODE_FILE = /\.(?:[cm]?[jt]sx?)$/i;

export class StopPlaces {
  /** Breakpoint lines (1-based) by absolute source path. */
  private readonly lines = new Map<string, number[]>();
  private exceptionFilters: string[] = [];
  private paused = false;
  private pauseDue = false;
  private flowFile: string | undefined;
  /** Files compiled into the flow's bundle; undefined until the run is prepared. */
  private sources: Set<string> | undefined;
  /** 1-based [first, last] line of each step's method. */
  private stepLines = new Map<string, [number, number]>();

  /** The run's flow: its file, its steps' lines, and the modules compiled with it. */
  setFlow(file: string, graph: FlowGraph, sources: readonly string[]): void {
    this.flowFile = resolve(file);
    this.sources = new Set(sources.map((f) => resolve(f)));
    this.stepLines = new Map(graph.steps.map((s) => [s.name, [s.range.start.line + 1, s.range.end.line + 1]]));
  }

  /** DAP setBreakpoints: the whole set of one source (an empty list clears it). */
  setBreakpoints(path: string, lines: number[]): void {
    const file = resolve(path);
    if (lines.length) this.lines.set(file, [...lines]);
    else this.lines.delete(file);
  }

  /** DAP setExceptionBreakpoints: any filter on can stop any task. */
  setExceptionFilters(filters: string[]): void {
    this.exceptionFilters = [...filters];
  }

  /** The user pressed Pause: the next task stops before its step; every later task is attached. */
  pause(): void {
    this.paused = true;
    this.pauseDue = true;
  }

  /** A new run (a restart): Pause applied to the run before. */
  newRun(): void {
    this.paused = false;
    this.pauseDue = false;
  }

  /** Decides for the task about to start (once per task). */
  inspectionOf(step: string): TaskInspection {
    if (this.pauseDue) {
      this.pauseDue = false;
      return 'pauseBeforeStep';
    }
    return this.canStop(step) ? 'attach' : 'none';
  }

  private canStop(step: string): boolean {
    if (this.paused || this.exceptionFilters.length) return true;
    for (const [file, lines] of this.lines) {
      if (!this.canRun(file)) continue;
      if (file !== this.flowFile) return true;
      if (lines.some((line) => this.stepAt(line) === undefined || this.stepAt(line) === step)) return true;
    }
    return false;
  }

  /**
   * Code a task may run: the flow and the modules bundled with it, and any package (the bundle
   * leaves packages external, so a task loads them from node_modules). Another flow's file, a
   * script or a test elsewhere in the workspace is never loaded by this flow's tasks.
   */
  private canRun(file: string): boolean {
    if (!CODE_FILE.test(file)) return false;
    if (!this.sources || this.sources.has(file)) return true;
    return file.split(sep).includes('node_modules');
  }

  private stepAt(line: number): string | undefined {
    for (const [name, [first, last]] of this.stepLines) if (line >= first && line <= last) return name;
    return undefined;
  }
}
