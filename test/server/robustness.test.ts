/**
 * Half-typed and garbage text never takes the server down: it keeps answering, and what it
 * publishes always describes the version it names.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentSymbol, Position } from 'vscode-languageserver-protocol';
import { parseFlow } from '../../runtime/src/graph';
import { lintFlow } from '../../runtime/src/lint';
import { messageOf, rangeText } from './golden';
import { fixturesDir, fixtureText, LspSession } from './lspSession';
import { Mirror } from './textTools';

function scratchUri(name: string): string {
  return pathToFileURL(join(fixturesDir, '..', 'scratch', name)).href;
}

/** A small deterministic generator, so a failure replays exactly. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('language server: malformed and half-typed text', function () {
  let lsp: LspSession;
  before(async () => {
    lsp = await LspSession.start();
  });
  after(async () => {
    await lsp?.stop();
  });

  /** Every request kind at `position`; each must answer (possibly empty), none may fail. */
  async function askEverything(uri: string, position: Position): Promise<void> {
    const textDocument = { uri };
    await Promise.all([
      lsp.request('textDocument/hover', { textDocument, position }),
      lsp.request('textDocument/definition', { textDocument, position }),
      lsp.request('textDocument/references', { textDocument, position, context: { includeDeclaration: true } }),
      lsp.request('textDocument/completion', { textDocument, position }),
      lsp.request('textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics: [] } }),
      lsp.request('textDocument/documentSymbol', { textDocument }),
      lsp.flowGraph(uri),
    ]);
  }

  it('survives garbage that mentions FlowSpec, and answers every request on it', async () => {
    const garbage = [
      "import { FlowSpec, step } from 'stepwise'",
      'export default class Garbage extends FlowSpec {',
      '  @step start( { this.next(this.',
      '  @step @step @step',
      "  declare : ; foreach: ' \u0000 \uD800 🐍",
      '  @step end() { this.next(this.next(this.next( } } } )))',
      'class B extends FlowSpec { @step start() { this.next(this.start, { foreach: 42 }) } }',
      '}}}}} ``` /* unterminated',
    ].join('\n');
    const uri = scratchUri('garbage.ts');
    await lsp.open(uri, garbage);
    await lsp.diagnosticsFor(uri, 1);
    const lines = garbage.split('\n');
    for (let line = 0; line < lines.length; line++) {
      for (let character = 0; character <= lines[line].length; character += 3) await askEverything(uri, { line, character });
    }
    // Positions beyond the text are clamped by the client library or answered empty.
    await askEverything(uri, { line: 400, character: 9 });
    assert.ok(lsp.alive, 'the server is still running');
    await lsp.close(uri);
  });

  it('keeps up while a flow is typed from scratch, a few characters at a time', async () => {
    const target = fixtureText('flows/counter_branch.ts');
    const uri = scratchUri('typed_from_scratch.ts');
    const doc = new Mirror(uri, '');
    await lsp.open(uri, '');
    const chunk = 7;
    for (let at = 0; at < target.length; at += chunk) {
      const change = doc.insertAt(doc.positionAt(doc.text.length), target.slice(at, at + chunk));
      await lsp.change(uri, change.version, change.changes);
      if (change.version % 25 === 0) {
        // A request on the half-typed text, answered from exactly this version.
        const symbols = await lsp.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
        const graph = doc.text.includes('FlowSpec') ? parseFlow(doc.text, 'flow.ts') : null;
        assert.deepEqual(symbols[0]?.children?.filter((c) => c.kind === 6).map((c) => c.name) ?? [], graph?.steps.map((s) => s.name) ?? []);
      }
    }
    assert.equal(doc.text, target);
    const final = await lsp.diagnosticsFor(uri, doc.version);
    assert.deepEqual(final.diagnostics, []);
    for (const p of lsp.diagnostics.items.filter((x) => x.uri === uri)) {
      const text = doc.textAt(p.version!);
      const expected = text.includes('FlowSpec') ? lintFlow(parseFlow(text, 'flow.ts')) : [];
      assert.deepEqual(
        p.diagnostics.map((d) => `${d.code} ${rangeText(d.range)} ${messageOf(d)}`),
        expected.map((d) => `${d.code} ${rangeText(d.range)} ${d.message}`),
        `version ${p.version}`,
      );
    }
    await lsp.close(uri);
  });

  it('survives random edits to every invalid flow', async () => {
    const random = prng(20260127);
    const tokens = [
      '{',
      '}',
      '(',
      ')',
      'this.next(',
      'this.',
      '@step ',
      "'",
      '`',
      ', { foreach: ',
      'inputs: Inputs',
      '\n',
      ';',
      'async ',
      '/*',
    ];
    const names = [
      'crossed_join',
      'cycle_and_orphan',
      'dropped_artifact',
      'foreach_unknown_var',
      'join_without_inputs',
      'no_end',
      'split_without_join',
      'two_flows',
    ];
    for (const name of names) {
      const uri = scratchUri(`fuzz_${name}.ts`);
      const doc = new Mirror(uri, fixtureText(`invalid/${name}.ts`));
      await lsp.open(uri, doc.text);
      for (let i = 0; i < 40; i++) {
        const a = Math.floor(random() * (doc.text.length + 1));
        const b = Math.min(doc.text.length, a + Math.floor(random() * 12));
        const insert = random() < 0.6 ? tokens[Math.floor(random() * tokens.length)] : '';
        const change = doc.edit([{ range: { start: doc.positionAt(a), end: doc.positionAt(b) }, text: insert }]);
        await lsp.change(uri, change.version, change.changes);
        if (i % 10 === 9) await askEverything(uri, doc.positionAt(a));
      }
      // The edits may have removed the flow altogether, so ask rather than wait for a publication.
      const now = await lsp.flowGraph(uri);
      assert.equal(now?.version, doc.version);
      await lsp.close(uri);
    }
    assert.ok(lsp.alive);
    assert.deepEqual(
      lsp.logs.filter((l) => /failed|uncaught/.test(l)),
      [],
      'no handler failed',
    );
  });
});
