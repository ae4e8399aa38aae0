/**
 * Running a notebook's cells from a test as a user does (the cell's Run button), and reading
 * their outputs: shared by the notebook tests of every VS Code session.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StepwiseApi } from '../../../client/src/api';

export interface CellText {
  mime: string;
  text: string;
}

export function outputsOf(cell: vscode.NotebookCell): CellText[] {
  return cell.outputs.flatMap((o) => o.items.map((i) => ({ mime: i.mime, text: Buffer.from(i.data).toString('utf8') })));
}

/** Runs one cell as the cell's Run button does, waits for its execution to end, and brings it into view. */
export async function runCell(api: StepwiseApi, nb: vscode.NotebookDocument, index: number): Promise<CellText[]> {
  const done = new Promise<void>((resolve) => {
    const sub = api.notebook.onDidFinishCell((e) => {
      if (e.notebook.toString() !== nb.uri.toString() || e.index !== index) return;
      sub.dispose();
      resolve();
    });
  });
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: index, end: index + 1 }], document: nb.uri });
  await done;
  // In view, for the screenshot that follows.
  const shown = vscode.window.visibleNotebookEditors.find((e) => e.notebook === nb);
  if (shown) {
    shown.selections = [new vscode.NotebookRange(index, index + 1)];
    shown.revealRange(new vscode.NotebookRange(index, index + 1), vscode.NotebookEditorRevealType.AtTop);
  }
  return outputsOf(nb.cellAt(index));
}

/** Appends a TypeScript code cell: its index. */
export async function addCell(nb: vscode.NotebookDocument, source: string): Promise<number> {
  const edit = new vscode.WorkspaceEdit();
  const index = nb.cellCount;
  edit.set(nb.uri, [
    vscode.NotebookEdit.insertCells(index, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, 'typescript')]),
  ]);
  assert.ok(await vscode.workspace.applyEdit(edit));
  return index;
}
