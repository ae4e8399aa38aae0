/**
 * Runs started from VS Code: the CLI as a subprocess with `--json-events`, its progress in a
 * status bar item and a cancellable notification, its console in the "Stepwise Runs" output
 * channel (log grammar), and on failure a notification offering the logs and a debug resume.
 */
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { LOG_SCHEME, refToUri } from '../explorer/documents';
import { datastoreProcessEnv, datastoreRootFor, localRootFor } from '../datastore';
import { taskIsolationEnv } from '../taskIsolation';
import { Flow, Task, type RunClient } from '../../../runtime/src/client';
import { timestamp } from '../../../runtime/src/run/console';
import { RunProgress, lineConsole } from './progress';
import { datastoreProgress, findRun } from './terminalRuns';
import { requireTrust } from '../trust';
import { escapeControls } from '../../../runtime/src/terminalText';
import { commandLink, Commands, executeCommand, LOG_LANGUAGE } from '../contributions';
import { configuredNode } from '../nodeRuntime';
import { showMessage } from '../messages';
import { cliError, firstLine } from './errorLine';

/** How often a run started in a terminal is re-read while it runs. */
const FOLLOW_INTERVAL_MS = 500;

export interface StartRunOptions {
  file: string;
  /** Where the CLI runs (the datastore is found from there): the flow's workspace folder. */
  cwd: string;
  command: 'run' | 'resume';
  /** Extra CLI arguments: a resume step, `--origin-run-id`, parameters… */
  args?: string[];
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
  private readonly item = vscode.window.createStatusBarItem('stepwise.run', vscode.StatusBarAlignment.Left, 50);
  private readonly started = new vscode.EventEmitter<{ runId: string; flow: string; file: string }>();
  private readonly finished = new vscode.EventEmitter<RunOutcome>();
  /** Fires once the CLI reports the run's id. */
  readonly onDidStart = this.started.event;
  readonly onDidFinish = this.finished.event;
  private lastStatusText = '';
  /** The newest run started or followed: only it may write the status bar item. */
  private latest = 0;

  /** `cliFor(file)`: the CLI of the Stepwise installation that serves the flow (runtimeSelection.ts). */
  constructor(private readonly cliFor: (file: string) => string) {
    this.item.name = 'Stepwise Run';
  }

  /** What the status bar item shows now (for tests). */
  statusText(): string {
    return this.lastStatusText;
  }

