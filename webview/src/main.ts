/**
 * The DAG preview page. Receives `ToWebview` messages, lays the graph out with elkjs, draws SVG,
 * and answers with `FromWebview` messages. Graphs arriving faster than layout are coalesced:
 * only the newest waiting one is drawn.
 */
import type { FlowGraph } from '../../runtime/src/graph/types';
import { exportSvg, svgToPng } from './export';
import { layoutGraph } from './layout';
import { buildLegend } from './legend';
import type { FromWebview, PreviewState, RunOverlay, ToWebview } from './messages';
import { buildSpecs, layoutKey, type Direction, type GraphLayout, type Measure } from './model';
import { applyOverlay } from './overlay';
import { renderGraph, type RenderedGraph } from './render';
import { Viewport } from './viewport';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type GraphJob = Extract<ToWebview, { type: 'graph' }> & { receivedAt: number };

const vscode = acquireVsCodeApi();
const post = (m: FromWebview): void => vscode.postMessage(m);

const $ = <T extends Element>(id: string): T => document.getElementById(id) as unknown as T;
const svg = $<SVGSVGElement>('dag');
const group = $<SVGGElement>('viewport');
const banner = $<HTMLDivElement>('banner');
const empty = $<HTMLDivElement>('empty');
const flowName = $<HTMLSpanElement>('flow-name');
const runPicker = $<HTMLSelectElement>('run-picker');

const saved = (vscode.getState() ?? {}) as PreviewState;
let state: PreviewState = { ...saved };
const viewport = new Viewport(svg, group, (view) => {
  state = { ...state, view };
  vscode.setState(state);
});

let direction: Direction = 'RIGHT';
let pending: GraphJob | undefined;
let lastJob: GraphJob | undefined;
let busy = false;
let identity: string | undefined;
let lastGood: FlowGraph | undefined;
let layout: GraphLayout | undefined;
let rendered: RenderedGraph | undefined;
let overlay: RunOverlay | null = null;
let highlighted: string | null = null;
let needsFit = true;
/** The pan/zoom saved before a reload, applied to the first graph of the same document. */
let restoreView: PreviewState['view'];

const measure = makeMeasure();

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
  switch (m.type) {
    case 'graph':
      pending = { ...m, receivedAt: performance.now() };
      void pump();
      break;
    case 'noFlow':
      showNoFlow(m.reason);
      break;
    case 'highlight':
      highlighted = m.step;
      applyHighlight();
      break;
    case 'runs':
      fillRuns(m.runs, m.selected);
      break;
    case 'overlay':
      overlay = m.overlay;
      if (rendered) applyOverlay(rendered, overlay);
      break;
    case 'settings':
      if (m.direction !== direction) {
        direction = m.direction;
        needsFit = true;
        if (lastJob && !pending) {
          pending = { ...lastJob, receivedAt: performance.now() };
          void pump();
        }
      }
      break;
    case 'fit':
      if (layout) viewport.fit(layout.width, layout.height);
      break;
    case 'requestExport':
      void doExport(m.format);
      break;
  }
});

async function pump(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    while (pending) {
      const job = pending;
      pending = undefined;
      try {
        await draw(job);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        showBanner(`The graph could not be drawn: ${message}`);
        post({ type: 'error', message });
      }
    }
  } finally {
    busy = false;
  }
}

