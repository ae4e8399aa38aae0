/**
 * Types with no set-up, in the `bare/` folder (no package.json, tsconfig.json or node_modules):
 * the TypeScript server plugin makes `stepwise` resolve to the declarations the extension ships.
 * A file with a deliberate type error shows it (the TypeScript server is live), the flow shows no
 * TypeScript diagnostics, and completion on `this.` in a step offers `next`, `input` and
 * `mergeArtifacts`. New Flow writes only the flow (no path of this machine), and in a project
 * without Stepwise it offers the command that adds it.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ShownMessage } from '../../../../client/src/messages';
import { activateStepwise, replaceText, screenshot, waitFor } from '../support';

const FLOW = `import { FlowSpec, step, Parameter, type Inputs } from 'stepwise';

/** A flow in a folder with nothing set up. */
export default class BareFlow extends FlowSpec {
  count = Parameter('count', { default: 3 });
  declare items: number[];
  declare square: number;
  declare total: number;

  @step start() {
    this.items = Array.from({ length: this.count }, (_, i) => i);
    this.next(this.each, { foreach: 'items' });
  }
  @step each() {
    this.square = (this.input as number) ** 2;
    this.next(this.join);
  }
  @step join(inputs: Inputs<BareFlow>) {
    this.total = inputs.map((i) => i.square).reduce((a, b) => a + b, 0);
    this.mergeArtifacts(inputs, { exclude: ['square'] });
    this.next(this.end);
  }
  @step end() {
    console.log(this.total);
  }
}
`;

const BROKEN = `export const n: number = 'not a number';\n`;

function folder(name: string): string {
  const f = vscode.workspace.workspaceFolders?.find((w) => w.name === name);
  if (!f) throw new Error(`the project session opens a folder named ${name}`);
  return f.uri.fsPath;
}

const tsDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ts');

function waitForTs(uri: vscode.Uri, what: string, accept: (d: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `${what} (${vscode.workspace.asRelativePath(uri)})`,
    vscode.languages.onDidChangeDiagnostics,
    () => {
      const d = tsDiagnostics(uri);
      return accept(d) ? d : undefined;
    },
    90_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; TypeScript diagnostics now: ${JSON.stringify(tsDiagnostics(uri).map((d) => d.message))}`);
  });
}

async function open(file: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/**
 * The flow's TypeScript diagnostics once TypeScript has checked its current text: a planted
 * error shows (so the file has been checked), and once removed, what remains is the answer.
 */
async function settledTsDiagnostics(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
  const original = doc.getText();
  await replaceText(doc, `${original}\nconst planted: number = 'planted';\n`);
  await waitForTs(doc.uri, 'the planted error', (d) => d.some((x) => x.message.includes("'string' is not assignable to type 'number'")));
  await replaceText(doc, original);
  return waitForTs(doc.uri, 'the planted error gone', (d) => !d.some((x) => x.range.start.line >= doc.lineCount - 1));
}

async function completionLabels(uri: vscode.Uri, at: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, at, '.');
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

describe('types with no set-up (bare folder)', function () {
  this.timeout(180_000);

  it('a flow has no TypeScript diagnostics while a deliberate error is reported; nothing is written', async () => {
    await activateStepwise();
    const dir = join(folder('bare'), 'types');
    mkdirSync(dir);
    writeFileSync(join(dir, 'bare_flow.ts'), FLOW);
    writeFileSync(join(dir, 'broken.ts'), BROKEN);
    const broken = await open(join(dir, 'broken.ts'));
    const flow = await open(join(dir, 'bare_flow.ts'));
    // The TypeScript server is live on this folder: the deliberate error is reported.
    const errs = await waitForTs(broken.uri, 'the deliberate type error', (d) => d.length > 0);
    assert.match(errs[0].message, /not assignable to type 'number'/);
    assert.deepEqual(
      (await settledTsDiagnostics(flow)).map((d) => d.message),
      [],
      'the flow has no TypeScript diagnostics',
    );
    await flow.save();
    assert.deepEqual(readdirSync(dir).sort(), ['bare_flow.ts', 'broken.ts'], 'the folder holds only the test’s own files');
    assert.deepEqual(readdirSync(folder('bare')), ['types']);
    await screenshot('bare-folder-flow', ['.editor-instance .view-line']);
  });

  it('completion on `this.` in a step offers next, input and mergeArtifacts', async () => {
    const file = join(folder('bare'), 'types', 'complete_flow.ts');
    writeFileSync(
      file,
      `import { FlowSpec, step } from 'stepwise';\nexport default class CompleteFlow extends FlowSpec {\n  @step start() {\n    this.\n  }\n  @step end() {}\n}\n`,
    );
    const doc = await open(file);
    // Once TypeScript has checked the file (its `this.` is an error), its project has loaded.
    await waitForTs(doc.uri, 'the incomplete `this.`', (d) => d.length > 0);
    const labels = await completionLabels(doc.uri, new vscode.Position(3, 9));
    for (const name of ['next', 'input', 'mergeArtifacts'])
      assert.ok(labels.includes(name), `${name} in ${labels.slice(0, 40).join(', ')}`);
  });

  it('New Flow writes only the flow, whose stepwise import resolves to the declarations the extension ships', async () => {
    const dir = join(folder('bare'), 'fresh');
    mkdirSync(dir);
    const file = await vscode.commands.executeCommand<string>('stepwise.newFlow', { folder: dir, name: 'Fresh' });
    assert.equal(file, join(dir, 'fresh_flow.ts'));
    assert.deepEqual(readdirSync(dir), ['fresh_flow.ts'], 'no tsconfig.json, nothing else');
    const text = readFileSync(file, 'utf8');
    const ext = vscode.extensions.getExtension('stepwise.stepwise')!;
    assert.ok(!text.includes(ext.extensionPath), 'no path of the extension in the flow');
    const doc = vscode.window.activeTextEditor!.document;
    assert.deepEqual(
      (await settledTsDiagnostics(doc)).map((d) => d.message),
      [],
    );
    await doc.save();
    const at = doc.positionAt(doc.getText().indexOf('FlowSpec') + 2);
    const defs = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
      'vscode.executeDefinitionProvider',
      doc.uri,
      at,
    );
    const paths = (defs ?? []).map((d) => ('targetUri' in d ? d.targetUri : d.uri).fsPath);
    const shipped = join(ext.extensionPath, 'dist', 'types', 'api');
    assert.ok(
      paths.some((p) => p.startsWith(shipped)),
      `FlowSpec resolves to ${paths.join(', ') || 'nothing'}, not to ${shipped}`,
    );
    await screenshot('new-flow', ['.editor-instance .view-line']);
  });

  it('New Flow in a project without Stepwise offers to add it, showing the command', async () => {
    const api = await activateStepwise();
    const app = join(folder('bare'), 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }, null, 2));
    const shown: ShownMessage[] = [];
    const sub = api.onDidShowMessage((m) => shown.push(m));
    try {
      await vscode.commands.executeCommand<string>('stepwise.newFlow', { folder: app, name: 'Train' });
      const offer = shown.find((m) => m.actions.includes('Add Stepwise'));
      assert.ok(offer, `an offer among ${JSON.stringify(shown)}`);
      assert.match(offer.text, /`npm i -D stepwise`/);
      assert.deepEqual(readdirSync(app).sort(), ['package.json', 'train_flow.ts']);
    } finally {
      sub.dispose();
    }
  });
});