  start(o: StartRunOptions): Promise<RunOutcome> {
    // Every run started from VS Code comes here (Run with Progress, the explorer's Resume, the API).
    if (!requireTrust(o.command === 'resume' ? 'resume the run' : 'run the flow')) {
      return Promise.resolve({ status: 'error', exitCode: null, failedTasks: [], root: localRootFor(o.cwd) });
    }
    let root: string;
    try {
      root = datastoreRootFor(o.cwd, vscode.Uri.file(o.file));
    } catch (err) {
      // Bad datastore settings: the message names them; nothing is started.
      void vscode.window.showErrorMessage(`Stepwise: ${err instanceof Error ? err.message : String(err)}`);
      return Promise.resolve({ status: 'error', exitCode: null, failedTasks: [], root: localRootFor(o.cwd) });
    }
    const node = configuredNode(vscode.Uri.file(o.file));
    const argv = [this.cliFor(o.file), o.command, o.file, ...(o.args ?? []), '--json-events'];
    const progress = new RunProgress();
    const mine = ++this.latest;
    // Each failed task's exception, for the notification's first line.
    const exceptions = new Map<string, { name?: string; message?: string }>();
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
        progress.apply(e);
        lines.handle(e);
        if (e.type === 'taskFinished' && e.status !== 'succeeded' && e.exception) exceptions.set(e.pathspec, e.exception);
        if (e.type === 'runStarted') this.started.fire({ runId: e.run.runId, flow: e.run.flow, file: e.run.file });
        this.show(progress, name, mine);
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
        const f = progress.finished;
        const failedTasks = f?.failedTasks ?? [];
        const error = failedTasks[0] ? firstLine(exceptions.get(failedTasks[0])) : undefined;
        resolve({
          runId: progress.runId,
          flow: progress.flow,
          status: f ? f.status : 'error',
          exitCode: code,
          failedTasks,
          root,
          // No task failed, yet the CLI did (the flow does not compile, a package is missing…): its error.
          error: error ?? cliError(stderr),
        });
      });
    });

    const ticker = setInterval(() => this.show(progress, name, mine), 1000);
    this.show(progress, name, mine);
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Stepwise: ${o.command === 'resume' ? 'resuming' : 'running'} ${name}`,
        cancellable: true,
      },
      (report, token) => {
        token.onCancellationRequested(() => {
          this.output.appendLine(`${timestamp()} Cancelled from VS Code: stopping the run.`);
          // The CLI treats SIGINT as Ctrl-C: it kills its tasks and marks the run killed.
          child.kill('SIGINT');
        });
        let last = '';
        const t = setInterval(() => {
          const s = progress.summary();
          if (s !== last) report.report({ message: (last = s) });
        }, 250);
        return done.finally(() => {
          clearInterval(t);
        });
      },
    );

    return done.then((outcome) => {
      clearInterval(ticker);
      this.showOutcome(outcome, name, mine);
      this.finished.fire(outcome);
      if (outcome.status === 'failed' || outcome.status === 'error') void this.offerHelp(o, outcome, stderr);
      return outcome;
    });
  }

  /**
   * A run started elsewhere (the Run CodeLens' terminal): found and followed in the datastore
   * until it ends, with the same status bar item, notification and failure actions.
   */
  async follow(t: {
    file: string;
    cwd: string;
    command: 'run' | 'resume';
    since: number;
    ended: Promise<void>;
    cancel: () => void;
    /** Where it runs, for the notification: `in the terminal` (default), `under the debugger`. */
    where?: string;
  }): Promise<void> {
    const mine = ++this.latest;
    let root: string;
    try {
      root = datastoreRootFor(t.cwd, vscode.Uri.file(t.file));
    } catch {
      return; // bad datastore settings: the run in the terminal says so itself
    }
    const name = t.file.split(/[\\/]/).pop() ?? t.file;
    let shellEnded = false;
    void t.ended.then(() => (shellEnded = true));
    let run: RunClient | undefined;
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Stepwise: ${t.command === 'resume' ? 'resuming' : 'running'} ${name} ${t.where ?? 'in the terminal'}`,
        cancellable: true,
      },
      async (report, token) => {
        token.onCancellationRequested(t.cancel);
        let afterEnd = 0;
        for (;;) {
          const found = run ?? (await findRun(root, t.file, t.since).catch(() => undefined));
          // Re-read the record each time: its end appears when the run is over.
          run = found
            ? await Flow(found.flowName, { root })
                .run(found.id)
                .catch(() => found)
            : undefined;
          if (run) {
            if (!this.seen.has(run.pathspec)) {
              this.seen.add(run.pathspec);
              this.started.fire({ runId: run.id, flow: run.flowName, file: run.file });
            }
            const text = await datastoreProgress(run).catch(() => '');
            report.report({ message: text });
            if (mine === this.latest)
              this.setItem(
                `$(sync~spin) ${run.flowName}: ${text}`,
                `Stepwise run ${run.pathspec} (${t.where ?? 'in the terminal'}) — click to show it in the DAG preview`,
                run.file,
              );
            if (run.finished) break;
          }
          // The shell command ended: the run (if it started) is over or about to be.
          if (shellEnded && (!run || ++afterEnd > 20)) break;
          await new Promise((r) => setTimeout(r, FOLLOW_INTERVAL_MS));
        }
      },
    );
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
    this.showOutcome(outcome, name, mine);
    this.finished.fire(outcome);
    if (outcome.status === 'failed') void this.offerHelp({ file: t.file, cwd: t.cwd, command: t.command }, outcome, []);
  }

  private readonly seen = new Set<string>();

  private show(p: RunProgress, name: string, mine: number): void {
    if (mine !== this.latest) return; // a later run owns the item
    const text = `$(sync~spin) ${p.flow ?? name}: ${p.summary()}`;
    this.setItem(text, `Stepwise run ${p.flow ?? ''}/${p.runId ?? '…'} — click to show it in the DAG preview`, p.file);
  }

  private showOutcome(o: RunOutcome, name: string, mine: number): void {
    if (mine !== this.latest) return;
    const icon = o.status === 'succeeded' ? '$(pass)' : o.status === 'killed' ? '$(circle-slash)' : '$(error)';
    this.setItem(
      `${icon} ${o.flow ?? name} ${o.runId ?? ''} ${o.status}`,
      `Stepwise run ${o.flow ?? ''}/${o.runId ?? ''} ${o.status} — click to show it in the DAG preview`,
      undefined,
    );
  }

  private lastFile: string | undefined;
  private setItem(text: string, tooltip: string, file: string | undefined): void {
    if (file) this.lastFile = file;
    this.lastStatusText = text;
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = this.lastFile ? commandLink(Commands.showDag, 'Show DAG', vscode.Uri.file(this.lastFile)) : undefined;
    this.item.show();
  }

  private async offerHelp(o: StartRunOptions, outcome: RunOutcome, stderr: string[]): Promise<void> {
    const first = outcome.failedTasks[0];
    const what = first
      ? `step ${first.split('/')[2]} (task ${first.split('/')[3]}) failed${outcome.error ? `: ${outcome.error}` : ''}`
      : (outcome.error ?? stderr.slice(-1)[0] ?? `the CLI exited with code ${outcome.exitCode}`);
    const actions = outcome.runId ? ['Show logs', ...(first ? ['Open in Notebook'] : []), 'Resume (debug)'] : ['Show logs'];
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
    } else if (pick === 'Resume (debug)' && outcome.runId) {
      await executeCommand(Commands.resumeDebug, vscode.Uri.file(o.file), {
        originRunId: outcome.runId,
        step: first?.split('/')[2],
      });
    }
  }

  dispose(): void {
    this.item.dispose();
    this.output.dispose();
    this.started.dispose();
    this.finished.dispose();
  }
}
