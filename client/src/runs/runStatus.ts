/**
 * How VS Code shows a run in progress, whichever way it was started (in the background, in a
 * terminal, under the debugger): the "Stepwise Run" status bar item, which the newest run owns,
 * and a cancellable notification, both from the run's RunProgress (./progress.ts).
 */
import * as vscode from 'vscode';
import { commandLink, Commands } from '../contributions';
import type { RunProgress } from './progress';

/** How often the notification's message and the item's elapsed time are brought up to date. */
const NOTIFY_MS = 250;
const ITEM_MS = 1000;

export interface ShownRun {
  title: string;
  progress: RunProgress;
  /** The flow file's name, until the run names its flow. */
  name: string;
  /** Where it runs, for the item's tooltip: `in the terminal`, `under the debugger`; none in the background. */
  where?: string;
  cancel(): void;
  /** Settles when the run is over (or was never found). */
  done: Promise<unknown>;
}

export class RunStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('stepwise.run', vscode.StatusBarAlignment.Left, 50);
  private text = '';
  private lastFile: string | undefined;
  /** The newest run shown: only it may write the item. */
  private latest = 0;

  constructor() {
    this.item.name = 'Stepwise Run';
  }

  /** What the item shows now (for tests). */
  current(): string {
    return this.text;
  }

  /**
   * Shows a run's progress until it is over; returns the token its outcome is shown with. A run
   * followed in the datastore (`where`) shows once it is found there.
   */
  show(run: ShownRun): number {
    const mine = ++this.latest;
    const found = () => !run.where || run.progress.runId !== undefined;
    const tick = () => {
      if (mine === this.latest && found()) this.progressOf(run);
    };
    const ticker = setInterval(tick, ITEM_MS);
    tick();
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: run.title, cancellable: true },
      (report, token) => {
        token.onCancellationRequested(() => run.cancel());
        let last = '';
        const t = setInterval(() => {
          const s = found() ? run.progress.summary() : '';
          if (s !== last) report.report({ message: (last = s) });
        }, NOTIFY_MS);
        return run.done.finally(() => clearInterval(t));
      },
    );
    void run.done.finally(() => clearInterval(ticker));
    return mine;
  }

  /** An event moved the run on: show it now rather than at the next tick. */
  update(mine: number, run: ShownRun): void {
    if (mine === this.latest) this.progressOf(run);
  }

  outcome(mine: number, o: { flow?: string; runId?: string; status: string }, name: string): void {
    if (mine !== this.latest) return; // a later run owns the item
    const icon = o.status === 'succeeded' ? '$(pass)' : o.status === 'killed' ? '$(circle-slash)' : '$(error)';
    this.set(
      `${icon} ${o.flow ?? name} ${o.runId ?? ''} ${o.status}`,
      `Stepwise run ${o.flow ?? ''}/${o.runId ?? ''} ${o.status} — click to show it in the DAG preview`,
      undefined,
    );
  }

  private progressOf(run: ShownRun): void {
    const p = run.progress;
    this.set(
      `$(sync~spin) ${p.flow ?? run.name}: ${p.summary()}`,
      `Stepwise run ${p.flow ?? ''}/${p.runId ?? '…'}${run.where ? ` (${run.where})` : ''} — click to show it in the DAG preview`,
      p.file,
    );
  }

  private set(text: string, tooltip: string, file: string | undefined): void {
    if (file) this.lastFile = file;
    this.text = text;
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.command = this.lastFile ? commandLink(Commands.showDag, 'Show DAG', vscode.Uri.file(this.lastFile)) : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
