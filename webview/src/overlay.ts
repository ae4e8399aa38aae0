/**
 * Run state on the drawn graph: a class per state, task counts on foreach nodes, a pause marker,
 * a pass count on the steps of a loop, and at a switch the case(s) its tasks took.
 */
import type { RunOverlay, StepRunState, StepStatus } from './messages';
import type { RenderedGraph } from './render';
import { el } from './svg';
import { parseTaskInRun } from '../../runtime/src/pathspec';

const STATES: StepRunState[] = ['succeeded', 'failed', 'running', 'cloned', 'not-run', 'killed'];

const STATE_TEXT: Record<StepRunState, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  running: 'running',
  cloned: 'cloned from the origin run',
  'not-run': 'not run',
  killed: 'killed',
};

export function applyOverlay(rendered: RenderedGraph, overlay: RunOverlay | null): void {
  const pausedStep = overlay?.pausedTask ? parseTaskInRun(overlay.pausedTask)?.step : undefined;
  for (const [step, g] of rendered.nodeByStep) {
    for (const s of STATES) g.classList.remove(`state-${s}`);
    g.classList.remove('has-run', 'paused');
    g.querySelector('.pause-marker')?.remove();
    g.querySelector('.pass-badge')?.remove();
    const status = overlay ? (overlay.steps[step] ?? { state: 'not-run' as const }) : undefined;
    if (status) {
      g.classList.add('has-run', `state-${status.state}`);
    }
    updateCount(g, status);
    updateTitle(g, status, overlay?.runId);
    if (pausedStep === step) {
      g.classList.add('paused');
      drawPause(g);
    }
    if (status?.passes) drawPasses(g, status.passes, status.total ?? 0);
  }
  markCases(rendered, overlay);
}

/**
 * A switch's edges once any of its tasks has chosen: the taken ones stand out, the others fade.
 * Until one of its tasks has chosen (no run, or its first task still running) every edge looks as drawn.
 */
function markCases(rendered: RenderedGraph, overlay: RunOverlay | null): void {
  for (const { from, keys, parts } of rendered.caseEdges) {
    const cases = overlay?.steps[from]?.cases;
    const times = cases ? keys.reduce((n, k) => n + (cases[k] ?? 0), 0) : 0;
    for (const part of parts) {
      part.classList.toggle('case-taken', times > 0);
      part.classList.toggle('case-not-taken', cases !== undefined && times === 0);
      part.querySelector(':scope > title')?.remove();
      if (cases)
        el('title', {}, part).textContent = times
          ? `Run ${overlay!.runId}: taken ${times === 1 ? 'once' : `${times} times`}`
          : `Run ${overlay!.runId}: not taken`;
    }
  }
}

/**
 * "×N" just above the node's top-left corner (clear of edges coming in from the left or the top,
 * and of the pause marker at the top right): how many passes the loop made through this step so far.
 */
function drawPasses(g: SVGGElement, passes: number, tasks: number): void {
  const b = el('g', { class: 'pass-badge', transform: 'translate(-10,-13)' }, g);
  el('title', {}, b).textContent =
    tasks > passes
      ? `Up to ${passes} passes of the loop (per place of the step; ${tasks} tasks in all)`
      : `${passes} ${passes === 1 ? 'pass' : 'passes'} of the loop`;
  const r = el('rect', { height: 16, rx: 8 }, b);
  const t = el('text', { x: 6, y: 8, 'dominant-baseline': 'central' }, b);
  t.textContent = `×${passes}`;
  r.setAttribute('width', String(Math.ceil(t.getComputedTextLength()) + 12));
}

function updateCount(g: SVGGElement, status: StepStatus | undefined): void {
  const line = g.querySelector<SVGTextElement>('.foreach-line');
  if (!line) return;
  const base = line.dataset.base ?? '';
  line.textContent = status?.total !== undefined ? `${base} · ${status.done ?? 0}/${status.total}` : base;
}

function updateTitle(g: SVGGElement, status: StepStatus | undefined, runId: string | undefined): void {
  const title = g.querySelector('title');
  if (!title) return;
  const base = title.dataset.base ?? title.textContent ?? '';
  title.dataset.base = base;
  if (!status || !runId) {
    title.textContent = base;
    return;
  }
  const parts = [`Run ${runId}: ${STATE_TEXT[status.state]}`];
  if (status.total !== undefined) parts.push(`${status.done ?? 0}/${status.total} tasks done`);
  if (status.running) parts.push(`${status.running} running`);
  if (status.failed) parts.push(`${status.failed} failed`);
  title.textContent = `${base}\n\n${parts.join(', ')}`;
}

/** Two bars in a circle at the node's top-right corner: the debugger holds a task here. */
function drawPause(g: SVGGElement): void {
  const shape = g.querySelector<SVGGraphicsElement>('.shape');
  const w = shape ? shape.getBBox().width : 0;
  const m = el('g', { class: 'pause-marker', transform: `translate(${w - 2},2)` }, g);
  el('title', {}, m).textContent = 'Paused in the debugger';
  el('circle', { r: 9 }, m);
  el('rect', { x: -4, y: -5, width: 3, height: 10 }, m);
  el('rect', { x: 1, y: -5, width: 3, height: 10 }, m);
}
