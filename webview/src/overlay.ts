/** Run state on the drawn graph: a class per state, task counts on foreach nodes, a pause marker. */
import type { RunOverlay, StepRunState, StepStatus } from './messages';
import type { RenderedGraph } from './render';
import { el } from './svg';

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
  const pausedStep = overlay?.pausedTask?.split('/')[1];
  for (const [step, g] of rendered.nodeByStep) {
    for (const s of STATES) g.classList.remove(`state-${s}`);
    g.classList.remove('has-run', 'paused');
    g.querySelector('.pause-marker')?.remove();
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
  }
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
