/**
 * The DAG preview inside a real VS Code: the command opens it beside the flow, edits redraw it
 * (the webview reports each paint back through the API), it follows the active flow, dims on
 * errors, highlights the step under the cursor and reveals a step in the editor.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RenderEvent } from '../../../client/src/preview';
import { activateStepwise, openInEditor, screenshot, waitFor, waitForGraph, workspaceFile, workspaceFolder } from './support';

const HELLO = `import { FlowSpec, step } from 'stepwise';

/** A flow the preview test edits. */
export default class PreviewEditFlow extends FlowSpec {
  /** First step. */
  @step start() {
    this.next(this.hello);
  }

  /** Says hello. */
  @step hello() {
    console.log('hello');
    this.next(this.end);
  }

  @step end() {}
}
`;

const DECORATED = `import { FlowSpec, catchFailure, retry, step, timeout } from 'stepwise';

/** A flow with production decorators, for the preview's badges and the step hover. */
export default class DecoratedPreviewFlow extends FlowSpec {
  declare failure: { type: string; message: string } | null;

  @retry({ times: 3, minutesBetweenRetries: 0 })
  @step start() {
    this.next(this.fragile);
  }

  @catchFailure({ var: 'failure' })
  @timeout({ minutes: 5 })
  @step fragile() {
    this.next(this.end);
  }

