/**
 * Quick fixes over stdio: ask for the code actions at a diagnostic, apply the workspace edit
 * to the text, send it back as an edit, and check the diagnostic is gone.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { messageOf } from './golden';
import { fixturesDir, fixtureText, LspSession } from './lspSession';
import { applyWorkspaceEdit, Mirror } from './textTools';

describe('language server: quick fixes', function () {
  let lsp: LspSession;
  let counter = 0;
  before(async () => {
    lsp = await LspSession.start();
  });
  after(async () => {
    await lsp?.stop();
  });

  /** Opens `text` as a fresh document and returns it with its first diagnostics. */
  async function openFresh(text: string) {
    const uri = pathToFileURL(join(fixturesDir, '..', 'scratch', `fix_${++counter}.ts`)).href;
    const doc = new Mirror(uri, text);
    await lsp.open(uri, text);
    const published = await lsp.diagnosticsFor(uri, 1);
    return { uri, doc, diagnostics: published.diagnostics };
  }

  async function fixesFor(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    return lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
  }

  /** Applies the action's edit, sends the new text as one replacement, returns the new findings. */
  async function apply(uri: string, doc: Mirror, action: CodeAction) {
    const fixed = applyWorkspaceEdit(doc.text, uri, action.edit);
    const whole = { start: { line: 0, character: 0 }, end: doc.positionAt(doc.text.length) };
    const change = doc.edit([{ range: whole, text: fixed }]);
    await lsp.change(uri, change.version, change.changes);
    return { text: fixed, diagnostics: (await lsp.diagnosticsFor(uri, change.version)).diagnostics };
  }

  const byCode = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code);

  it('adds the missing end step', async () => {
    const { uri, doc, diagnostics } = await openFresh(fixtureText('invalid/no_end.ts'));
    const missing = byCode(diagnostics, 'SW002')[0];
    assert.ok(missing, 'the missing end is reported');
    const actions = await fixesFor(uri, missing);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Add the missing `end` step'],
    );
    assert.equal(actions[0].kind, 'quickfix');
    assert.equal(actions[0].diagnostics?.[0].code, 'SW002');
    const sourceOnly = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: missing.range,
      context: { diagnostics: [missing], only: ['source.fixAll'] },
    });
    assert.deepEqual(sourceOnly, [], 'no quick fix where only source actions are asked for');
    const after = await apply(uri, doc, actions[0]);
    assert.match(after.text, /  @step hello\(\) \{ this\.next\(this\.end\); \}\n  @step end\(\) \{\}\n\}/);
    assert.deepEqual(after.diagnostics.map(messageOf), [], 'the flow is valid once `end` exists');
  });

  it('adds inputs: Inputs<Flow> to a join and imports Inputs', async () => {
    const { uri, doc, diagnostics } = await openFresh(fixtureText('invalid/join_without_inputs.ts'));
    const join = byCode(diagnostics, 'SW011')[0];
    assert.ok(join);
    const actions = await fixesFor(uri, join);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Add `inputs: Inputs<JoinWithoutInputsFlow>` to the join `join`'],
    );
    const after = await apply(uri, doc, actions[0]);
    assert.match(after.text, /@step join\(inputs: Inputs<JoinWithoutInputsFlow>\) \{/);
    assert.match(after.text, /^import \{ FlowSpec, step, type Inputs \} from 'stepwise';/);
    assert.deepEqual(byCode(after.diagnostics, 'SW011'), []);
    assert.equal(byCode(after.diagnostics, 'SW004').length, 1, 'the unrelated finding stays');
  });

  it('adds only the parameter when Inputs is imported already (round trip to the original)', async () => {
    const original = fixtureText('flows/counter_branch.ts');
    const broken = original.replace('@step join(inputs: Inputs<CounterBranchFlow>)', '@step join()');
    const { uri, doc, diagnostics } = await openFresh(broken);
    const join = byCode(diagnostics, 'SW011')[0];
    assert.ok(join);
    const [action] = await fixesFor(uri, join);
    assert.equal(action.edit?.changes?.[uri].length, 1, 'no import edit');
    const after = await apply(uri, doc, action);
    assert.equal(after.text, original);
    assert.deepEqual(after.diagnostics, []);
  });

  it('writes an import when the file imports nothing from stepwise by name', async () => {
    const text = fixtureText('invalid/join_without_inputs.ts').replace(
      "import { FlowSpec, step } from 'stepwise';",
      "import * as sw from 'stepwise';\nconst { FlowSpec, step } = sw;",
    );
    const { uri, doc, diagnostics } = await openFresh(text);
    const join = byCode(diagnostics, 'SW011')[0];
    assert.ok(join);
    const [action] = await fixesFor(uri, join);
    const after = applyWorkspaceEdit(doc.text, uri, action.edit);
    assert.match(after, /^import \* as sw from 'stepwise';\nimport type \{ Inputs \} from 'stepwise';\n/);
  });

  it('renames a mistyped transition target to the closest step (round trip to the original)', async () => {
    const original = fixtureText('flows/hello.ts');
    const { uri, doc, diagnostics } = await openFresh(original.replace('this.next(this.hello)', 'this.next(this.helo)'));
    const unknown = byCode(diagnostics, 'SW003')[0];
    assert.ok(unknown);
    const actions = await fixesFor(uri, unknown);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Change `helo` to `hello`'],
    );
    const after = await apply(uri, doc, actions[0]);
    assert.equal(after.text, original);
    assert.deepEqual(after.diagnostics, []);
  });

  it('renames a mistyped foreach list to the artifact the linter suggests', async () => {
    const original = fixtureText('flows/foreach.ts');
    const { uri, doc, diagnostics } = await openFresh(original.replace("foreach: 'creatures'", "foreach: 'creaturs'"));
    const unknown = byCode(diagnostics, 'SW013')[0];
    assert.ok(unknown);
    const actions = await fixesFor(uri, unknown);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Change `creaturs` to `creatures`'],
    );
    const after = await apply(uri, doc, actions[0]);
    assert.equal(after.text, original);
    assert.deepEqual(after.diagnostics, []);
  });

  it('decorates a method that this.next names but that lacks @step (round trip to the original)', async () => {
    const original = fixtureText('flows/hello.ts');
    const { uri, doc, diagnostics } = await openFresh(original.replace('@step hello()', 'hello()'));
    const unknown = byCode(diagnostics, 'SW003')[0];
    assert.ok(unknown);
    const actions = await fixesFor(uri, unknown);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Make `hello` a step (add @step)'],
    );
    const after = await apply(uri, doc, actions[0]);
    assert.equal(after.text, original);
    assert.deepEqual(after.diagnostics, []);
  });

  it('renames a badly styled step everywhere the flow names it (round trip to the original)', async () => {
    const original = fixtureText('flows/counter_branch.ts');
    const styled = original.replaceAll('addOne', 'AddOne');
    const { uri, doc, diagnostics } = await openFresh(styled);
    const style = byCode(diagnostics, 'SW020')[0];
    assert.ok(style);
    const actions = await fixesFor(uri, style);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Rename step `AddOne` to `addOne` (and every `next` naming it)'],
    );
    // The method, `this.next(this.AddOne, …)` and `inputs.AddOne`; not the text in a string.
    assert.equal(actions[0].edit?.changes?.[uri].length, 3);
    const after = await apply(uri, doc, actions[0]);
    assert.equal(after.text, original.replace("'count from addOne'", "'count from AddOne'"));
    assert.deepEqual(after.diagnostics, []);
  });

  it("gives a switch without condition the artifact its step assigns, as { condition: '…' }", async () => {
    const text = [
      "import { FlowSpec, step } from 'stepwise';",
      'export default class SwitchFix extends FlowSpec {',
      '  declare size: string;',
      "  @step start() { this.size = 'small'; this.next({ small: this.a, large: this.end }); }",
      '  @step a() { this.next(this.end); }',
      '  @step end() {}',
      '}',
      '',
    ].join('\n');
    const { uri, doc, diagnostics } = await openFresh(text);
    const missing = byCode(diagnostics, 'SW030')[0];
    assert.ok(missing, 'the missing condition is reported');
    const actions = await fixesFor(uri, missing);
    assert.deepEqual(
      actions.map((a) => a.title),
      ["Add `condition: 'size'` to the switch"],
    );
    const after = await apply(uri, doc, actions[0]);
    assert.ok(after.text.includes("this.next({ small: this.a, large: this.end }, { condition: 'size' });"), after.text);
    assert.deepEqual(after.diagnostics.map(messageOf), []);
  });

  it('offers nothing where the fix is not clear', async () => {
    const { uri, diagnostics } = await openFresh(fixtureText('invalid/cycle_and_orphan.ts'));
    assert.ok(diagnostics.length > 0);
    for (const d of diagnostics) assert.deepEqual(await fixesFor(uri, d), [], `no fix for ${d.code}`);
  });
});
