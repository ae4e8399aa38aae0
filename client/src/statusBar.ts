/**
 * The status bar item for the active flow: its name and its Stepwise errors and warnings, as
 * counted in the server's graph notification (which carries the diagnostics it published for the
 * same version, so the item agrees with the Problems panel). Hidden when the active editor holds
 * no flow. Clicking opens the Problems panel.
 */
import * as vscode from 'vscode';
import type { LintStatus } from './api';
import type { FlowGraphStore } from './flowGraphs';
import { isFlowDocument } from './flowDetection';
import type { RuntimeSelection } from './runtimeSelection';

export class LintStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('stepwise.lint', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [];
  private status: LintStatus = { visible: false, pending: false, text: '', errors: 0, warnings: 0 };
  private readonly changed = new vscode.EventEmitter<LintStatus>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly graphs: FlowGraphStore,
    private readonly installations: RuntimeSelection,
  ) {
    this.item.name = 'Stepwise Lint';
    this.item.command = 'workbench.actions.view.problems';
    this.disposables.push(
      this.item,
      this.changed,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      graphs.onDidChange(() => this.update()),
      installations.onDidChange(() => this.update()),
    );
    this.update();
  }

  current(): LintStatus {
    return { ...this.status };
  }

  private update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const params = doc ? this.graphs.get(doc.uri) : undefined;
    if (!doc || !isFlowDocument(doc, params)) {
      this.item.hide();
      this.publish({ visible: false, pending: false, text: '', errors: 0, warnings: 0 });
      return;
    }
    const uri = doc.uri.toString();
    if (!params?.graph?.flowName) {
      // A flow by its text, not yet read by the server (starting, or the first parse).
      this.item.text = '$(loading~spin) Stepwise';
      this.item.tooltip = 'Stepwise: checking the flow…';
      this.item.backgroundColor = undefined;
      this.item.show();
      this.publish({ visible: true, pending: true, text: this.item.text, errors: 0, warnings: 0, uri });
      return;
    }
    // The counts come with the graph, for the same document version as the published diagnostics.
    const errors = params.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = params.diagnostics.filter((d) => d.severity === 'warning').length;
    const name = params.graph.flowName;
    const text = errors + warnings === 0 ? `$(check) ${name}` : `$(error) ${errors} $(warning) ${warnings} ${name}`;
    // Which Stepwise runs, debugs and lints this flow: the project's own, or the extension's.
    const stepwise = this.installations.describe(this.installations.forUri(doc.uri));
    this.item.text = text;
    this.item.tooltip =
      (errors + warnings === 0
        ? `Stepwise: ${name} has no problems`
        : `Stepwise: ${name} has ${plural(errors, 'error')} and ${plural(warnings, 'warning')}. Click to show the Problems panel.`) +
      `\n${stepwise}`;
    this.item.backgroundColor = errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
    this.publish({ visible: true, pending: false, text, errors, warnings, uri, stepwise });
  }

  private publish(next: LintStatus): void {
    const same = JSON.stringify(next) === JSON.stringify(this.status);
    this.status = next;
    if (!same) this.changed.fire({ ...next });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
