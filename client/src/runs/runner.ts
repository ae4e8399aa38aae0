/**
 * Runs started or seen from VS Code: the CLI as a subprocess with `--json-events`, and runs
 * started in a terminal or under the debugger, followed in the datastore (./followRun.ts). Each
 * shows its progress the one way (./runStatus.ts), a background run its console in the "Stepwise
 * Runs" output channel (log grammar), and on failure a notification offering the logs, the
 * failed task in a notebook or under the debugger, and a debug resume.
 */
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { LOG_SCHEME, refToUri } from '../explorer/documents';
import { datastoreProcessEnv, localRootFor } from '../datastore';
import { taskIsolationEnv } from '../taskIsolation';
import { Flow, Task } from '../../../runtime/src/client';
import type { RunEvent } from '../../../runtime/src/scheduler/events';
import { timestamp } from '../../../runtime/src/run/console';
import { EventRun, RunProgress, lineConsole } from './progress';
import { followInDatastore, type FollowedRun } from './followRun';
import { RunStatusItem, type ShownRun } from './runStatus';
import type { RunStateService } from '../state/service';
import { requireTrust } from '../trust';
import { escapeControls } from '../../../runtime/src/terminalText';
import { parseTaskPathspec } from '../../../runtime/src/pathspec';
import { Commands, executeCommand, LOG_LANGUAGE } from '../contributions';
import { configuredNode } from '../nodeRuntime';
import { showMessage } from '../messages';
import { cliError, firstLine } from './errorLine';

export type { FollowedRun } from './followRun';

export interface StartRunOptions {
  file: string;
  /** Where the CLI runs (the datastore is found from there): the flow's workspace folder. */
  cwd: string;
  command: 'run' | 'resume';
  /** Extra CLI arguments: a resume step, `--origin-run-id`, parameters… */
  args?: string[];
}

/** A debug session's run, as runs/index.ts sees it start. */
export interface DebugSessionRun {
  file: string;
  cwd: string;
  command: 'run' | 'resume';
  /** The run's events, forwarded by the adapter. */
  events: vscode.Event<RunEvent>;
  /** Settles when the session has ended. */
  ended: Promise<void>;
  cancel(): void;
}

export interface RunOutcome {
  runId?: string;
  flow?: string;
  status: 'succeeded' | 'failed' | 'killed' | 'error';
  exitCode: number | null;
  failedTasks: string[];
  /** The datastore the run wrote to. */
  root: string;
  /** The first line of what went wrong: the first failed task's exception, or the CLI's error. */
  error?: string;
}

