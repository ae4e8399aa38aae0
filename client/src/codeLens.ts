/**
 * `Run | Debug | Show DAG` above the flow class. Positions come from the server's latest
 * FlowGraph for the document (never from a second parse here); a new graph refreshes the lenses.
 */
import * as vscode from 'vscode';
import type { FlowGraphStore } from './flowGraphs';
import { commandLink, Commands, readSetting, Settings } from './contributions';

export class FlowCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly graphs: FlowGraphStore) {
    this.subscription = graphs.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!readSetting(Settings.codeLensEnabled, document)) return [];
    const graph = this.graphs.get(document.uri)?.graph;
    const at = graph?.classNameRange ?? graph?.classRange;
    if (!graph?.flowName || !at) return [];
    const line = Math.min(at.start.line, document.lineCount - 1);
    const range = new vscode.Range(line, 0, line, 0);
    const uri = document.uri;
    return [
      new vscode.CodeLens(range, { ...commandLink(Commands.runFlow, 'Run', uri), tooltip: `Run ${graph.flowName} in a terminal` }),
      new vscode.CodeLens(range, { ...commandLink(Commands.debugFlow, 'Debug', uri), tooltip: `Debug ${graph.flowName}` }),
      new vscode.CodeLens(range, { ...commandLink(Commands.showDag, 'Show DAG', uri), tooltip: `Show the DAG of ${graph.flowName}` }),
    ];
  }

  /** Lets a settings change show or hide the lenses at once. */
  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
