/** The kernel's outputs as VS Code notebook outputs. */
import * as vscode from 'vscode';
import type { CellError, OutputItem } from '../../../runtime/src/notebook/protocol';

export function outputItem(i: OutputItem): vscode.NotebookCellOutputItem {
  if (i.base64) return new vscode.NotebookCellOutputItem(Buffer.from(i.data, 'base64'), i.mime);
  return vscode.NotebookCellOutputItem.text(i.data, i.mime);
}

export function richOutput(items: OutputItem[]): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(items.map(outputItem));
}

export function errorOutput(e: CellError | { name: string; message: string; stack?: string }): vscode.NotebookCellOutput {
  const err = new Error(e.message);
  err.name = e.name;
  err.stack = e.stack || `${e.name}: ${e.message}`;
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(err)]);
}

/**
 * Console text for one cell execution: consecutive writes to the same stream go into one output
 * (as VS Code's own kernels do), so a loop that prints does not make a thousand outputs.
 */
export class StreamWriter {
  private last: { name: 'stdout' | 'stderr'; output: vscode.NotebookCellOutput } | undefined;

  constructor(private readonly exec: vscode.NotebookCellExecution) {}

  write(name: 'stdout' | 'stderr', text: string): void {
    const item = name === 'stdout' ? vscode.NotebookCellOutputItem.stdout(text) : vscode.NotebookCellOutputItem.stderr(text);
    if (this.last?.name === name) {
      void this.exec.appendOutputItems(item, this.last.output);
      return;
    }
    const output = new vscode.NotebookCellOutput([item]);
    this.last = { name, output };
    void this.exec.appendOutput(output);
  }

  /** Anything else was appended: the next console text starts a new output after it. */
  break(): void {
    this.last = undefined;
  }
}
