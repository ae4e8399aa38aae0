/**
 * Outline, go-to-definition, find-references, hover and completion, asked of the shipped
 * server over stdio about the conformance flows.
 */
import { strict as assert } from 'node:assert';
import type { CompletionItem, CompletionList, DocumentSymbol, Hover, Location, MarkupContent } from 'vscode-languageserver-protocol';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectGolden, rangeText } from './golden';
import { fixturesDir, fixtureText, fixtureUri, LspSession } from './lspSession';
import { Mirror, positionOf, textIn } from './textTools';

describe('language server: outline, navigation, hover, completion', function () {
  let lsp: LspSession;
  const opened = new Map<string, string>();

  before(async () => {
    lsp = await LspSession.start();
    for (const f of [
      'flows/counter_branch.ts',
      'flows/foreach.ts',
      'flows/hello.ts',
      'flows/parameters.ts',
      'runtime/production/catching.ts',
      'runtime/production/testMode.ts',
    ]) {
      const uri = fixtureUri(f);
      opened.set(f, uri);
      await lsp.open(uri, fixtureText(f));
      await lsp.diagnosticsFor(uri, 1);
    }
  });
  after(async () => {
    await lsp?.stop();
  });

  const uriOf = (f: string) => opened.get(f)!;
  const at = (f: string, needle: string, delta = 0, nth = 0) => ({
    textDocument: { uri: uriOf(f) },
    position: positionOf(fixtureText(f), needle, delta, nth),
  });
  const texts = (f: string, locations: Location[]) => locations.map((l) => textIn(fixtureText(f), l.range));
  const lines = (locations: Location[]) => locations.map((l) => l.range.start.line + 1);

  it('outlines the flow class with its parameters, artifacts and steps', async () => {
    const symbols = await lsp.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: uriOf('flows/counter_branch.ts') },
    });
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0].name, 'CounterBranchFlow');
    assert.deepEqual(
      symbols[0].children?.map((c) => [c.name, c.detail]),
      [
        ['creature', 'artifact'],
        ['count', 'artifact'],
        ['start', 'start → addOne, addTwo'],
        ['addOne', 'linear → join'],
        ['addTwo', 'linear → join'],
        ['join', 'join → end'],
        ['end', 'end'],
      ],
    );
    const text = fixtureText('flows/counter_branch.ts');
    const join = symbols[0].children!.find((c) => c.name === 'join')!;
    assert.equal(textIn(text, join.selectionRange), 'join');
    assert.match(textIn(text, join.range), /^@step join\(inputs/);

    const params = await lsp.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: uriOf('flows/parameters.ts') },
    });
    const detail = params[0].children?.filter((c) => c.detail?.startsWith('Parameter')).map((c) => c.detail);
    assert.ok(detail && detail.some((d) => d?.startsWith('Parameter --creature')), `parameters listed: ${JSON.stringify(detail)}`);
  });

  it('outlines every conformance flow (golden)', async () => {
    const files = readdirSync(join(fixturesDir, 'flows')).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      const uri = fixtureUri(`flows/${file}`).replace(/\.ts$/, '_outline.ts');
      await lsp.open(uri, fixtureText(`flows/${file}`));
      const symbols = await lsp.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      const compact = (x: DocumentSymbol): unknown => ({
        name: x.name,
        detail: x.detail,
        kind: x.kind,
        range: rangeText(x.range),
        selection: rangeText(x.selectionRange),
        ...(x.children?.length ? { children: x.children.map(compact) } : {}),
      });
      expectGolden(`symbols/${file.replace(/\.ts$/, '.json')}`, symbols.map(compact));
      await lsp.close(uri);
    }
  });

  it('goes from this.next(this.a) to the step method', async () => {
    const f = 'flows/counter_branch.ts';
    const defs = await lsp.request<Location[]>('textDocument/definition', at(f, 'this.addTwo)', 'this.'.length + 2));
    assert.deepEqual(texts(f, defs), ['addTwo']);
    assert.deepEqual(defs[0].range.start, positionOf(fixtureText(f), '@step addTwo', '@step '.length));
  });

  it("goes from { foreach: 'creatures' } and this.creatures to the artifact's declaration and assignments", async () => {
    const f = 'flows/foreach.ts';
    const text = fixtureText(f);
    const fromString = await lsp.request<Location[]>('textDocument/definition', at(f, "foreach: 'creatures'", "foreach: 'cr".length));
    assert.deepEqual(texts(f, fromString), ['creatures', 'creatures']);
    assert.deepEqual(lines(fromString), [positionOf(text, 'declare creatures').line + 1, positionOf(text, 'this.creatures =').line + 1]);
    const fromThis = await lsp.request<Location[]>('textDocument/definition', at(f, 'this.creature = this.input', 'this.cr'.length));
    assert.deepEqual(lines(fromThis), [
      positionOf(text, 'declare creature:').line + 1,
      positionOf(text, 'this.creature = this.input').line + 1,
    ]);
  });

  it("goes from a join's inputs.a to step a, and from inputs.a.x to artifact x", async () => {
    const f = 'flows/counter_branch.ts';
    const text = fixtureText(f);
    const step = await lsp.request<Location[]>('textDocument/definition', at(f, 'inputs.addTwo.count', 'inputs.add'.length));
    assert.deepEqual(step[0].range.start, positionOf(text, '@step addTwo', '@step '.length));
    const artifact = await lsp.request<Location[]>('textDocument/definition', at(f, 'inputs[0].creature', 'inputs[0].cr'.length));
    assert.deepEqual(lines(artifact), [
      positionOf(text, 'declare creature').line + 1,
      positionOf(text, "this.creature = 'dog'").line + 1,
      positionOf(text, 'this.creature = inputs[0]').line + 1,
    ]);
  });

  it('finds every reference to a step and to an artifact', async () => {
    const f = 'flows/counter_branch.ts';
    const text = fixtureText(f);
    const joinRefs = await lsp.request<Location[]>('textDocument/references', {
      ...at(f, '@step join', '@step jo'.length),
      context: { includeDeclaration: true },
    });
    assert.deepEqual(texts(f, joinRefs), ['join', 'join', 'join']);
    const addOneRefs = await lsp.request<Location[]>('textDocument/references', {
      ...at(f, '@step addOne', '@step add'.length),
      context: { includeDeclaration: false },
    });
    assert.deepEqual(lines(addOneRefs), [
      positionOf(text, 'this.next(this.addOne').line + 1,
      positionOf(text, 'inputs.addOne.count').line + 1,
    ]);
    assert.deepEqual(lines(joinRefs), [
      positionOf(text, '@step join').line + 1,
      positionOf(text, 'this.next(this.join)', 0, 0).line + 1,
      positionOf(text, 'this.next(this.join)', 0, 1).line + 1,
    ]);
    const countRefs = await lsp.request<Location[]>('textDocument/references', {
      ...at(f, 'this.count = 0', 'this.co'.length),
      context: { includeDeclaration: false },
    });
    // start assigns it, addOne and addTwo update it, join reads it from two branches and
    // assigns it, end reads it.
    assert.equal(countRefs.length, 7);
    assert.ok(texts(f, countRefs).every((t) => t === 'count'));
    assert.ok(!lines(countRefs).includes(positionOf(text, 'declare count').line + 1), 'no declaration unless asked');
  });

  it('shows a step card on hover: doc comment, kind, successors, artifacts', async () => {
    const hello = await lsp.request<Hover>('textDocument/hover', at('flows/hello.ts', 'this.next(this.hello)', 'this.next(this.he'.length));
    const value = (hello.contents as MarkupContent).value;
    assert.match(value, /\(step\) hello\(\) — linear step/);
    assert.match(value, /Just saying hi/);
    assert.match(value, /\*\*Next:\*\* `end`/);

    const start = await lsp.request<Hover>('textDocument/hover', at('flows/counter_branch.ts', '@step start', '@step st'.length));
    const card = (start.contents as MarkupContent).value;
    assert.match(card, /start step, static split/);
    assert.match(card, /\*\*Next:\*\* `addOne`, `addTwo`/);
    assert.match(card, /\*\*Assigns:\*\* `creature`, `count`/);

    const foreach = await lsp.request<Hover>('textDocument/hover', at('flows/foreach.ts', '@step start', '@step st'.length));
    assert.match((foreach.contents as MarkupContent).value, /one task per item of `creatures`/);
  });

  it("lists a step's decorators with their options on hover, and sends them in the flow graph", async () => {
    const f = 'runtime/production/catching.ts';
    const h = await lsp.request<Hover>('textDocument/hover', at(f, '@step hang', '@step ha'.length));
    const card = (h.contents as MarkupContent).value;
    assert.match(card, /\*\*Decorators:\*\*/);
    assert.ok(
      card.includes(
        '- `@catchFailure({ var: "hangFailure" })` — a failure after the last attempt is caught and the flow goes on; `hangFailure` holds it',
      ),
      card,
    );
    assert.ok(card.includes('- `@retry({ times: 1, minutesBetweenRetries: 0 })` — up to 1 retry, at once'), card);
    assert.ok(card.includes('- `@timeout({ seconds: 2 })` — each attempt is killed after 2 s'), card);
    const plain = await lsp.request<Hover>('textDocument/hover', at(f, '@step start', '@step st'.length));
    assert.doesNotMatch((plain.contents as MarkupContent).value, /Decorators/);

    const graph = (await lsp.flowGraph(uriOf(f)))?.graph;
    const hang = graph?.steps.find((s) => s.name === 'hang');
    assert.deepEqual(
      hang?.decorators?.map((d) => [d.name, d.options.map((o) => `${o.key}=${JSON.stringify(o.value)}`).join(',')]),
      [
        ['catchFailure', 'var="hangFailure"'],
        ['retry', 'times=1,minutesBetweenRetries=0'],
        ['timeout', 'seconds=2'],
      ],
    );
  });

  it('shows a function default as computed at run start (never called while reading), with the type its returns give', async () => {
    const h = await lsp.request<Hover>('textDocument/hover', at('runtime/production/testMode.ts', 'this.testMode ?', 'this.te'.length));
    const card = (h.contents as MarkupContent).value;
    assert.ok(card.includes('`--test-mode`, boolean, default computed at run start by `(ctx) => !ctx.isProduction`'), card);
  });

  it('shows an artifact card on hover: its declaration and the steps that set and read it', async () => {
    const h = await lsp.request<Hover>('textDocument/hover', at('flows/counter_branch.ts', 'this.creature);', 'this.cr'.length));
    const value = (h.contents as MarkupContent).value;
    assert.match(value, /\(artifact\) declare creature: string/);
    assert.match(value, /\*\*Assigned in:\*\* `start`, `join`/);
    assert.match(value, /\*\*Read in:\*\* `end`/);
  });

  it('explains this.input in a foreach step, and that it is undefined elsewhere', async () => {
    const inForeach = await lsp.request<Hover>('textDocument/hover', at('flows/foreach.ts', 'this.input as string', 'this.in'.length));
    assert.match(
      (inForeach.contents as MarkupContent).value,
      /The item of `creatures` \(the foreach in `start`\) that this task of `analyzeCreatures` handles/,
    );
    const uri = fixtureUri('flows/hello.ts').replace('hello.ts', 'hello_input.ts');
    const text = fixtureText('flows/hello.ts').replace("console.log('Hello World!');", 'console.log(this.input);');
    await lsp.open(uri, text);
    const elsewhere = await lsp.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, 'this.input', 'this.in'.length),
    });
    assert.match((elsewhere.contents as MarkupContent).value, /nothing runs `hello` that way, so it is `undefined` here/);
    await lsp.close(uri);
  });

  it('answers nothing on hover over ordinary code', async () => {
    const h = await lsp.request<Hover | null>('textDocument/hover', at('flows/hello.ts', "console.log('Hello", 2));
    assert.equal(h, null);
  });

  function itemsOf(result: CompletionItem[] | CompletionList | null): CompletionItem[] {
    if (!result) return [];
    return Array.isArray(result) ? result : result.items;
  }

  it('completes step names inside this.next(this. — while the call is half-typed', async () => {
    const uri = fixtureUri('flows/counter_branch.ts').replace('counter_branch', 'counter_branch_typing');
    const doc = new Mirror(uri, fixtureText('flows/counter_branch.ts'));
    await lsp.open(uri, doc.text);
    await lsp.diagnosticsFor(uri, 1);
    const typing = doc.replace('this.next(this.addOne, this.addTwo);', 'this.next(this.addOne, this.a');
    await lsp.change(uri, typing.version, typing.changes);
    const position = positionOf(doc.text, 'this.next(this.addOne, this.a', 'this.next(this.addOne, this.a'.length);
    const items = itemsOf(await lsp.request('textDocument/completion', { textDocument: { uri }, position }));
    assert.deepEqual(
      items.map((i) => i.label),
      ['addOne', 'addTwo', 'join', 'end'],
    );
    const edit = items[0].textEdit as { range: { start: { character: number } } };
    assert.equal(edit.range.start.character, position.character - 1, 'the typed prefix is replaced');
    await lsp.close(uri);
  });

  it("completes artifact names inside foreach: ' — those set on the way first", async () => {
    const uri = fixtureUri('flows/foreach.ts').replace('foreach.ts', 'foreach_typing.ts');
    const doc = new Mirror(uri, fixtureText('flows/foreach.ts'));
    await lsp.open(uri, doc.text);
    await lsp.diagnosticsFor(uri, 1);
    const typing = doc.replace("{ foreach: 'creatures' });", "{ foreach: '");
    await lsp.change(uri, typing.version, typing.changes);
    const position = positionOf(doc.text, "{ foreach: '", "{ foreach: '".length);
    const items = itemsOf(await lsp.request('textDocument/completion', { textDocument: { uri }, position }));
    const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    assert.equal(sorted[0].label, 'creatures', 'the only artifact start has set comes first');
    assert.deepEqual(items.map((i) => i.label).sort(), ['best', 'creature', 'creatures', 'score']);
    await lsp.close(uri);
  });

  it('offers no completion elsewhere', async () => {
    const items = itemsOf(await lsp.request('textDocument/completion', at('flows/hello.ts', "console.log('Hello", 3)));
    assert.deepEqual(items, []);
  });

  it('answers stepwise/getFlowGraph with the current graph', async () => {
    const uri = uriOf('flows/foreach.ts');
    const result = await lsp.flowGraph(uri);
    assert.equal(result?.version, 1);
    assert.equal(result.graph?.flowName, 'ForeachFlow');
    assert.deepEqual(
      result?.graph?.steps.map((s) => `${s.name}:${s.kind}`),
      ['start:start', 'analyzeCreatures:linear', 'join:join', 'end:end'],
    );
    assert.equal(await lsp.flowGraph('file:///not/open.ts'), null);
  });
});
