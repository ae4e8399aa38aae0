/**
 * The DAG preview panel: one webview beside the editor that follows the active flow document,
 * fed by the language server's graph notifications, and sending clicks back as editor moves.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { rangeContains } from '../../../runtime/src/graph/range';
import type { FlowGraph } from '../../../runtime/src/graph/types';
import { parseTaskInRun } from '../../../runtime/src/pathspec';
import type { FlowGraphParams } from '../../../server/src/protocol';
import { renderPreviewHtml } from '../../../webview/src/html';
import type { FromWebview, PreviewState, ToWebview } from '../../../webview/src/messages';
import { affectsSetting, ContextKeys, DAG_WEBVIEW, readSetting, setContext, Settings } from '../contributions';
import { isFlowDocument } from '../flowDetection';
import { PausedTaskTracker } from './pausedTask';
import { judgeGraph } from './problem';
import { RunTracker, type RunView } from './runTracker';
import type { PreviewDeps, RenderEvent } from './types';

export class PreviewController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubs: vscode.Disposable[] = [];
  private ready = false;
  private uri: vscode.Uri | undefined;
  private highlighted: string | null = null;
  /** The last graph without errors per document: reveal still works while the file is broken. */
  private readonly lastGood = new Map<string, FlowGraph>();
  private readonly lastSent = new Map<string, FlowGraph>();
  private readonly runs: RunTracker;
  private readonly paused = new PausedTaskTracker();
  private readonly renderEmitter = new vscode.EventEmitter<RenderEvent>();
  readonly onDidRender = this.renderEmitter.event;
  private readonly exportEmitter = new vscode.EventEmitter<{ format: 'svg' | 'png'; bytes: number }>();
  readonly onDidExport = this.exportEmitter.event;
  private readonly subs: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: PreviewDeps,
  ) {
    this.runs = new RunTracker(deps.state, deps.log);
    this.subs = [
      this.runs,
      this.paused,
      this.renderEmitter,
      this.exportEmitter,
      deps.graphs.onDidChange((p) => this.onGraph(p)),
      vscode.window.onDidChangeActiveTextEditor((e) => this.onActiveEditor(e)),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e.textEditor)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsSetting(e, Settings.previewDirection)) this.post(this.settings());
      }),
      this.runs.onDidChange(() => this.postRuns()),
      this.paused.onDidChange(() => this.postRuns()),
      // The editor-title button shows on flow files only.
      vscode.window.onDidChangeActiveTextEditor(() => this.updateFlowContext()),
      deps.graphs.onDidChange(() => this.updateFlowContext()),
    ];
    this.updateFlowContext();
  }

  private isFlowContext: boolean | undefined;

  /**
   * `stepwise.activeEditorIsFlow`: the editor-title button and the F5 / Ctrl+F5 keybindings. Until
   * the server has read a just-opened file, the text check stands in for its answer.
   */
  private updateFlowContext(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const value = !!doc && isFlowDocument(doc, this.deps.graphs.get(doc.uri));
    if (value === this.isFlowContext) return;
    this.isFlowContext = value;
    void setContext(ContextKeys.activeEditorIsFlow, value);
  }

  isOpen(): boolean {
    return this.panel !== undefined;
  }

  currentUri(): vscode.Uri | undefined {
    return this.uri;
  }

  /** Fires when the runs, the overlaid run or the task the debugger holds change. */
  get onDidChangeRuns(): vscode.Event<void> {
    return (listener, thisArg, disposables) => {
      const subs = [
        this.runs.onDidChange(() => listener.call(thisArg, undefined)),
        this.paused.onDidChange(() => listener.call(thisArg, undefined)),
      ];
      const d = vscode.Disposable.from(...subs);
      disposables?.push(d);
      return d;
    };
  }

  /** What the preview shows of the runs: the overlay carries the paused task when it is of that run. */
  runView(): RunView {
    const v = this.runs.view;
    const pausedTask = this.paused.pathspec;
    return v.overlay && pausedTask && parseTaskInRun(pausedTask)?.runId === v.overlay.runId
      ? { ...v, overlay: { ...v.overlay, pausedTask } }
      : v;
  }

  highlightedStep(): string | null {
    return this.highlighted;
  }

  lastGraph(uri: vscode.Uri): FlowGraph | undefined {
    return this.lastSent.get(uri.toString());
  }

  /** The command: open beside the editor (or reveal) on `uri` or the active editor's document. */
  async show(uri?: vscode.Uri): Promise<void> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        DAG_WEBVIEW,
        'Stepwise DAG',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        this.webviewOptions(),
      );
      this.adopt(panel);
    } else {
      this.panel.reveal(undefined, true);
    }
    if (target) await this.follow(target, true);
  }

  /** A panel restored by the serializer after a reload. */
  async restore(panel: vscode.WebviewPanel, state: PreviewState | undefined): Promise<void> {
    this.adopt(panel);
    const uri = state?.uri ? vscode.Uri.parse(state.uri) : vscode.window.activeTextEditor?.document.uri;
    if (uri) await this.follow(uri, true);
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')] };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.disposePanel();
    this.panel = panel;
    this.ready = false;
    panel.webview.options = this.webviewOptions();
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    panel.webview.html = renderPreviewHtml({
      cspSource: panel.webview.cspSource,
      nonce: randomBytes(18).toString('base64url'),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'preview.css')).toString(),
    });
    this.panelSubs = [
      panel.webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m)),
      // A hidden webview is torn down; it says `ready` again when shown and gets everything anew.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.ready = false;
          this.disposePanelSubs();
        }
      }),
    ];
  }

  /** Points the preview at a document if it holds a flow (asking the server when it has not said yet). */
  private async follow(uri: vscode.Uri, force = false): Promise<void> {
    let params = this.deps.graphs.get(uri);
    if (!params) {
      try {
        params = (await this.deps.requestGraph(uri)) ?? undefined;
      } catch (e) {
        this.deps.log?.warn(`preview: no graph for ${uri.toString()}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const isFlow = !!params?.graph?.flowName;
    if (!isFlow && !force) return; // a helper module: keep showing the flow we had
    if (!isFlow && this.uri) return;
    this.setUri(uri, params);
  }

  private setUri(uri: vscode.Uri, params: FlowGraphParams | undefined): void {
    const changed = this.uri?.toString() !== uri.toString();
    this.uri = uri;
    if (changed) this.highlighted = null;
    if (params) this.sendGraph(params);
    else this.post({ type: 'noFlow', reason: `Waiting for the Stepwise language server to read ${vscode.workspace.asRelativePath(uri)}…` });
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    if (editor) this.onSelection(editor);
    this.followRuns(params);
  }

  /** The datastore settings or folders changed: read the runs of the store they now choose. */
  datastoreChanged(): void {
    this.followRuns(undefined);
  }

  private followRuns(params: FlowGraphParams | undefined): void {
    const graph = this.uri ? this.lastGood.get(this.uri.toString()) : undefined;
    const flowName = params?.graph?.flowName ?? graph?.flowName ?? undefined;
    this.runs.follow(this.uri?.scheme === 'file' ? this.uri.fsPath : undefined, flowName);
  }

  private onGraph(p: FlowGraphParams): void {
    if (!this.panel) return;
    if (this.uri?.toString() === vscode.Uri.parse(p.uri).toString()) {
      this.sendGraph(p);
      this.followRuns(p);
      // Step ranges moved with the edit: the step under the cursor may have changed.
      const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri?.toString());
      if (editor) this.onSelection(editor);
      return;
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && active.toString() === vscode.Uri.parse(p.uri).toString() && p.graph?.flowName) this.setUri(active, p);
  }

  private onActiveEditor(e: vscode.TextEditor | undefined): void {
    if (!this.panel || !e || e.document.languageId !== 'typescript') return;
    if (e.document.uri.toString() === this.uri?.toString()) return;
    void this.follow(e.document.uri);
  }

  private sendGraph(p: FlowGraphParams): void {
    const key = vscode.Uri.parse(p.uri).toString();
    if (!p.graph || !p.graph.flowName) {
      this.post({
        type: 'noFlow',
        reason: `${vscode.workspace.asRelativePath(vscode.Uri.parse(p.uri))} holds no flow (a class extending FlowSpec).`,
      });
      return;
    }
    const verdict = judgeGraph(p);
    if (!verdict.hasErrors) this.lastGood.set(key, p.graph);
    this.lastSent.set(key, p.graph);
    if (this.panel) this.panel.title = `DAG: ${p.graph.flowName}`;
    this.post({ type: 'graph', graph: p.graph, hasErrors: verdict.hasErrors, problem: verdict.problem, uri: key });
  }

  private onSelection(editor: vscode.TextEditor): void {
    if (!this.panel || editor.document.uri.toString() !== this.uri?.toString()) return;
    const graph = this.lastSent.get(this.uri.toString());
    const pos = editor.selection.active;
    const step = graph?.steps.find((s) => rangeContains(s.range, pos))?.name ?? null;
    if (step === this.highlighted) return;
    this.highlighted = step;
    this.post({ type: 'highlight', step });
  }

  private onMessage(m: FromWebview): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sendAll();
        break;
      case 'revealStep':
        void this.reveal(m.step);
        break;
      case 'selectRun':
        this.runs.select(m.runId);
        break;
      case 'rendered':
        if (this.uri)
          this.renderEmitter.fire({
            uri: this.uri.toString(),
            stepCount: m.stepCount,
            ms: m.ms,
            layoutMs: m.layoutMs,
            dimmed: !!m.dimmed,
            badges: m.badges ?? {},
          });
        break;
      case 'export':
        void this.saveExport(m.format, m.data);
        break;
      case 'error':
        this.deps.log?.error(`preview: ${m.message}`);
        break;
    }
  }

  private sendAll(): void {
    this.post(this.settings());
    const params = this.uri ? this.deps.graphs.get(this.uri) : undefined;
    if (params) this.sendGraph(params);
    else if (this.uri) void this.follow(this.uri, true);
    this.postRuns();
    this.post({ type: 'highlight', step: this.highlighted });
  }

  private settings(): ToWebview {
    return { type: 'settings', direction: readSetting(Settings.previewDirection) };
  }

  private postRuns(): void {
    const v = this.runView();
    this.post({ type: 'runs', runs: v.runs, selected: v.selected });
    this.post({ type: 'overlay', overlay: v.overlay });
  }

  async reveal(step: string): Promise<void> {
    const uri = this.uri;
    if (!uri) return;
    const key = uri.toString();
    const node = this.lastSent.get(key)?.steps.find((s) => s.name === step) ?? this.lastGood.get(key)?.steps.find((s) => s.name === step);
    if (!node) return;
    const r = node.nameRange;
    const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key);
    const doc = shown?.document ?? (await vscode.workspace.openTextDocument(uri));
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
      selection: range,
      preserveFocus: false,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async saveExport(format: 'svg' | 'png', data: string): Promise<void> {
    const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.slice(data.indexOf(',') + 1), 'base64');
    this.exportEmitter.fire({ format, bytes: bytes.length });
    const name = (this.uri && this.lastSent.get(this.uri.toString())?.flowName) ?? 'flow';
    const dir = this.uri ? vscode.Uri.joinPath(this.uri, '..') : undefined;
    const target = await vscode.window.showSaveDialog({
      defaultUri: dir ? vscode.Uri.joinPath(dir, `${name}.${format}`) : undefined,
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
      title: `Export the ${name} DAG`,
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
  }

  private post(m: ToWebview): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(m);
  }

  private disposePanelSubs(): void {
    for (const d of this.panelSubs.splice(0)) d.dispose();
  }

  private disposePanel(): void {
    const old = this.panel;
    this.disposePanelSubs();
    this.panel = undefined;
    old?.dispose();
  }

  dispose(): void {
    this.disposePanel();
    for (const d of this.subs) d.dispose();
  }
}