async function draw(job: GraphJob): Promise<void> {
  lastJob = job;
  const id = job.uri ?? job.graph.file ?? job.graph.flowName ?? '';
  if (id !== identity) {
    // Another flow: its own picture, fitted (or the view saved before a reload, if it is the same file).
    identity = id;
    lastGood = undefined;
    restoreView = !layout && saved.view && saved.uri === job.uri ? saved.view : undefined;
    needsFit = !restoreView;
  }
  if (!job.hasErrors) lastGood = job.graph;
  const shown = job.hasErrors && lastGood ? lastGood : job.graph;
  const specs = buildSpecs(shown, measure);
  let layoutMs: number | undefined;
  const reusable = layout && layout.direction === direction ? layout : undefined;
  const next = await (async () => {
    const fresh = reusable ? reuse(reusable, specs) : undefined;
    if (fresh) return fresh;
    const t = performance.now();
    const l = await layoutGraph(specs.nodes, specs.edges, direction, (s) => measure(s, 'small'));
    layoutMs = performance.now() - t;
    return l;
  })();
  layout = next;
  empty.classList.add('hidden');
  svg.classList.remove('hidden');
  rendered = renderGraph(group, next);
  applyOverlay(rendered, overlay);
  applyHighlight();
  flowName.textContent = shown.flowName ?? '';
  const dimmed = job.hasErrors;
  document.body.classList.toggle('has-errors', dimmed);
  if (dimmed) {
    const what = job.problem ?? 'The flow has errors.';
    showBanner(lastGood && lastGood !== job.graph ? `${what} — showing the last valid graph.` : what);
  } else hideBanner();
  state = { ...state, uri: job.uri };
  if (restoreView) {
    viewport.set(restoreView);
    viewport.userMoved = true;
    restoreView = undefined;
  } else if (needsFit || (!viewport.userMoved && !viewport.shows(next.width, next.height))) {
    // Fitted on the first graph; after that the view only moves by itself while the user has
    // not panned or zoomed, and only when the grown graph would otherwise be cut off.
    viewport.fit(next.width, next.height);
    needsFit = false;
  }
  vscode.setState(state);
  await painted();
  post({
    type: 'rendered',
    stepCount: shown.steps.length,
    ms: performance.now() - job.receivedAt,
    layoutMs,
    dimmed,
    badges: drawnBadges(),
  });
}

/** The badges as drawn, by step: what the extension's tests see of them. */
function drawnBadges(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const node of group.querySelectorAll<SVGGElement>('.node[data-step]')) {
    const badges = [...node.querySelectorAll('.badge')].map((b) => b.getAttribute('aria-label') ?? '');
    if (badges.length) out[node.dataset.step!] = badges;
  }
  return out;
}

/** Same geometry as last time (only docs or ranges changed): keep every position. */
function reuse(prev: GraphLayout, specs: ReturnType<typeof buildSpecs>): GraphLayout | undefined {
  if (layoutKey(prev.direction, specs.nodes, specs.edges) !== prev.key) return undefined;
  const nodes = prev.nodes.map((p, i) => ({ ...p, doc: specs.nodes[i].doc, badges: specs.nodes[i].badges }));
  return { ...prev, nodes };
}

/** Resolves once the frame holding the new DOM has been painted. */
function painted(): Promise<void> {
  return new Promise((resolve) => {
    if (document.visibilityState === 'hidden') {
      setTimeout(resolve, 0);
      return;
    }
    requestAnimationFrame(() => {
      // rAF runs before the paint; a message posted from it is handled after that paint.
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve();
      ch.port2.postMessage(0);
    });
  });
}

function showNoFlow(reason: string): void {
  pending = undefined;
  lastJob = undefined;
  identity = undefined;
  lastGood = undefined;
  layout = undefined;
  rendered = undefined;
  needsFit = true;
  group.replaceChildren();
  flowName.textContent = '';
  document.body.classList.remove('has-errors');
  hideBanner();
  empty.textContent = reason;
  empty.classList.remove('hidden');
  svg.classList.add('hidden');
}

function applyHighlight(): void {
  if (!rendered) return;
  for (const [step, g] of rendered.nodeByStep) g.classList.toggle('highlighted', step === highlighted);
}

function showBanner(text: string): void {
  banner.textContent = text;
  banner.classList.remove('hidden');
}

function hideBanner(): void {
  banner.textContent = '';
  banner.classList.add('hidden');
}

