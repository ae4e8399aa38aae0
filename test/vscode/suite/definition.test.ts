import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateStepwise, openInEditor, waitForGraph } from './support';

type Target = { uri: vscode.Uri; range: vscode.Range };

async function definitions(doc: vscode.TextDocument, pos: vscode.Position): Promise<Target[]> {
  const found = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
    'vscode.executeDefinitionProvider',
    doc.uri,
    pos,
  );
  return found.map((d) => ('targetUri' in d ? { uri: d.targetUri, range: d.targetSelectionRange ?? d.targetRange } : d));
}

function positionOf(doc: vscode.TextDocument, before: string, name: string): vscode.Position {
  const at = doc.getText().indexOf(before + name);
  assert.ok(at >= 0, `${before + name} is not in ${doc.uri.path}`);
  // Inside the name, not on its first character.
  return doc.positionAt(at + before.length + 1);
}

describe('go to definition', () => {
  it('goes from this.next(this.hello) to the hello step', async () => {
    const api = await activateStepwise();
    const { document } = await openInEditor('flows/hello.ts');
    await api.languageClientReady;
    await waitForGraph(api, document);

    const targets = await definitions(document, positionOf(document, 'this.next(this.', 'hello'));
    const stepLine = document
      .getText()
      .split('\n')
      .findIndex((l) => /@step\s+hello\(/.test(l));
    const hit = targets.find((t) => t.uri.toString() === document.uri.toString() && t.range.start.line === stepLine);
    assert.ok(hit, `no definition on line ${stepLine}: ${JSON.stringify(targets.map((t) => [t.uri.path, t.range.start.line]))}`);
    assert.equal(document.getText(hit.range), 'hello');
  });

  it("goes from { foreach: 'creatures' } to the artifact (only Stepwise knows that string)", async () => {
    const api = await activateStepwise();
    const { document } = await openInEditor('flows/foreach.ts');
    await waitForGraph(api, document);

    const targets = await definitions(document, positionOf(document, "foreach: '", 'creatures'));
    assert.ok(targets.length > 0, 'no definition for the foreach artifact');
    for (const t of targets) {
      assert.equal(t.uri.toString(), document.uri.toString());
      assert.match(document.lineAt(t.range.start.line).text, /\bcreatures\b/);
    }
  });
});
