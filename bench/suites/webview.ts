/**
 * The DAG preview: edit-to-redrawn latency on the generated 100-step flow, split into the
 * language server's share (didChange → stepwise/flowGraph, dist/server.js over stdio) and the
 * page's share (graph message received → SVG painted, measured inside Chromium), plus elk
 * layout time by flow size. Everything runs for real: the server bundle, the page bundle.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { parseFlow } from '../../runtime/src/graph';
import type { FlowGraph } from '../../runtime/src/graph/types';
import { FlowGraphNotification, type FlowGraphParams } from '../../server/src/protocol';
import { renderPreviewHtml } from '../../webview/src/html';
import type { FromWebview } from '../../webview/src/messages';
import { generateFlow } from '../flowgen';
import { median, round, type BenchFigure, type BenchSuite } from '../report';

const root = join(__dirname, '..', '..', '..');
const ORIGIN = 'https://stepwise-bench.test';
const TARGET_MS = 150;
const EDITS = 15;

type Rendered = Extract<FromWebview, { type: 'rendered' }>;

interface PreviewPage {
  draw(graph: FlowGraph, uri?: string): Promise<Rendered>;
}

async function openPage(browser: Browser): Promise<PreviewPage> {
  const page: Page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
  const rendered: Rendered[] = [];
  const waiters: Array<() => void> = [];
  await page.exposeFunction('__benchPost', (m: FromWebview) => {
    if (m.type === 'rendered') rendered.push(m);
    if (m.type === 'error') throw new Error(`preview page: ${m.message}`);
    for (const w of waiters.splice(0)) w();
  });
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => (w.__benchPost as (m: unknown) => void)(m),
      getState: () => null,
      setState: () => undefined,
    });
  });
  const html = renderPreviewHtml({
    cspSource: ORIGIN,
    nonce: 'bench' + Date.now(),
    scriptUri: `${ORIGIN}/webview.js`,
    styleUri: `${ORIGIN}/preview.css`,
  });
  await page.route(`${ORIGIN}/**`, (route) => {
    const file = new URL(route.request().url()).pathname.slice(1);
    if (file === 'index.html') return route.fulfill({ contentType: 'text/html', body: html });
    return route.fulfill({
      contentType: file.endsWith('.js') ? 'text/javascript' : 'text/css',
      body: readFileSync(join(root, 'dist', file)),
    });
  });
  await page.goto(`${ORIGIN}/index.html`);
  return {
    async draw(graph, uri = 'file:///bench/flow.ts') {
      const before = rendered.length;
      const done = new Promise<Rendered>((resolve) => {
        const check = () => (rendered.length > before ? resolve(rendered[before]) : waiters.push(check));
        check();
      });
      await page.evaluate((m) => window.postMessage(m, '*'), { type: 'graph' as const, graph, hasErrors: false, uri });
      return done;
    },
  };
}

/** The language server bundle over stdio, keeping every flowGraph notification. */
class Server {
  private graphs: FlowGraphParams[] = [];
  private waiters: Array<() => void> = [];
  private constructor(
    private readonly conn: ProtocolConnection,
    private readonly kill: () => void,
  ) {}

  static async start(): Promise<Server> {
    const proc = spawn(process.execPath, [join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    const s = new Server(conn, () => proc.kill());
    conn.onNotification(FlowGraphNotification, (p: FlowGraphParams) => {
      s.graphs.push(p);
      for (const w of s.waiters.splice(0)) w();
    });
    conn.listen();
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: {} });
    await conn.sendNotification('initialized', {});
    return s;
  }

  graphFor(uri: string, version: number): Promise<FlowGraphParams> {
    return new Promise((resolve) => {
      const check = () => {
        const g = this.graphs.find((p) => p.uri === uri && p.version === version);
        if (g) resolve(g);
        else this.waiters.push(check);
      };
      check();
    });
  }

  open(uri: string, text: string): Promise<void> {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  }

