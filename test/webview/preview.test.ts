/**
 * The DAG preview page (dist/webview.js) in headless Chromium, on the conformance flows'
 * graphs as the graph module reads them. Screenshots go to test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { parseFlow } from '../../runtime/src/graph';
import type { FlowGraph } from '../../runtime/src/graph/types';
import { renderPreviewHtml } from '../../webview/src/html';
import type { RunOverlay } from '../../webview/src/messages';
import { listRuns, runOverlay } from '../../client/src/state/runs';
import { exited, startUntil, type Background } from '../support/background';
import { Workspace } from '../support/workspace';
import { distanceToBox, overlaps, readLabels, readPicture, segmentCrossesBox } from './geometry';
import { launchChromium, openPreview, repoRoot, type PreviewPage } from './page';

const flowsDir = join(repoRoot, 'test', 'fixtures', 'flows');
const invalidDir = join(repoRoot, 'test', 'fixtures', 'invalid');

function graphOf(dir: string, file: string): FlowGraph {
  return parseFlow(readFileSync(join(dir, file), 'utf8'), file);
}

const graphMessage = (graph: FlowGraph, extra: { hasErrors?: boolean; problem?: string; uri?: string } = {}) => ({
  type: 'graph' as const,
  graph,
  hasErrors: extra.hasErrors ?? false,
  problem: extra.problem,
  uri: extra.uri ?? `file:///flows/${graph.file ?? graph.flowName}`,
});

describe('DAG preview page (Chromium)', function () {
  let browser: Browser;
  let open: PreviewPage[] = [];
  const preview = async (opts?: Parameters<typeof openPreview>[1]): Promise<PreviewPage> => {
    const p = await openPreview(browser, opts);
    open.push(p);
    return p;
  };

  before(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const p of open) {
      // No CSP violation, console error or page exception in any test.
      assert.deepEqual(p.problems, []);
      await p.close();
    }
    open = [];
  });
  after(async () => {
    await browser?.close();
  });

  it('builds a page whose CSP allows only its nonce script and the webview origin', () => {
    const html = renderPreviewHtml({ cspSource: 'vscode-resource:', nonce: 'abc123', scriptUri: 's.js', styleUri: 's.css' });
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(html, /<script nonce="abc123" src="s\.js"><\/script>/);
    assert.doesNotMatch(html, /style="/);
  });

  for (const file of readdirSync(flowsDir).filter((f) => f.endsWith('.ts'))) {
    it(`draws ${file}: every step once, no overlapping boxes, edges between the right steps`, async () => {
      const graph = graphOf(flowsDir, file);
      const p = await preview();
      const r = await p.draw(graphMessage(graph));
      assert.equal(r.stepCount, graph.steps.length);
      const pic = await readPicture(p.page);
      assert.deepEqual(pic.nodes.map((n) => n.step).sort(), graph.steps.map((s) => s.name).sort());
      for (const s of graph.steps) assert.equal(pic.nodes.find((n) => n.step === s.name)?.kind, s.kind, s.name);
      for (let i = 0; i < pic.nodes.length; i++)
        for (let j = i + 1; j < pic.nodes.length; j++)
          assert.ok(!overlaps(pic.nodes[i], pic.nodes[j]), `${pic.nodes[i].step} overlaps ${pic.nodes[j].step}`);
      const expected = graph.steps.flatMap((s) => s.successors.map((t) => `${s.name}->${t}`)).sort();
      assert.deepEqual(pic.edges.map((e) => `${e.from}->${e.to}`).sort(), expected);
      for (const e of pic.edges) {
        const from = pic.nodes.find((n) => n.step === e.from)!;
        const to = pic.nodes.find((n) => n.step === e.to)!;
        assert.ok(distanceToBox(e.points[0], from) < 1, `${e.from}->${e.to} starts on ${e.from}`);
        assert.ok(distanceToBox(e.points[e.points.length - 1], to) < 1, `${e.from}->${e.to} ends on ${e.to}`);
      }
    });
  }

  it('draws a foreach as one node carrying its variable, with the variable on the edge', async () => {
    const graph = graphOf(flowsDir, 'wide_foreach.ts');
    const fanOut = graph.steps.find((s) => s.foreachVar)!;
    const body = fanOut.successors[0];
    const p = await preview();
    await p.draw(graphMessage(graph));
    const pic = await readPicture(p.page);
    assert.equal(pic.nodes.filter((n) => n.step === body).length, 1);
    assert.ok(pic.nodes.find((n) => n.step === body)!.classes.includes('foreach-body'));
    const line = await p.page.textContent(`.node[data-step="${body}"] .foreach-line`);
    assert.equal(line, `each ${fanOut.foreachVar}`);
    const label = await p.page.textContent(`.edge-label[data-from="${fanOut.name}"][data-to="${body}"] text`);
    assert.equal(label, fanOut.foreachVar);
    // After a run: the task count, still on the one node.
    await p.send({
      type: 'overlay',
      overlay: { runId: '7', status: 'running', steps: { [body]: { state: 'running', done: 998, total: 1000, running: 2 } } },
    });
    await p.page.waitForFunction(
      (b) => document.querySelector(`.node[data-step="${b}"] .foreach-line`)?.textContent?.includes('998/1000'),
      body,
    );
    assert.equal((await readPicture(p.page)).nodes.filter((n) => n.step === body).length, 1);
  });

  it("draws a switch as a decision node with its cases on its edges, and a loop's way back as a feedback edge", async () => {
    const graph = graphOf(join(repoRoot, 'test', 'fixtures', 'runtime'), 'switch_loop.ts');
    const p = await preview();
    await p.draw(graphMessage(graph));
    const pic = await readPicture(p.page);
    assert.equal(pic.nodes.find((n) => n.step === 'refine')?.kind, 'switch');
    for (let i = 0; i < pic.nodes.length; i++)
      for (let j = i + 1; j < pic.nodes.length; j++)
        assert.ok(!overlaps(pic.nodes[i], pic.nodes[j]), `${pic.nodes[i].step} overlaps ${pic.nodes[j].step}`);
    const label = (from: string, to: string) => p.page.textContent(`.edge-label[data-from="${from}"][data-to="${to}"] text`);
    assert.equal(await label('start', 'quick'), 'small');
    assert.equal(await label('start', 'thorough'), 'large');
    assert.equal(await label('refine', 'refine'), 'again');
    assert.equal(await label('refine', 'end'), 'done');
    const classes = (from: string, to: string) => p.page.getAttribute(`path.edge[data-from="${from}"][data-to="${to}"]`, 'class');
    assert.match((await classes('refine', 'refine')) ?? '', /edge-back/);
    assert.doesNotMatch((await classes('refine', 'end')) ?? '', /edge-back/);
    assert.match((await classes('start', 'quick')) ?? '', /edge-case/);
    await assertSelfLoopVisible(p, 'refine');
    await p.screenshot('switch-loop');
    const since = p.sent.length;
    await p.send({ type: 'settings', direction: 'DOWN' });
    await p.next('rendered', since);
    await assertSelfLoopVisible(p, 'refine');
    await p.screenshot('switch-loop-down');
  });

  it('shows at a switch which case ran and on a loop how many passes it made, live in a real run and after it', async function () {
    this.timeout(180_000);
    const graph = graphOf(join(repoRoot, 'test', 'fixtures', 'runtime'), 'switch_loop.ts');
    const p = await preview();
    await p.draw(graphMessage(graph));
    const edgeClass = async (from: string, to: string) =>
      [
        await p.page.getAttribute(`path.edge[data-from="${from}"][data-to="${to}"]`, 'class'),
        await p.page.getAttribute(`.edge-label[data-from="${from}"][data-to="${to}"]`, 'class'),
      ].join(' ');
    const badge = (step: string) => p.page.locator(`.node[data-step="${step}"] .pass-badge text`).textContent({ timeout: 5000 });
    const marked = async (from: string, to: string, how: 'taken' | 'not-taken' | 'none') => {
      const c = await edgeClass(from, to);
      const taken = (c.match(/\bcase-taken\b/g) ?? []).length;
      const faded = (c.match(/\bcase-not-taken\b/g) ?? []).length;
      assert.deepEqual([taken, faded], how === 'taken' ? [2, 0] : how === 'not-taken' ? [0, 2] : [0, 0], `${from}->${to}: ${c}`);
    };
    await marked('start', 'quick', 'none');
    assert.equal(await p.page.locator('.pass-badge').count(), 0, 'no badge before any run');

    // Live: a real run caught in the 2nd pass of its loop (the task waits for a file).
    const ws = new Workspace();
    const gate = join(ws.dir, 'gate');
    let bg: Background | undefined;
    try {
      const flow = ws.copy('runtime/switch_loop.ts');
      bg = await startUntil(ws, ['run', flow], /pass 2 waits at the gate/, { GATE_PASS: '2', GATE: gate });
      const [run] = await listRuns(ws.root, 'SwitchLoopFlow');
      const live = (await runOverlay(ws.root, 'SwitchLoopFlow', run.runId))!;
      assert.equal(live.status, 'running');
      assert.deepEqual(live.steps.refine, { state: 'running', done: 1, total: 2, running: 1, passes: 2, cases: { again: 1 } });
      assert.deepEqual(live.steps.start.cases, { small: 1 });
      await p.send({ type: 'overlay', overlay: live });
      assert.equal(await badge('refine'), '×2');
      await marked('start', 'quick', 'taken');
      await marked('start', 'thorough', 'not-taken');
      await marked('refine', 'refine', 'taken');
      await marked('refine', 'end', 'not-taken');
      await p.screenshot('switch-loop-running');

      // Finished: 3 passes, the last one took `done`.
      writeFileSync(gate, '');
      assert.equal(await exited(bg.child), 0, bg.output());
      const overlay = (await runOverlay(ws.root, 'SwitchLoopFlow', run.runId))!;
      assert.equal(overlay.status, 'succeeded');
      assert.deepEqual(overlay.steps.refine.cases, { again: 2, done: 1 });
      await p.send({ type: 'overlay', overlay });
    } finally {
      if (bg && bg.child.exitCode === null) {
        writeFileSync(gate, '');
        await exited(bg.child);
      }
      ws.dispose();
    }
    assert.equal(await badge('refine'), '×3');
    assert.equal(await p.page.textContent('.node[data-step="refine"] .pass-badge title'), '3 passes of the loop');
    await marked('start', 'quick', 'taken');
    await marked('start', 'thorough', 'not-taken');
    await marked('refine', 'refine', 'taken');
    await marked('refine', 'end', 'taken');
    assert.match((await p.page.textContent('path.edge[data-from="refine"][data-to="refine"] title')) ?? '', /taken 2 times/);
    assert.equal(await p.page.locator('.pass-badge').count(), 1, 'only the loop has passes');
    assert.match((await p.page.getAttribute('.node[data-step="thorough"]', 'class')) ?? '', /state-not-run/);
    await p.screenshot('switch-loop-run');

    // Another run picked with no overlay: the marks go.
    await p.send({ type: 'overlay', overlay: null });
    await p.page.waitForFunction(() => !document.querySelector('.pass-badge'));
    await marked('refine', 'end', 'none');
  });

  /** A case naming its own step: an arc leaving and re-entering the node, clear of it, of other nodes and of every label. */
  async function assertSelfLoopVisible(p: PreviewPage, step: string): Promise<void> {
    const pic = await readPicture(p.page);
    const node = pic.nodes.find((n) => n.step === step)!;
    const loop = pic.edges.find((e) => e.from === step && e.to === step);
    assert.ok(loop, `no edge from ${step} to itself`);
    assert.ok(loop.points.length >= 4, `the loop is an arc, not a point: ${JSON.stringify(loop.points)}`);
    assert.ok(distanceToBox(loop.points[0], node) < 1 && distanceToBox(loop.points[loop.points.length - 1], node) < 1);
    const reach = Math.max(...loop.points.map((q) => distanceToBox(q, node)));
    assert.ok(reach >= 20, `the loop reaches ${reach} px out of ${step}: too small to see past its arrow head`);
    const segments = loop.points.slice(1).map((q, i) => [loop.points[i], q] as const);
    for (const [a, b] of segments) {
      for (const n of pic.nodes) assert.ok(!segmentCrossesBox(a, b, n), `the loop runs through ${n.step}`);
      for (const l of await readLabels(p.page)) assert.ok(!segmentCrossesBox(a, b, l), `the label of ${l.from}->${l.to} covers the loop`);
    }
  }

  it('marks decorated steps with badges (↻ retries, catch, ⏱ timeout, resources) whose tooltips list the options', async () => {
    const graph = parseFlow(
      readFileSync(join(repoRoot, 'test', 'fixtures', 'runtime', 'production', 'catching.ts'), 'utf8'),
      'catching.ts',
    );
    const p = await preview({ theme: 'dark' });
    await p.draw(graphMessage(graph));
    const badges = (step: string) =>
      p.page.$$eval(`.node[data-step="${step}"] .badge`, (els) =>
        els.map((e) => [e.getAttribute('data-badge'), e.getAttribute('aria-label'), e.querySelector('title')?.textContent]),
      );
    assert.deepEqual(await badges('hang'), [
      [
        'catchFailure',
        'catch',
        '@catchFailure({ var: "hangFailure" }): a failure after the last attempt is caught and the flow goes on; `hangFailure` holds it',
      ],
      ['retry', '↻1', '@retry({ times: 1, minutesBetweenRetries: 0 }): up to 1 retry, at once'],
      ['timeout', '⏱2s', '@timeout({ seconds: 2 }): each attempt is killed after 2 s'],
    ]);
    assert.deepEqual(
      (await badges('risky')).map((b) => b[1]),
      ['catch'],
    );
    // ⏱ is drawn (many fonts lack the glyph): a stopwatch icon, then the duration.
    assert.equal(await p.page.textContent('.node[data-step="hang"] .badge-timeout text'), '2s');
    assert.equal(await p.page.locator('.node[data-step="hang"] .badge-timeout .badge-icon circle').count(), 1);
    assert.deepEqual(await badges('start'), []);
    // The node's tooltip lists them too; the badges sit inside the node, which grew to hold them.
    const tip = await p.page.textContent('.node[data-step="hang"] > title');
    assert.match(tip ?? '', /@retry\(\{ times: 1, minutesBetweenRetries: 0 \}\)/);
    const pic = await readPicture(p.page);
    const hang = pic.nodes.find((n) => n.step === 'hang')!;
    const start = pic.nodes.find((n) => n.step === 'start')!;
    assert.ok(hang.height > start.height, 'a decorated node is taller');
    const row = await p.page.evaluate(() => {
      const node = document.querySelector('.node[data-step="hang"] .shape')!.getBoundingClientRect();
      return [...document.querySelectorAll('.node[data-step="hang"] .badge rect')].map((r) => {
        const b = r.getBoundingClientRect();
        return b.left >= node.left && b.right <= node.right && b.top >= node.top && b.bottom <= node.bottom;
      });
    });
    assert.deepEqual(row, [true, true, true], 'every badge inside its node');
    for (let i = 0; i < pic.nodes.length; i++)
      for (let j = i + 1; j < pic.nodes.length; j++) assert.ok(!overlaps(pic.nodes[i], pic.nodes[j]));
    await p.screenshot('badges-dark');

    // Editing the options redraws the badge (same geometry, new text).
    const edited = parseFlow(
      readFileSync(join(repoRoot, 'test', 'fixtures', 'runtime', 'production', 'catching.ts'), 'utf8').replace('times: 1', 'times: 4'),
      'catching.ts',
    );
    await p.draw(graphMessage(edited));
    assert.equal(await p.page.textContent('.node[data-step="hang"] .badge-retry text'), '↻4');
  });

  it('shows each step doc comment as its tooltip', async () => {
    const graph = graphOf(flowsDir, 'hello.ts');
    const withDoc = graph.steps.find((s) => s.doc);
    assert.ok(withDoc, 'hello.ts documents its steps');
    const p = await preview();
    await p.draw(graphMessage(graph));
    const title = await p.page.textContent(`.node[data-step="${withDoc.name}"] > title`);
    assert.ok(title?.includes(withDoc.doc!), title ?? '');
  });

  it('posts revealStep when a step is clicked or activated from the keyboard', async () => {
    const graph = graphOf(flowsDir, 'counter_branch.ts');
    const p = await preview();
    await p.draw(graphMessage(graph));
    const target = graph.steps[1].name;
    let since = p.sent.length;
    await p.page.click(`.node[data-step="${target}"]`);
    assert.deepEqual(await p.next('revealStep', since), { type: 'revealStep', step: target });
    since = p.sent.length;
    await p.page.focus(`.node[data-step="end"]`);
    await p.page.keyboard.press('Enter');
    assert.deepEqual(await p.next('revealStep', since), { type: 'revealStep', step: 'end' });
  });

  it('keeps pan and zoom when the graph changes, fits only the first graph and on request', async () => {
    const text = readFileSync(join(flowsDir, 'hello.ts'), 'utf8');
    const graph = parseFlow(text, 'hello.ts');
    const p = await preview();
    await p.draw(graphMessage(graph));
    const fitted = (await readPicture(p.page)).transform;
    assert.ok(fitted);
    // Pan by dragging the background, zoom with the wheel.
    await p.page.mouse.move(40, 120);
    await p.page.mouse.down();
    await p.page.mouse.move(140, 180, { steps: 5 });
    await p.page.mouse.up();
    await p.page.mouse.move(400, 300);
    await p.page.mouse.wheel(0, -200);
    await p.page.waitForFunction((t) => document.getElementById('viewport')!.getAttribute('transform') !== t, fitted);
    const moved = (await readPicture(p.page)).transform;
    // The author adds a step: hello → extra → end.
    const edited = text
      .replace(/this\.next\(this\.end\)/, 'this.next(this.extra)')
      .replace(/(\n\s*@step\s+end\b)/, '\n  @step extra() {\n    this.next(this.end);\n  }\n$1');
    const bigger = parseFlow(edited, 'hello.ts');
    assert.equal(bigger.steps.length, graph.steps.length + 1);
    const r = await p.draw(graphMessage(bigger));
    assert.equal(r.stepCount, graph.steps.length + 1);
    const after = await readPicture(p.page);
    assert.ok(after.nodes.some((n) => n.step === 'extra'));
    assert.equal(after.transform, moved, 'the viewport did not move');
    await p.page.click('#fit');
    await p.page.waitForFunction((t) => document.getElementById('viewport')!.getAttribute('transform') !== t, moved);
  });

  it('refits a grown graph that would be cut off, as long as the user has not moved the view', async () => {
    const text = readFileSync(join(flowsDir, 'hello.ts'), 'utf8');
    const p = await preview({ width: 520, height: 400 });
    await p.draw(graphMessage(parseFlow(text, 'hello.ts')));
    const chain = ['extra1', 'extra2', 'extra3', 'extra4'];
    const grown = text
      .replace(/this\.next\(this\.end\)/, `this.next(this.${chain[0]})`)
      .replace(
        /(\n\s*@step\s+end\b)/,
        chain.map((n, i) => `\n  @step ${n}() {\n    this.next(this.${chain[i + 1] ?? 'end'});\n  }\n`).join('') + '$1',
      );
    const r = await p.draw(graphMessage(parseFlow(grown, 'hello.ts')));
    assert.equal(r.stepCount, 7);
    const offscreen = await p.page.evaluate(() => {
      const canvas = document.getElementById('dag')!.getBoundingClientRect();
      return [...document.querySelectorAll('.node')]
        .filter((n) => {
          const b = n.getBoundingClientRect();
          return b.left < canvas.left - 0.5 || b.right > canvas.right + 0.5 || b.top < canvas.top - 0.5 || b.bottom > canvas.bottom + 0.5;
        })
        .map((n) => n.getAttribute('data-step'));
    });
    assert.deepEqual(offscreen, []);
  });

  it('keeps the last good graph, dimmed, with the problem named while the file has errors', async () => {
    const good = graphOf(flowsDir, 'foreach.ts');
    const p = await preview();
    await p.draw(graphMessage(good));
    const broken = graphOf(invalidDir, 'no_end.ts');
    const r = await p.draw(
      graphMessage(
        { ...broken, file: good.file },
        { hasErrors: true, problem: "Line 12: step 'end' is missing", uri: `file:///flows/${good.file}` },
      ),
    );
    assert.equal(r.dimmed, true);
    assert.equal(r.stepCount, good.steps.length);
    assert.deepEqual((await readPicture(p.page)).nodes.map((n) => n.step).sort(), good.steps.map((s) => s.name).sort());
    assert.ok(await p.page.evaluate(() => document.body.classList.contains('has-errors')));
    const opacity = await p.page.evaluate(() => getComputedStyle(document.getElementById('viewport')!).opacity);
    assert.ok(Number(opacity) < 1);
    const banner = await p.page.textContent('#banner');
    assert.match(banner ?? '', /step 'end' is missing.*last valid graph/);
    await p.screenshot('errors-light');
    // Fixed again: full opacity, no banner.
    const fixed = await p.draw(graphMessage(good));
    assert.equal(fixed.dimmed, false);
    assert.equal(await p.page.isVisible('#banner'), false);
  });

  it('draws a transition to a step that does not exist as a marked placeholder', async () => {
    const graph = graphOf(flowsDir, 'hello.ts');
    const typo = { ...graph, steps: graph.steps.map((s) => (s.name === 'start' ? { ...s, successors: ['helo'] } : s)) };
    const p = await preview();
    await p.draw(graphMessage(typo, { hasErrors: true, problem: 'no step helo' }));
    const pic = await readPicture(p.page);
    const ghost = pic.nodes.find((n) => n.step === 'helo');
    assert.ok(ghost?.classes.includes('kind-missing'));
    assert.ok(pic.edges.some((e) => e.from === 'start' && e.to === 'helo'));
  });

  it('colours steps by run state, counts foreach tasks, marks the paused task', async () => {
    const graph = graphOf(flowsDir, 'foreach.ts');
    const [start, body, join, end] = graph.steps.map((s) => s.name);
    const p = await preview({ theme: 'dark' });
    await p.draw(graphMessage(graph));
    const overlay: RunOverlay = {
      runId: '1700000000001',
      status: 'failed',
      steps: {
        [start]: { state: 'succeeded', done: 1, total: 1 },
        [body]: { state: 'failed', done: 2, total: 3, failed: 1 },
        [join]: { state: 'killed' },
      },
      pausedTask: `1700000000001/${body}/4`,
    };
    await p.send({ type: 'overlay', overlay });
    await p.page.waitForSelector(`.node[data-step="${body}"].state-failed`);
    const classes = Object.fromEntries((await readPicture(p.page)).nodes.map((n) => [n.step, n.classes]));
    assert.ok(classes[start].includes('state-succeeded'));
    assert.ok(classes[join].includes('state-killed'));
    assert.ok(classes[end].includes('state-not-run'), 'a step missing from the run is not run');
    const fills = await p.page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('.node')].map((g) => [
          g.getAttribute('data-step'),
          getComputedStyle(g.querySelector('.shape')!).fill,
        ]),
      ),
    );
    assert.notEqual(fills[start], fills[body]);
    assert.notEqual(fills[start], fills[end]);
    assert.equal(await p.page.textContent(`.node[data-step="${body}"] .foreach-line`), `each ${graph.steps[0].foreachVar} · 2/3`);
    assert.equal(await p.page.locator(`.node[data-step="${body}"] .pause-marker`).count(), 1);
    await p.screenshot('overlay-dark');
    await p.send({ type: 'overlay', overlay: null });
    await p.page.waitForFunction(() => !document.querySelector('.node.has-run'));
  });

  it('highlights the step under the editor cursor', async () => {
    const graph = graphOf(flowsDir, 'counter.ts');
    const p = await preview();
    await p.draw(graphMessage(graph));
    await p.send({ type: 'highlight', step: graph.steps[1].name });
    await p.page.waitForSelector(`.node[data-step="${graph.steps[1].name}"].highlighted`);
    assert.equal(await p.page.locator('.node.highlighted').count(), 1);
    await p.send({ type: 'highlight', step: null });
    await p.page.waitForFunction(() => !document.querySelector('.node.highlighted'));
  });

  it('lists runs in the picker and posts selectRun', async () => {
    const p = await preview();
    await p.draw(graphMessage(graphOf(flowsDir, 'hello.ts')));
    await p.send({
      type: 'runs',
      runs: [
        { runId: '3', status: 'running' },
        { runId: '2', status: 'failed' },
      ],
      selected: '3',
    });
    await p.page.waitForSelector('#run-picker:not([disabled])');
    const since = p.sent.length;
    await p.page.selectOption('#run-picker', '2');
    assert.deepEqual(await p.next('selectRun', since), { type: 'selectRun', runId: '2' });
  });

  it('exports the picture as standalone SVG and as PNG', async () => {
    const graph = graphOf(flowsDir, 'classifier_train.ts');
    const p = await preview({ theme: 'dark' });
    await p.draw(graphMessage(graph));
    let since = p.sent.length;
    await p.page.click('#export-svg');
    const svg = await p.next('export', since);
    assert.equal(svg.format, 'svg');
    assert.match(svg.data, /^<\?xml[^]*<svg[^]*viewBox="0 0 \d+ \d+"/);
    for (const s of graph.steps) assert.ok(svg.data.includes(`>${s.name}</text>`), s.name);
    assert.doesNotMatch(svg.data, /var\(--/, 'theme colours are resolved');
    since = p.sent.length;
    await p.send({ type: 'requestExport', format: 'png' });
    const png = await p.next('export', since);
    assert.match(png.data, /^data:image\/png;base64,/);
    assert.ok(Buffer.from(png.data.split(',')[1], 'base64').subarray(1, 4).toString() === 'PNG');
  });

  it('lays out top-to-bottom when the direction setting is DOWN', async () => {
    const graph = graphOf(flowsDir, 'counter.ts');
    const p = await preview();
    await p.draw(graphMessage(graph));
    const wide = await readPicture(p.page);
    const since = p.sent.length;
    await p.send({ type: 'settings', direction: 'DOWN' });
    await p.next('rendered', since);
    const tall = await readPicture(p.page);
    const at = (pic: typeof wide, s: string) => pic.nodes.find((n) => n.step === s)!;
    assert.ok(at(wide, 'end').x > at(wide, 'start').x + at(wide, 'start').width);
    assert.ok(at(tall, 'end').y > at(tall, 'start').y + at(tall, 'start').height);
  });

  it('restores the saved pan/zoom for the same document after a reload', async () => {
    const graph = graphOf(flowsDir, 'hello.ts');
    const uri = 'file:///flows/hello.ts';
    const p = await preview({ state: { uri, view: { x: 33, y: 44, k: 0.5 } } });
    await p.draw(graphMessage(graph, { uri }));
    assert.equal((await readPicture(p.page)).transform, 'translate(33,44) scale(0.5)');
  });

  it('explains the shapes and colours in a legend', async () => {
    const p = await preview({ theme: 'dark' });
    await p.draw(graphMessage(graphOf(flowsDir, 'foreach.ts')));
    assert.equal(await p.page.isVisible('#legend'), false);
    await p.page.click('#legend-toggle');
    await p.page.waitForSelector('#legend li');
    const labels = await p.page.locator('#legend li span').allTextContents();
    assert.deepEqual(labels, [
      'start / end',
      'step',
      'split',
      'foreach',
      'switch (one case runs)',
      'join',
      'succeeded',
      'running',
      'failed',
      'cloned',
      'killed',
      'not run',
    ]);
    assert.equal(await p.page.getAttribute('#legend-toggle', 'aria-expanded'), 'true');
    await p.screenshot('legend-dark');
    await p.page.click('#legend-toggle');
    assert.equal(await p.page.isVisible('#legend'), false);
  });

  it('shows why there is nothing to draw', async () => {
    const p = await preview();
    await p.draw(graphMessage(graphOf(flowsDir, 'hello.ts')));
    await p.send({ type: 'noFlow', reason: 'No flow class in notes.ts' });
    await p.page.waitForSelector('#empty:not(.hidden)');
    assert.equal(await p.page.textContent('#empty'), 'No flow class in notes.ts');
    assert.equal(await p.page.locator('.node').count(), 0);
  });

  for (const theme of ['light', 'dark', 'hc'] as const) {
    it(`renders legibly in the ${theme} theme (screenshot)`, async () => {
      const graph = graphOf(flowsDir, 'classifier_train.ts');
      const p = await preview({ theme });
      await p.draw(graphMessage(graph));
      const fg = await p.page.evaluate(() => getComputedStyle(document.querySelector('.step-name')!).fill);
      const bg = await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.notEqual(fg, bg);
      await p.screenshot(`classifier-${theme}`);
      const fe = graphOf(flowsDir, 'foreach.ts');
      await p.draw(graphMessage(fe));
      await p.send({
        type: 'overlay',
        overlay: {
          runId: '12',
          status: 'running',
          steps: { start: { state: 'succeeded' }, [fe.steps[1].name]: { state: 'running', done: 998, total: 1000, running: 2 } },
          pausedTask: `12/${fe.steps[1].name}/5`,
        },
      });
      await p.send({ type: 'highlight', step: 'join' });
      await p.page.waitForSelector('.node.highlighted');
      await p.screenshot(`foreach-run-${theme}`);
    });
  }
});