function fillRuns(runs: Array<{ runId: string; status: string; startedAt?: string }>, selected?: string): void {
  runPicker.replaceChildren();
  if (!runs.length) {
    const o = document.createElement('option');
    o.value = '';
    o.textContent = 'no runs';
    runPicker.appendChild(o);
    runPicker.disabled = true;
    return;
  }
  for (const r of runs) {
    const o = document.createElement('option');
    o.value = r.runId;
    o.textContent = `${r.runId} · ${r.status}`;
    if (r.startedAt) o.title = `started ${r.startedAt}`;
    runPicker.appendChild(o);
  }
  runPicker.disabled = false;
  runPicker.value = selected ?? runs[0].runId;
}

async function doExport(format: 'svg' | 'png'): Promise<void> {
  if (!layout) return;
  try {
    const bg = getComputedStyle(document.body).backgroundColor || '#ffffff';
    const text = exportSvg(svg, layout.width, layout.height, bg);
    const data = format === 'svg' ? text : await svgToPng(text, layout.width, layout.height);
    post({ type: 'export', format, data });
  } catch (err) {
    post({ type: 'error', message: `Export failed: ${err instanceof Error ? err.message : String(err)}` });
  }
}

function stepOf(target: EventTarget | null): string | undefined {
  const node = target instanceof Element ? target.closest('.node[data-step]') : null;
  return node && !node.classList.contains('kind-missing') ? (node.getAttribute('data-step') ?? undefined) : undefined;
}

group.addEventListener('click', (e) => {
  if (viewport.suppressClick) return;
  const step = stepOf(e.target);
  if (step) post({ type: 'revealStep', step });
});
group.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' && e.key !== ' ') return;
  const step = stepOf(e.target);
  if (step) {
    e.preventDefault();
    post({ type: 'revealStep', step });
  }
});
runPicker.addEventListener('change', () => {
  if (runPicker.value) post({ type: 'selectRun', runId: runPicker.value });
});
$<HTMLButtonElement>('zoom-in').addEventListener('click', () => viewport.zoom(1.25));
$<HTMLButtonElement>('zoom-out').addEventListener('click', () => viewport.zoom(0.8));
$<HTMLButtonElement>('fit').addEventListener('click', () => layout && viewport.fit(layout.width, layout.height));
$<HTMLButtonElement>('export-svg').addEventListener('click', () => void doExport('svg'));
$<HTMLButtonElement>('export-png').addEventListener('click', () => void doExport('png'));
const legend = $<HTMLDivElement>('legend');
const legendToggle = $<HTMLButtonElement>('legend-toggle');
legendToggle.addEventListener('click', () => {
  if (!legend.firstChild) buildLegend(legend);
  const open = legend.classList.toggle('hidden') === false;
  legendToggle.setAttribute('aria-expanded', String(open));
});
$<HTMLDivElement>('canvas').addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLSelectElement) return;
  if (e.key === '+' || e.key === '=') viewport.zoom(1.25);
  else if (e.key === '-') viewport.zoom(0.8);
  else if (e.key === '0' && layout) viewport.fit(layout.width, layout.height);
});
window.addEventListener('error', (e) => post({ type: 'error', message: e.message }));
// The panel opens small or gets resized: keep the graph fitted until the user takes over.
new ResizeObserver(() => {
  if (layout && !viewport.userMoved) viewport.fit(layout.width, layout.height);
}).observe(svg);

function makeMeasure(): Measure {
  const ctx = document.createElement('canvas').getContext('2d');
  const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
  const fonts = { name: `600 13px ${family}`, small: `11px ${family}` };
  const cache = new Map<string, number>();
  return (s, font) => {
    const key = `${font}\u0000${s}`;
    let w = cache.get(key);
    if (w === undefined) {
      if (ctx) {
        ctx.font = fonts[font];
        w = ctx.measureText(s).width;
      } else w = s.length * (font === 'name' ? 8 : 6.5);
      cache.set(key, w);
    }
    return w;
  };
}

post({ type: 'ready' });
