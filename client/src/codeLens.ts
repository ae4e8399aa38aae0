/**
 * `Run | Debug | Show DAG` above the flow class. Positions come from the server's latest
 * FlowGraph for the document (never from a second parse here); a new graph refreshes the lenses.
 */
import * as vscode from 'vscode';
import type { FlowGraphStore } from './flowGraphs';
import { CommandIds } from './commandIds';

export class FlowCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly graphs: FlowGraphStore) {
    this.subscription = graphs.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('stepwise', document).get<boolean>('codeLens.enabled', true)) return [];
    const graph = this.graphs.get(document.uri)?.graph;
    const at = graph?.classNameRange ?? graph?.classRange;
    if (!graph?.flowName || !at) return [];
    const line = Math.min(at.start.line, document.lineCount - 1);
    const range = new vscode.Range(line, 0, line, 0);
    const args = [document.uri];
    return [
      new vscode.CodeLens(range, {
        title: 'Run',
        tooltip: `Run ${graph.flowName} in a terminal`,
        command: CommandIds.run,
        arguments: args,
      }),
      new vscode.CodeLens(range, { title: 'Debug', tooltip: `Debug ${graph.flowName}`, command: CommandIds.debug, arguments: args }),
      new vscode.CodeLens(range, {
        title: 'Show DAG',
        tooltip: `Show the DAG of ${graph.flowName}`,
        command: CommandIds.showDag,
        arguments: args,
      }),
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
