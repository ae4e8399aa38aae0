/**
 * The language server's diagnostics, over stdio against the shipped bundle: every conformance
 * and invalid flow (golden files), incremental edits, versions, non-flow files.
 */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type DocumentSymbol, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { parseFlow } from '../../runtime/src/graph';
import { lintFlow } from '../../runtime/src/lint';
import { expectGolden, goldenDiagnostic, messageOf, rangeText } from './golden';
import { fixturesDir, fixtureText, fixtureUri, LspSession } from './lspSession';
import { Mirror, positionOf, textIn } from './textTools';

/** What the linter says about `text`, in the same shape as a published diagnostic's golden. */
function expectedFor(text: string) {
  return lintFlow(parseFlow(text, 'flow.ts')).map((d) => ({ code: d.code, range: rangeText(d.range), message: d.message }));
}

function shapeOf(p: PublishDiagnosticsParams) {
  return p.diagnostics.map((d) => ({ code: d.code, range: rangeText(d.range), message: messageOf(d) }));
}

function scratchUri(name: string): string {
  return pathToFileURL(join(fixturesDir, '..', 'scratch', name)).href;
}

describe('language server: diagnostics', function () {
  let lsp: LspSession;
  before(async () => {
    lsp = await LspSession.start();
  });
  after(async () => {
    await lsp?.stop();
  });

  for (const dir of ['flows', 'invalid']) {
    const files = readdirSync(join(fixturesDir, dir)).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      it(`publishes the linter's findings for ${dir}/${file} (golden)`, async () => {
        const uri = fixtureUri(`${dir}/${file}`);
        const text = fixtureText(`${dir}/${file}`);
        await lsp.open(uri, text);
        const published = await lsp.diagnosticsFor(uri, 1);
        for (const d of published.diagnostics) assert.equal(d.source, 'stepwise');
        expectGolden(`diagnostics/${dir}/${file.replace(/\.ts$/, '.json')}`, published.diagnostics.map(goldenDiagnostic));
        const errors = published.diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
        if (dir === 'flows') assert.deepEqual(errors.map(messageOf), [], 'a conformance flow has no errors');
        else assert.ok(published.diagnostics.length > 0, 'an invalid flow has at least one finding');
        const graph = await lsp.graphFor(uri, 1);
        assert.ok(graph.graph, 'the graph notification carries the graph');
        assert.equal(graph.diagnostics.length, published.diagnostics.length);
        await lsp.close(uri);
      });
    }
  }

  it('carries related information (the step a finding points at)', async () => {
    const uri = fixtureUri('invalid/crossed_join.ts');
    await lsp.open(uri, fixtureText('invalid/crossed_join.ts'), 7);
    const published = await lsp.diagnosticsFor(uri, 7);
    const related = published.diagnostics.flatMap((d) => d.relatedInformation ?? []);
    assert.ok(related.length > 0, 'some finding of a crossed join names related places');
    for (const r of related) assert.equal(r.location.uri, uri);
    await lsp.close(uri);
  });

  it('follows incremental edits: each publication carries its version and describes exactly that text', async () => {
    const uri = scratchUri('edited_hello.ts');
    const doc = new Mirror(uri, fixtureText('flows/hello.ts'));
    await lsp.open(uri, doc.text, doc.version);
    assert.deepEqual((await lsp.diagnosticsFor(uri, 1)).diagnostics, []);

    // A mistyped transition target.
    const typo = doc.replace('this.next(this.hello)', 'this.next(this.hllo)');
    await lsp.change(uri, typo.version, typo.changes);
    const afterTypo = await lsp.diagnosticsFor(uri, typo.version);
    const unknown = afterTypo.diagnostics.find((d) => /`hllo`/.test(messageOf(d)));
    assert.ok(unknown, 'the mistyped target is reported');
    assert.match(textIn(doc.text, unknown.range), /hllo/, 'the squiggle is on the mistyped name');
    const graph = await lsp.graphFor(uri, typo.version);
    assert.deepEqual(graph.graph?.steps.find((s) => s.name === 'start')?.successors, ['hllo']);

    // A burst of keystrokes sent back to back: whatever the server publishes in between must
    // describe the text of the version it names, and the last version is always published.
    let last = typo.version;
    const comment = ' // typed fast';
    const lineEnd = positionOf(doc.text, "console.log('Hello World!');", "console.log('Hello World!');".length);
    for (let i = 0; i < comment.length; i++) {
      const step = doc.insertAt({ line: lineEnd.line, character: lineEnd.character + i }, comment[i]);
      await lsp.change(uri, step.version, step.changes);
      last = step.version;
    }
    const fixBack = doc.replace('this.next(this.hllo)', 'this.next(this.hello)');
    await lsp.change(uri, fixBack.version, fixBack.changes);
    last = fixBack.version;
    const final = await lsp.diagnosticsFor(uri, last);
    assert.deepEqual(final.diagnostics, []);
    for (const p of lsp.diagnostics.items.filter((x) => x.uri === uri)) {
      assert.ok(p.version !== undefined, 'every publication names its version');
      assert.deepEqual(shapeOf(p), expectedFor(doc.textAt(p.version!)), `publication of version ${p.version} matches its text`);
    }
    await lsp.graphFor(uri, last);
    const graphs = lsp.graphs.items.filter((g) => g.uri === uri);
    for (const g of graphs) {
      assert.deepEqual(
        g.graph?.steps.map((s) => s.successors),
        parseFlow(doc.textAt(g.version), 'flow.ts').steps.map((s) => s.successors),
        `graph of version ${g.version} matches its text`,
      );
    }
    assert.deepEqual(
      graphs.map((g) => g.version),
      [...graphs.map((g) => g.version)].sort((a, b) => a - b),
      'graphs arrive in version order',
    );
    await lsp.close(uri);
  });

  it('answers a request from the newest text even when the change was just sent', async () => {
    const uri = scratchUri('request_flush.ts');
    const doc = new Mirror(uri, fixtureText('flows/hello.ts'));
    await lsp.open(uri, doc.text);
    const added = doc.replace('  /** Finish line */', '  @step extra() { this.next(this.end); }\n\n  /** Finish line */');
    await lsp.change(uri, added.version, added.changes);
    const symbols = await lsp.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(
      symbols[0].children?.some((c) => c.name === 'extra'),
      'the outline already has the step typed a moment ago',
    );
    // The same change is then published with its version.
    const published = await lsp.diagnosticsFor(uri, added.version);
    assert.ok(
      published.diagnostics.some((d) => /`extra`/.test(messageOf(d))),
      'the new step is unreachable',
    );
    await lsp.close(uri);
  });

  it('publishes on save without waiting', async () => {
    const uri = scratchUri('saved.ts');
    const doc = new Mirror(uri, fixtureText('invalid/no_end.ts'));
    await lsp.open(uri, doc.text);
    await lsp.diagnosticsFor(uri, 1);
    const fixed = doc.replace('  @step hello() { this.next(this.end); }', '  @step hello() { this.next(this.end); }\n  @step end() {}');
    await lsp.change(uri, fixed.version, fixed.changes);
    await lsp.save(uri);
    assert.deepEqual((await lsp.diagnosticsFor(uri, fixed.version)).diagnostics, []);
    await lsp.close(uri);
  });

  it('costs nothing for a TypeScript file that is not a flow: no diagnostics, graph null', async () => {
    const uri = scratchUri('plain.ts');
    const doc = new Mirror(uri, 'export function add(a: number, b: number) {\n  return a + b;\n}\n');
    await lsp.open(uri, doc.text);
    const opened = await lsp.graphFor(uri, 1);
    assert.equal(opened.graph, null);
    assert.deepEqual(opened.diagnostics, []);
    const edit = doc.insertAt({ line: 3, character: 0 }, 'export const answer = add(40, 2);\n');
    await lsp.change(uri, edit.version, edit.changes);
    // A request is answered after the change is handled: a barrier, not a sleep.
    const symbols = await lsp.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols, []);
    assert.deepEqual(
      lsp.diagnostics.items.filter((p) => p.uri === uri),
      [],
      'no diagnostics for a plain file',
    );
    assert.deepEqual(
      lsp.graphs.items.filter((p) => p.uri === uri).map((p) => p.version),
      [1],
      'one null graph on open, none per keystroke',
    );
    await lsp.close(uri);
  });

  it('clears diagnostics and the graph when a file stops being a flow', async () => {
    const uri = scratchUri('was_a_flow.ts');
    const doc = new Mirror(uri, fixtureText('invalid/no_end.ts'));
    await lsp.open(uri, doc.text);
    assert.ok((await lsp.diagnosticsFor(uri, 1)).diagnostics.length > 0);
    const all = { start: { line: 0, character: 0 }, end: doc.positionAt(doc.text.length) };
    const gone = doc.edit([{ range: all, text: 'export const notAFlow = true;\n' }]);
    await lsp.change(uri, gone.version, gone.changes);
    assert.deepEqual((await lsp.diagnosticsFor(uri, gone.version)).diagnostics, []);
    assert.equal((await lsp.graphFor(uri, gone.version)).graph, null);
    await lsp.close(uri);
  });
});