  change(uri: string, version: number, text: string): Promise<void> {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  async stop(): Promise<void> {
    await this.conn.sendRequest('shutdown').catch(() => undefined);
    await this.conn.sendNotification('exit').catch(() => undefined);
    this.kill();
    this.conn.dispose();
  }
}

/** Adds a step `extra` after `start` (or takes it out again): the picture's shape changes. */
function toggleExtraStep(base: string, add: boolean): string {
  if (!add) return base;
  const m = /(@step start\(\) \{[\s\S]*?this\.next\(this\.)(\w+)(\);)/.exec(base);
  if (!m) throw new Error('generated flow: no start → next found');
  const first = m[2];
  const withNext = base.replace(m[0], `${m[1]}extra${m[3]}`);
  const at = withNext.lastIndexOf('}');
  return `${withNext.slice(0, at)}  /** Added by the benchmark. */\n  @step extra() {\n    this.next(this.${first});\n  }\n${withNext.slice(at)}`;
}

/** A keystroke inside a step body: the picture's shape stays. */
function typeInBody(base: string, i: number): string {
  return base.replace('this.total = 0;', `this.total = ${i};`);
}

async function editLatency(
  page: PreviewPage,
  name: string,
  edit: (i: number) => string,
  expectSteps: (i: number) => number,
): Promise<BenchFigure[]> {
  const hasServer = existsSync(join(root, 'dist', 'server.js'));
  const uri = pathToFileURL(join(root, 'bench', `${name.replace(/\W+/g, '-')}.ts`)).href;
  const server = hasServer ? await Server.start() : undefined;
  const serverMs: number[] = [];
  const pageMs: number[] = [];
  const totals: number[] = [];
  try {
    const first = edit(0);
    let graph: FlowGraph;
    if (server) {
      await server.open(uri, first);
      graph = (await server.graphFor(uri, 1)).graph!;
    } else graph = parseFlow(first, 'bench.ts');
    await page.draw(graph, uri);
    for (let i = 1; i <= EDITS + 3; i++) {
      const text = edit(i);
      let ms = 0;
      if (server) {
        const t = process.hrtime.bigint();
        await server.change(uri, i + 1, text);
        graph = (await server.graphFor(uri, i + 1)).graph!;
        ms = Number(process.hrtime.bigint() - t) / 1e6;
      } else graph = parseFlow(text, 'bench.ts');
      const r = await page.draw(graph, uri);
      if (r.stepCount !== expectSteps(i)) throw new Error(`${name}: drew ${r.stepCount} steps, expected ${expectSteps(i)}`);
      if (i <= 3) continue; // warm-up
      serverMs.push(ms);
      pageMs.push(r.ms);
      totals.push(ms + r.ms);
    }
  } finally {
    await server?.stop();
  }
  const total = median(totals);
  const figures: BenchFigure[] = [
    {
      group: 'webview',
      name: `edit → redrawn, 100-step flow, ${name}: ${server ? 'server didChange → flowGraph + ' : ''}Chromium message → painted, median of ${EDITS}`,
      value: round(total),
      unit: 'ms',
      target: `≤ ${TARGET_MS} ms median`,
      ok: total <= TARGET_MS,
      note: `${server ? '' : 'dist/server.js missing: Chromium share only; '}load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`,
    },
    {
      group: 'webview',
      name: `  Chromium share (message received → SVG painted), ${name}, median`,
      value: round(median(pageMs)),
      unit: 'ms',
    },
  ];
  if (server)
    figures.push({
      group: 'webview',
      name: `  server share (didChange → stepwise/flowGraph over stdio), ${name}, median`,
      value: round(median(serverMs)),
      unit: 'ms',
    });
  return figures;
}

async function layoutTimes(page: PreviewPage): Promise<BenchFigure[]> {
  const sizes = [10, 100, 300];
  const graphs = sizes.map((n) => parseFlow(generateFlow(n), `gen${n}.ts`));
  const times = new Map<number, number[]>(sizes.map((n) => [n, []]));
  const paints = new Map<number, number[]>(sizes.map((n) => [n, []]));
  // Cycling through the sizes makes every draw a new shape, so elk runs each time.
  for (let round = 0; round < 9; round++) {
    for (let i = 0; i < sizes.length; i++) {
      const r = await page.draw(graphs[i]);
      if (r.layoutMs === undefined) throw new Error('the page reused a layout it should have recomputed');
      if (round < 2) continue;
      times.get(sizes[i])!.push(r.layoutMs);
      paints.get(sizes[i])!.push(r.ms);
    }
  }
  return sizes.flatMap((n, i) => [
    {
      group: 'webview',
      name: `elk layered layout, ${n} steps (${graphs[i].steps.length} nodes), median of 7`,
      value: round(median(times.get(n)!)),
      unit: 'ms' as const,
    },
    {
      group: 'webview',
      name: `  full redraw incl. layout, ${n} steps, median of 7`,
      value: round(median(paints.get(n)!)),
      unit: 'ms' as const,
    },
  ]);
}

export const suite: BenchSuite = {
  group: 'webview',
  async run() {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const base = generateFlow(100);
      const baseSteps = parseFlow(base, 'bench.ts').steps.length;
      const figures: BenchFigure[] = [];
      figures.push(
        ...(await editLatency(
          await openPage(browser),
          'a step added/removed (relayout)',
          (i) => toggleExtraStep(base, i % 2 === 1),
          (i) => baseSteps + (i % 2),
        )),
      );
      figures.push(
        ...(await editLatency(
          await openPage(browser),
          'typing inside a step (layout reused)',
          (i) => typeInBody(base, i),
          () => baseSteps,
        )),
      );
      figures.push(...(await layoutTimes(await openPage(browser))));
      return figures;
    } finally {
      await browser.close();
    }
  },
};
