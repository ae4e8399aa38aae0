/**
 * The latest `stepwise/flowGraph` notification per document, shared by the CodeLens, the status
 * bar, the DAG preview and the public API.
 */
import * as vscode from 'vscode';
import type { FlowGraphParams } from '../../server/src/protocol';

export class FlowGraphStore implements vscode.Disposable {
  private readonly byUri = new Map<string, FlowGraphParams>();
  private readonly emitter = new vscode.EventEmitter<FlowGraphParams>();
  readonly onDidChange = this.emitter.event;

  set(params: FlowGraphParams): void {
    const key = vscode.Uri.parse(params.uri).toString();
    const known = this.byUri.get(key);
    // Notifications may overtake each other around a restart; never go back in versions.
    if (known && known.version > params.version) return;
    this.byUri.set(key, params);
    this.emitter.fire(params);
  }

  get(uri: vscode.Uri): FlowGraphParams | undefined {
    return this.byUri.get(uri.toString());
  }

  delete(uri: vscode.Uri): void {
    this.byUri.delete(uri.toString());
  }

  clear(): void {
    this.byUri.clear();
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