  @step end() {}
}
`;

describe('DAG preview', () => {
  // Later suites expect the editor area as they left it: close the panel.
  after(async () => {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const panels = tabs.filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('stepwise.dag'));
    if (panels.length) await vscode.window.tabGroups.close(panels);
  });

  it('opens beside the flow and redraws when a step is added', async () => {
    const api = await activateStepwise();
    const file = workspaceFile('preview/edit_me.ts');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(HELLO));
    const editor = await openInEditor('preview/edit_me.ts');
    const doc = editor.document;
    await api.languageClientReady;
    await waitForGraph(api, doc);

    const renders: RenderEvent[] = [];
    const sub = api.preview.onDidRender((r) => renders.push(r));
    const rendered = (what: string, accept: (r: RenderEvent) => boolean, since: number) =>
      waitFor(what, api.preview.onDidRender, () => renders.slice(since).find((r) => r.uri === doc.uri.toString() && accept(r)), 30_000);
    try {
      let since = renders.length;
      await vscode.commands.executeCommand('stepwise.showDag');
      const first = await rendered('the first paint of the preview', (r) => r.stepCount === 3, since);
      assert.equal(first.dimmed, false);
      assert.equal(api.preview.currentUri()?.toString(), doc.uri.toString());
      // Beside the editor, which kept the focus.
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => ({ t, column: g.viewColumn })));
      const panelTab = tabs.find(({ t }) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('stepwise.dag'));
      assert.ok(panelTab, `no preview tab among ${tabs.map(({ t }) => t.label).join(', ')}`);
      assert.notEqual(panelTab.column, editor.viewColumn);
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), doc.uri.toString());

      // The author adds a step between hello and end.
      since = renders.length;
      const edit = new vscode.WorkspaceEdit();
      const text = doc.getText();
      const next = text.indexOf('this.next(this.end)');
      edit.replace(
        doc.uri,
        new vscode.Range(doc.positionAt(next), doc.positionAt(next + 'this.next(this.end)'.length)),
        'this.next(this.extra)',
      );
      const endAt = text.indexOf('  @step end()');
      edit.insert(doc.uri, doc.positionAt(endAt), '  /** Added by the test. */\n  @step extra() {\n    this.next(this.end);\n  }\n\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const redrawn = await rendered('the redraw with the added step', (r) => r.stepCount === 4, since);
      assert.equal(redrawn.dimmed, false);
      assert.deepEqual(
        api.preview.lastGraph(doc.uri)?.steps.map((s) => s.name),
        ['start', 'hello', 'extra', 'end'],
      );
      assert.ok(redrawn.ms > 0);

      // The cursor inside a step highlights it; a click's reveal selects the step's name.
      const inHello = doc.positionAt(doc.getText().indexOf("console.log('hello')"));
      editor.selection = new vscode.Selection(inHello, inHello);
      await waitFor('hello to be highlighted', vscode.window.onDidChangeTextEditorSelection, () =>
        api.preview.highlightedStep() === 'hello' ? true : undefined,
      );
      await api.preview.revealStep('extra');
      const active = vscode.window.activeTextEditor;
      assert.equal(active?.document.uri.toString(), doc.uri.toString());
      assert.equal(active?.document.getText(active.selection), 'extra');

      await screenshot('preview-beside-editor', ['iframe.webview.ready', '.monaco-editor .view-lines']);

      // Broken: the picture stays, dimmed.
      since = renders.length;
      const broken = new vscode.WorkspaceEdit();
      const t2 = doc.getText();
      const endDecl = t2.indexOf('  @step end() {}');
      broken.delete(doc.uri, new vscode.Range(doc.positionAt(endDecl), doc.positionAt(endDecl + '  @step end() {}'.length)));
      assert.ok(await vscode.workspace.applyEdit(broken));
      const dimmed = await rendered('the dimmed redraw of the broken flow', (r) => r.dimmed, since);
      assert.equal(dimmed.stepCount, 4, 'the last good graph stays');
      await screenshot('preview-dimmed-on-errors', ['iframe.webview.ready']);
      const fix = new vscode.WorkspaceEdit();
      fix.insert(doc.uri, doc.positionAt(endDecl), '  @step end() {}');
      assert.ok(await vscode.workspace.applyEdit(fix));
      await rendered('the redraw after the fix', (r) => !r.dimmed && r.stepCount === 4, since);

      // Another flow in the editor: the preview follows it.
      since = renders.length;
      const other = await openInEditor('flows/foreach.ts');
      await waitFor(
        'the preview to follow foreach.ts',
        api.preview.onDidRender,
        () => renders.slice(since).find((r) => r.uri === other.document.uri.toString()),
        30_000,
      );
      assert.equal(api.preview.currentUri()?.toString(), other.document.uri.toString());
    } finally {
      sub.dispose();
    }
  });

  it('draws decorator badges on steps, and the step hover lists the decorators with their options', async () => {
    const api = await activateStepwise();
    const file = workspaceFile('preview/decorated.ts');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(DECORATED));
    const editor = await openInEditor('preview/decorated.ts');
    const doc = editor.document;
    await api.languageClientReady;
    await waitForGraph(api, doc);
    const renders: RenderEvent[] = [];
    const sub = api.preview.onDidRender((r) => renders.push(r));
    try {
      await api.preview.show(doc.uri);
      const drawn = await waitFor(
        'the decorated flow drawn with its badges',
        api.preview.onDidRender,
        () => renders.find((r) => r.uri === doc.uri.toString() && r.stepCount === 3),
        30_000,
      );
      assert.deepEqual(drawn.badges, { start: ['↻3'], fragile: ['catch', '⏱5m'] });

      // Hover over the step method's name in the editor.
      const at = doc.positionAt(doc.getText().indexOf('fragile() {') + 2);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const text = hovers
        .flatMap((h) => h.contents)
        .map((c) => (typeof c === 'string' ? c : c.value))
        .join('\n');
      assert.ok(text.includes('`@catchFailure({ var: "failure" })`'), text);
      assert.ok(text.includes('`@timeout({ minutes: 5 })` — each attempt is killed after 300 s'), text);

      // Editing an option redraws its badge.
      const since = renders.length;
      const edit = new vscode.WorkspaceEdit();
      const times = doc.getText().indexOf('times: 3');
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(times), doc.positionAt(times + 'times: 3'.length)), 'times: 5');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor(
        'the badge to follow the edit',
        api.preview.onDidRender,
        () => renders.slice(since).find((r) => r.uri === doc.uri.toString() && r.badges.start?.[0] === '↻5'),
        30_000,
      );
      await screenshot('preview-decorator-badges', ['iframe.webview.ready']);
    } finally {
      sub.dispose();
    }
  });

  it('colours the graph by the latest run, re-read when a CLI run writes the datastore', async () => {
    const api = await activateStepwise();
    const editor = await openInEditor('flows/foreach.ts');
    await waitForGraph(api, editor.document);
    await api.preview.show(editor.document.uri);
    assert.equal(api.preview.currentUri()?.toString(), editor.document.uri.toString());
    // Whatever flow the preview followed before (the debugging suites leave it on another), it
    // never lists that flow's runs for this one, not even while this one's are being read.
    const foreachRuns = join(workspaceFolder().fsPath, '.stepwise', 'ForeachFlow', 'runs');
    const own = existsSync(foreachRuns) ? readdirSync(foreachRuns) : [];
    for (const r of api.preview.runView().runs) assert.ok(own.includes(r.runId), `run ${r.runId} is not a ForeachFlow run`);

    // A run from a terminal: the extension only learns of it through the datastore watcher.
    const repo = process.env.STEPWISE_TEST_REPO;
    assert.ok(repo, 'the launcher sets STEPWISE_TEST_REPO');
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    delete env.STEPWISE_DATASTORE_ROOT;
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [join(repo, 'dist', 'cli.js'), 'run', 'flows/foreach.ts'], {
        cwd: workspaceFolder().fsPath,
        env,
        stdio: 'ignore',
      });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    assert.equal(code, 0);
    // The run the CLI just made: the newest run folder of the flow (run ids are start times).
    // (Not a count of the preview's runs before it: right after show() that list may still be
    // another flow's, the one the preview followed before.)
    const cliRun = readdirSync(foreachRuns).sort((a, b) => Number(b) - Number(a))[0];

    const view = await waitFor(
      'the finished run on the preview',
      api.preview.onDidChangeRuns,
      () => {
        const v = api.preview.runView();
        return v.runs[0]?.runId === cliRun && v.runs[0].status === 'succeeded' && v.overlay?.runId === cliRun ? v : undefined;
      },
      30_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; the preview shows ${JSON.stringify(api.preview.runView())}`);
    });
    assert.equal(view.selected, view.runs[0].runId);
    for (const step of ['start', 'analyzeCreatures', 'join', 'end']) assert.equal(view.overlay?.steps[step]?.state, 'succeeded', step);
    assert.deepEqual(view.overlay?.steps.analyzeCreatures, { state: 'succeeded', done: 3, total: 3 });
    await screenshot('preview-run-overlay', ['iframe.webview.ready']);

    // The same picture in VS Code's own dark and high-contrast themes (its CSS variables, not ours).
    const workbench = vscode.workspace.getConfiguration('workbench');
    const themes: Array<[string, vscode.ColorThemeKind, string, string]> = [
      ['Default Dark Modern', vscode.ColorThemeKind.Dark, 'vs-dark', 'dark'],
      ['Default High Contrast', vscode.ColorThemeKind.HighContrast, 'hc-black', 'high-contrast'],
    ];
    try {
      for (const [theme, kind, cls, slug] of themes) {
        const changed = waitFor(`the ${theme} theme`, vscode.window.onDidChangeActiveColorTheme, () =>
          vscode.window.activeColorTheme.kind === kind ? true : undefined,
        );
        await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await changed;
        await screenshot(`preview-run-overlay-${slug}`, [`.monaco-workbench.${cls}`, 'iframe.webview.ready']);
      }
    } finally {
      await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
