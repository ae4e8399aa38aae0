/**
 * Stepwise: New Flow in a folder with nothing set up: the flow's `import … from 'stepwise'`
 * resolves, for the editor's own TypeScript, to the declarations the extension ships, and the
 * file has no TypeScript errors.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateStepwise, replaceText, screenshot, waitFor, workspaceFolder } from './support';

describe('New Flow', function () {
  this.timeout(120_000);

  it('writes a flow whose stepwise import resolves to the shipped declarations, with no TypeScript errors', async () => {
    await activateStepwise();
    const folder = join(workspaceFolder().fsPath, 'fresh');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '.gitignore'), 'node_modules/\n');
    const file = await vscode.commands.executeCommand<string>('stepwise.newFlow', { folder, name: 'Fresh' });
    assert.equal(file, join(folder, 'fresh_flow.ts'));
    assert.match(readFileSync(join(folder, '.gitignore'), 'utf8'), /^\.stepwise\/$/m);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, file);
    const doc = editor!.document;

    // Go to definition on FlowSpec in the import: the editor's TypeScript found the declarations.
    const at = doc.positionAt(doc.getText().indexOf('FlowSpec') + 2);
    const ext = vscode.extensions.getExtension('stepwise.stepwise')!;
    const shipped = join(ext.extensionPath, 'dist', 'types', 'api');
    // TypeScript's semantic diagnostics are live on the file (its project has loaded): a planted
    // type error shows, and once it is removed the flow has no errors at all.
    const tsErrors = () =>
      vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'ts' && d.severity === vscode.DiagnosticSeverity.Error);
    const original = doc.getText();
    await replaceText(doc, `${original}\nconst planted: number = 'text';\n`);
    const planted = await waitFor(
      'the planted type error',
      vscode.languages.onDidChangeDiagnostics,
      () => (tsErrors().length ? tsErrors() : undefined),
      60_000,
    );
    assert.match(planted[0].message, /not assignable to type 'number'/);
    await replaceText(doc, original);
    await waitFor(
      'no TypeScript errors',
      vscode.languages.onDidChangeDiagnostics,
      () => (tsErrors().length === 0 ? true : undefined),
      60_000,
    );
    await doc.save();
    // Asked once the semantic project answered (above): the syntax-only server that answers while
    // a project loads would only find the import binding itself.
    const defs = await definitions(doc.uri, at);
    const paths = defs.map((d) => ('targetUri' in d ? d.targetUri : d.uri).fsPath);
    assert.ok(
      paths.some((p) => p.startsWith(shipped)),
      `FlowSpec resolves to ${paths.join(', ') || 'nothing'}, not to ${shipped}`,
    );

    await screenshot('new-flow', ['.editor-instance .view-line']);
  });
});

async function definitions(uri: vscode.Uri, at: vscode.Position): Promise<Array<vscode.Location | vscode.LocationLink>> {
  return (
    (await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', uri, at)) ?? []
  );
}
