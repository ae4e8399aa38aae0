import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateStepwise, openInEditor, screenshot, waitFor, waitForDiagnostics } from './support';

describe('diagnostics', () => {
  it("shows the linter's errors for an invalid flow, and clears them once the text is fixed", async () => {
    const api = await activateStepwise();
    const editor = await openInEditor('invalid/no_end.ts');
    const { document } = editor;
    await api.languageClientReady;

    const diags = await waitForDiagnostics(document.uri, 'Stepwise errors', (d) =>
      d.some((x) => x.severity === vscode.DiagnosticSeverity.Error),
    );
    const lines = document.getText().split('\n');
    const classLine = lines.findIndex((l) => l.includes('class NoEndFlow'));
    const helloLine = lines.findIndex((l) => l.includes('this.next(this.end)'));
    for (const d of diags) {
      assert.match(String(typeof d.code === 'object' ? d.code.value : d.code), /^SW\d+$/, `diagnostic without a stable code: ${d.message}`);
    }
    const seen = JSON.stringify(diags.map((d) => [d.range.start.line, d.message]));
    // The file's expectation: `hello` names an unknown step `end`, on its `next` call…
    const unknown = diags.find((d) => d.range.start.line === helloLine && /\bend\b/.test(d.message));
    assert.ok(unknown, `no diagnostic on the this.next(this.end) line ${helloLine}: ${seen}`);
    assert.ok(document.getText(unknown.range).includes('end'), 'the unknown-step range does not cover `end`');
    // …and the flow has no `end` step, reported on the flow class, not on a step.
    const missingEnd = diags.find((d) => d !== unknown && /\bend\b/.test(d.message));
    assert.ok(missingEnd, `no diagnostic about the missing end step: ${seen}`);
    assert.ok(
      missingEnd.range.start.line <= classLine && classLine <= missingEnd.range.end.line,
      `the missing-end diagnostic is not on the class: ${seen}`,
    );

    const status = await waitFor('the status bar to count the errors', api.onDidChangeLintStatus, () => {
      const s = api.lintStatus();
      return s.uri === document.uri.toString() && s.errors > 0 ? s : undefined;
    });
    assert.equal(status.errors, diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length);
    assert.match(status.text, /^\$\(error\) \d+ \$\(warning\) \d+ NoEndFlow$/);

    // What a person sees: the squiggle in the editor and the problem listed in the Problems panel.
    editor.selection = new vscode.Selection(unknown.range.start, unknown.range.start);
    editor.revealRange(unknown.range, vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('diagnostics-squiggle-and-problems', ['.monaco-editor .squiggly-error', '.markers-panel .monaco-list-row']);

    const lastBrace = document.getText().lastIndexOf('}');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, document.positionAt(lastBrace), '  @step end() {}\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(document.uri, 'no Stepwise diagnostics after adding `end`', (d) => d.length === 0);
    const clean = await waitFor('the status bar to show a clean flow', api.onDidChangeLintStatus, () => {
      const s = api.lintStatus();
      return s.uri === document.uri.toString() && s.errors === 0 && s.warnings === 0 ? s : undefined;
    });
    assert.equal(clean.text, '$(check) NoEndFlow');
  });
});