export class FlowRunner implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Stepwise Runs', LOG_LANGUAGE);
  /** The channel, with flow text escaped as on a terminal (runtime/src/terminalText.ts). */
  readonly output = {
    appendLine: (line: string) => this.channel.appendLine(escapeControls(line)),
    show: (preserveFocus?: boolean) => this.channel.show(preserveFocus),
    dispose: () => this.channel.dispose(),
  };
  private readonly status = new RunStatusItem();
  private readonly started = new vscode.EventEmitter<{ runId: string; flow: string; file: string }>();
  private readonly finished = new vscode.EventEmitter<RunOutcome>();
  /** Fires once the CLI reports the run's id. */
  readonly onDidStart = this.started.event;
  readonly onDidFinish = this.finished.event;

  /**
   * `cliFor(file)`: the CLI of the Stepwise installation that serves the flow (runtimeSelection.ts);
   * `state`: where the flow's datastore is, and the feed its runs are followed through.
   */
  constructor(
    private readonly cliFor: (file: string) => string,
    private readonly state: RunStateService,
  ) {}

  /** What the status bar item shows now (for tests). */
  statusText(): string {
    return this.status.current();
  }

  start(o: StartRunOptions): Promise<RunOutcome> {
    // Every run started from VS Code comes here (Run with Progress, the explorer's Resume, the API).
    if (!requireTrust(o.command === 'resume' ? 'resume the run' : 'run the flow')) {
      return Promise.resolve({ status: 'error', exitCode: null, failedTasks: [], root: localRootFor(o.cwd) });
    }
    let root: string;
    try {
      root = this.state.datastoreOf(o.file, o.cwd);
    } catch (err) {
      // Bad datastore settings: the message names them; nothing is started.
      void vscode.window.showErrorMessage(`Stepwise: ${err instanceof Error ? err.message : String(err)}`);
      return Promise.resolve({ status: 'error', exitCode: null, failedTasks: [], root: localRootFor(o.cwd) });
    }
    const node = configuredNode(vscode.Uri.file(o.file));
    const argv = [this.cliFor(o.file), o.command, o.file, ...(o.args ?? []), '--json-events'];
    const run = new EventRun();
    const lines = lineConsole((line) => this.output.appendLine(line));
    const name = o.file.split(/[\\/]/).pop() ?? o.file;
    this.output.appendLine(`${timestamp()} $ stepwise ${[o.command, o.file, ...(o.args ?? [])].join(' ')}`);

    const scope = vscode.Uri.file(o.file);
    const env = { ...process.env, ...node.env, ...datastoreProcessEnv(scope), ...taskIsolationEnv(scope) };
    const child = spawn(node.command, argv, { cwd: o.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    const done = new Promise<RunOutcome>((resolve) => {
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        const e = RunProgress.parse(line);
        if (!e) return this.output.appendLine(line);
        lines.handle(e);
        this.onEvent(root, run, e, mine, shown);
      });
      readline.createInterface({ input: child.stderr }).on('line', (line) => {
        stderr.push(line);
        this.output.appendLine(line);
      });
      child.on('error', (err) => {
        this.output.appendLine(
          `${timestamp()} Cannot start ${node.command}: ${err.message}. Set stepwise.nodePath to a Node 20+ executable.`,
        );
        resolve({ status: 'error', exitCode: null, failedTasks: [], root });
      });
      child.on('close', (code) => {
        const outcome = outcomeOf(run, root, code);
        // No task failed, yet the CLI did (the flow does not compile, a package is missing…): its error.
        resolve({ ...outcome, error: outcome.error ?? cliError(stderr) });
      });
    });

    const shown = {
      title: `Stepwise: ${o.command === 'resume' ? 'resuming' : 'running'} ${name}`,
      progress: run.progress,
      name,
      cancel: () => {
        this.output.appendLine(`${timestamp()} Cancelled from VS Code: stopping the run.`);
        // The CLI treats SIGINT as Ctrl-C: it kills its tasks and marks the run killed.
        child.kill('SIGINT');
      },
      done,
    };
    const mine = this.status.show(shown);

    return done.then((outcome) => {
      this.ended(outcome, name, mine);
      if (outcome.status === 'failed' || outcome.status === 'error') void this.offerHelp(o, outcome, stderr);
      return outcome;
    });
  }

  /** One event of a run followed through its events: its progress, its start, the status bar item. */
  private onEvent(root: string, run: EventRun, e: RunEvent, mine: number, shown: ShownRun): void {
    run.apply(e);
    if (e.type === 'runStarted') {
      this.state.announce(root, e.run.flow, e.run.runId);
      this.started.fire({ runId: e.run.runId, flow: e.run.flow, file: e.run.file });
    }
    this.status.update(mine, shown);
  }

  /** A run is over: its outcome on the item, to the datastore's subscribers and to listeners. */
  private ended(outcome: RunOutcome, name: string, mine: number): void {
    this.status.outcome(mine, outcome, name);
    if (outcome.flow && outcome.runId) this.state.announce(outcome.root, outcome.flow, outcome.runId);
    this.finished.fire(outcome);
  }

  /**
   * A run under the debugger (F5, Ctrl+F5, Resume (Debug)): the adapter forwards the run's events
   * as custom events, followed exactly as a background run's `--json-events`.
   */
  async followSession(d: DebugSessionRun): Promise<void> {
    let root: string;
    try {
      root = this.state.datastoreOf(d.file, d.cwd);
    } catch {
      return; // bad datastore settings: the debug session says so itself
    }
    const name = d.file.split(/[\\/]/).pop() ?? d.file;
    const run = new EventRun();
    const shown: ShownRun = {
      title: `Stepwise: ${d.command === 'resume' ? 'resuming' : 'running'} ${name} under the debugger`,
      progress: run.progress,
      name,
      where: 'under the debugger',
      cancel: d.cancel,
      done: d.ended,
    };
    const sub = d.events((e) => this.onEvent(root, run, e, mine, shown));
    const mine = this.status.show(shown);
    await d.ended;
    sub.dispose();
    const p = run.progress;
    if (!p.runId || !p.flow) return;
    const outcome = outcomeOf(run, root, null);
    if (!p.finished) {
      // Ended without its last event (the session was torn down): the record says how the run ended.
      const record = await Flow(p.flow, { root })
        .run(p.runId)
        .catch(() => undefined);
      if (record?.finished) outcome.status = record.status as RunOutcome['status'];
    }
    this.ended(outcome, name, mine);
    if (outcome.status === 'failed') void this.offerHelp({ file: d.file, cwd: d.cwd, command: d.command }, outcome, []);
  }

  private readonly seen = new Set<string>();

  /**
   * A run started in a terminal (the Run CodeLens, or typed): found and followed in the
   * datastore until it ends, with the same status bar item, notification and failure actions.
   */
  async follow(t: FollowedRun): Promise<void> {
    let root: string;
    try {
      root = this.state.datastoreOf(t.file, t.cwd);
    } catch {
      return; // bad datastore settings: the run in the terminal says so itself
    }
    const name = t.file.split(/[\\/]/).pop() ?? t.file;
    const progress = new RunProgress();
    const done = followInDatastore(this.state, root, t, progress, (run) => {
      // The same run seen twice (two followers of one command line) starts once.
      if (this.seen.has(run.pathspec)) return;
      this.seen.add(run.pathspec);
      this.state.announce(root, run.flowName, run.id);
      this.started.fire({ runId: run.id, flow: run.flowName, file: run.file });
    });
    const where = 'in the terminal';
    const mine = this.status.show({
      title: `Stepwise: ${t.command === 'resume' ? 'resuming' : 'running'} ${name} ${where}`,
      progress,
      name,
      where,
      cancel: t.cancel,
      done,
    });
    const run = await done;
    if (!run) return;
    const failedTasks = run.end?.failedTasks ?? [];
    const outcome: RunOutcome = {
      runId: run.id,
      flow: run.flowName,
      status: run.finished ? (run.status as RunOutcome['status']) : 'error',
      exitCode: null,
      failedTasks,
      root,
      error: failedTasks[0]
        ? await Task(failedTasks[0], { root })
            .then((task) => firstLine(task.exception))
            .catch(() => undefined)
        : undefined,
    };
    this.ended(outcome, name, mine);
    if (outcome.status === 'failed') void this.offerHelp({ file: t.file, cwd: t.cwd, command: t.command }, outcome, []);
  }

  private async offerHelp(o: StartRunOptions, outcome: RunOutcome, stderr: string[]): Promise<void> {
    const first = outcome.failedTasks[0];
    const task = first ? parseTaskPathspec(first) : undefined;
    const what = task
      ? `step ${task.step} (task ${task.taskId}) failed${outcome.error ? `: ${outcome.error}` : ''}`
      : (outcome.error ?? stderr.slice(-1)[0] ?? `the CLI exited with code ${outcome.exitCode}`);
    const actions = outcome.runId ? ['Show logs', ...(first ? ['Open in Notebook', 'Debug Task'] : []), 'Resume (debug)'] : ['Show logs'];
    const pick = await showMessage(
      'error',
      `Stepwise: ${[outcome.flow ?? o.file, outcome.runId].filter(Boolean).join(' ')} failed: ${what}`,
      ...actions,
    );
    if (pick === 'Show logs') {
      this.output.show(true);
      if (first) {
        const uri = vscode.Uri.from(refToUri(LOG_SCHEME, { root: outcome.root, pathspec: first, name: 'stderr' }));
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.languages.setTextDocumentLanguage(doc, LOG_LANGUAGE);
        await vscode.window.showTextDocument(doc, { preview: true });
      }
    } else if (pick === 'Open in Notebook' && first) {
      await executeCommand(Commands.openTaskNotebook, first);
    } else if (pick === 'Debug Task' && task) {
      // The failed task again, under the debugger, in a spin run of its own (debug/commands.ts).
      await executeCommand(Commands.debugTask, vscode.Uri.file(o.file), `${task.runId}/${task.step}/${task.taskId}`);
    } else if (pick === 'Resume (debug)' && outcome.runId) {
      await executeCommand(Commands.resumeDebug, vscode.Uri.file(o.file), {
        originRunId: outcome.runId,
        step: task?.step,
      });
    }
  }

  dispose(): void {
    this.status.dispose();
    this.output.dispose();
    this.started.dispose();
    this.finished.dispose();
  }
}

/** The outcome a run's events tell (its status, failed tasks and their first error line). */
function outcomeOf(run: EventRun, root: string, exitCode: number | null): RunOutcome {
  const p = run.progress;
  return {
    runId: p.runId,
    flow: p.flow,
    status: p.finished ? p.finished.status : 'error',
    exitCode,
    failedTasks: p.finished?.failedTasks ?? [],
    root,
    error: run.error(),
  };
}
