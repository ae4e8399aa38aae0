/**
 * Pan and zoom as one transform on the viewport group. The transform survives redraws: only
 * the first graph, a different flow, or the user (Fit) re-fits, so typing never moves the view.
 */
export interface View {
  x: number;
  y: number;
  k: number;
}

const MIN_K = 0.1;
const MAX_K = 4;
const FIT_MARGIN = 24;

export class Viewport {
  private view: View = { x: 0, y: 0, k: 1 };
  private drag?: { id: number; x: number; y: number; view: View; moved: boolean };
  /** True right after a drag, so the click that ends it doesn't reveal a step. */
  suppressClick = false;
  /** The user panned or zoomed since the last fit: from then on only they move the view. */
  userMoved = false;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly group: SVGGElement,
    private readonly onChange: (v: View) => void,
  ) {
    svg.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    svg.addEventListener('pointerdown', (e) => this.onDown(e));
    svg.addEventListener('pointermove', (e) => this.onMove(e));
    svg.addEventListener('pointerup', (e) => this.onUp(e));
    svg.addEventListener('pointercancel', (e) => this.onUp(e));
  }

  get current(): View {
    return { ...this.view };
  }

  set(v: View): void {
    this.view = { x: v.x, y: v.y, k: clamp(v.k) };
    this.group.setAttribute('transform', `translate(${this.view.x},${this.view.y}) scale(${this.view.k})`);
    this.onChange(this.current);
  }

  /** Zooms by `factor` keeping the point (px, py) of the canvas still (the centre by default). */
  zoom(factor: number, px?: number, py?: number): void {
    this.userMoved = true;
    const r = this.svg.getBoundingClientRect();
    const cx = px ?? r.width / 2;
    const cy = py ?? r.height / 2;
    const k = clamp(this.view.k * factor);
    const f = k / this.view.k;
    this.set({ k, x: cx - (cx - this.view.x) * f, y: cy - (cy - this.view.y) * f });
  }

  /** Scales the content box to the canvas, never above 1:1, and centres it. */
  fit(width: number, height: number): void {
    const r = this.svg.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0 || width <= 0 || height <= 0) return;
    this.userMoved = false;
    const k = clamp(Math.min(1, (r.width - 2 * FIT_MARGIN) / width, (r.height - 2 * FIT_MARGIN) / height));
    this.set({ k, x: (r.width - width * k) / 2, y: (r.height - height * k) / 2 });
  }

  /** Whether a content box of this size lies wholly inside the canvas at the current view. */
  shows(width: number, height: number): boolean {
    const r = this.svg.getBoundingClientRect();
    const { x, y, k } = this.view;
    return x >= 0 && y >= 0 && x + width * k <= r.width && y + height * k <= r.height;
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const r = this.svg.getBoundingClientRect();
    const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    this.zoom(Math.exp(-delta * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }

  private onDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.drag = { id: e.pointerId, x: e.clientX, y: e.clientY, view: this.current, moved: false };
  }

  private onMove(e: PointerEvent): void {
    const d = this.drag;
    if (!d || d.id !== e.pointerId) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.hypot(dx, dy) < 4) return;
    if (!d.moved) {
      d.moved = true;
      this.userMoved = true;
      this.svg.setPointerCapture(e.pointerId);
      this.svg.classList.add('panning');
    }
    this.set({ k: d.view.k, x: d.view.x + dx, y: d.view.y + dy });
  }

  private onUp(e: PointerEvent): void {
    const d = this.drag;
    if (!d || d.id !== e.pointerId) return;
    this.drag = undefined;
    this.svg.classList.remove('panning');
    if (d.moved) {
      this.suppressClick = true;
      setTimeout(() => (this.suppressClick = false), 0);
    }
  }
}

function clamp(k: number): number {
  return Math.min(MAX_K, Math.max(MIN_K, k));
}
