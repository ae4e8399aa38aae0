/**
 * Keeps the preview's run picker and overlay current for one flow: reads its runs through the
 * run-state service and re-reads on each change of the flow's datastore feed (a run started from
 * a terminal included). The newest run is shown unless the user picked another; a new run
 * appearing takes over again.
 */
import * as vscode from 'vscode';
import type { RunOverlay } from '../../../webview/src/messages';
import type { RunStateService } from '../state/service';
import type { RunInfo } from '../state/runs';

export interface RunView {
  runs: RunInfo[];
  selected?: string;
  overlay: RunOverlay | null;
}

/** Re-read pace: while a run runs, and otherwise (a backstop for file events that never come). */
const LIVE_POLL_MS = 1000;
const IDLE_POLL_MS = 3000;

export class RunTracker implements vscode.Disposable {
  private root: string | undefined;
  private flowName: string | undefined;
  private feed: vscode.Disposable | undefined;
  private pinned: string | undefined;
  private newest: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private readonly emitter = new vscode.EventEmitter<RunView>();
  readonly onDidChange = this.emitter.event;
  view: RunView = { runs: [], overlay: null };
  private fired = false;

  constructor(
    private readonly state: RunStateService | undefined,
    private readonly log?: vscode.LogOutputChannel,
  ) {}

  /** Follows the flow `flowName` defined in `file`. */
  follow(file: string | undefined, flowName: string | undefined): void {
    const root = file ? this.rootOf(file) : undefined;
    if (root === this.root && flowName === this.flowName) return;
    if (flowName !== this.flowName) {
      this.pinned = undefined;
      this.newest = undefined;
      // Never show one flow's runs on another's graph (steps named alike, `start` and `end` at
      // least, would take their colours) while the new flow's runs are read.
      if (this.view.runs.length || this.view.overlay) {
        this.view = { runs: [], overlay: null };
        this.emitter.fire(this.view);
      }
    }
    this.flowName = flowName;
    if (root !== this.root) {
      this.feed?.dispose();
      this.feed = undefined;
      this.root = root;
      if (root && this.state) {
        this.feed = this.state.subscribe(root, {
          on: () => this.schedule(),
          // A runner that dies writes nothing a watcher could see, watchers may drop events under
          // a burst of writes, and a datastore folder created after the watch may go unseen.
          every: () => (this.flowName ? (this.view.runs.some((r) => r.status === 'running') ? LIVE_POLL_MS : IDLE_POLL_MS) : undefined),
        });
      }
    }
    this.schedule(0);
  }

  /** The datastore's location; bad datastore settings show no runs (and say why in the log). */
  private rootOf(file: string): string | undefined {
    try {
      return this.state?.datastoreOf(file);
    } catch (e) {
      this.log?.warn(`preview: no runs to show: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  select(runId: string): void {
    this.pinned = runId;
    this.schedule(0);
  }

  refresh(): void {
    this.schedule(0);
  }

  /** Batches changes that come close together into one read. */
  private schedule(ms = 0): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.read();
    }, ms);
  }

  private async read(): Promise<void> {
    const gen = ++this.generation;
    const { state, root, flowName } = this;
    let view: RunView = { runs: [], overlay: null };
    if (state && root && flowName) {
      try {
        const runs = await state.reads.listRuns(root, flowName);
        if (runs[0] && runs[0].runId !== this.newest) {
          // A new run started: show it, even over an earlier pick.
          if (this.newest !== undefined) this.pinned = undefined;
          this.newest = runs[0].runId;
        }
        const selected = runs.find((r) => r.runId === this.pinned)?.runId ?? runs[0]?.runId;
        const overlay = selected ? await state.reads.runOverlay(root, flowName, selected) : null;
        view = { runs, selected, overlay };
      } catch (e) {
        this.log?.warn(`preview: could not read runs of ${flowName}: ${e instanceof Error ? e.message : String(e)}`);
        view = this.view;
      }
    }
    if (gen !== this.generation) return; // a newer read started meanwhile
    const changed = JSON.stringify(view) !== JSON.stringify(this.view) || !this.fired;
    const wasLive = this.view.runs.some((r) => r.status === 'running');
    this.view = view;
    this.fired = true;
    if (changed) this.emitter.fire(view);
    if (root && wasLive !== view.runs.some((r) => r.status === 'running')) this.state?.repace(root);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.feed?.dispose();
    this.emitter.dispose();
  }
}
