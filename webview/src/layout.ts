/** elkjs layered layout of the step graph (runs in the page's main thread: no worker, no eval). */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { Direction, EdgeSpec, GraphLayout, NodeSpec, PlacedEdge, PlacedNode, Point } from './model';
import { layoutKey } from './model';

const elk = new ELK();

const LABEL_HEIGHT = 16;
const SELF_LOOP_HEIGHT = 26;

export async function layoutGraph(
  nodes: NodeSpec[],
  edges: EdgeSpec[],
  direction: Direction,
  measureLabel: (text: string) => number,
): Promise<GraphLayout> {
  const key = layoutKey(direction, nodes, edges);
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '44',
      'elk.spacing.edgeLabel': '4',
      'elk.edgeLabels.placement': 'CENTER',
      // A loop on one step (a switch case naming its own step) is routed round the node; ELK's
      // default 10 px arc hides under its own label and the arrow head.
      'elk.spacing.nodeSelfLoop': String(SELF_LOOP_HEIGHT),
      // Source order breaks ties, so typing inside one step never reshuffles the others.
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    },
    children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: edges.map((e): ElkExtendedEdge => ({
      id: e.id,
      sources: [e.from],
      targets: [e.to],
      labels: e.label ? [{ id: `${e.id}:label`, text: e.label, width: measureLabel(e.label) + 10, height: LABEL_HEIGHT }] : [],
    })),
  };
  const out = await elk.layout(root);
  const pos = new Map((out.children ?? []).map((c) => [c.id, c]));
  const placed: PlacedNode[] = nodes.map((n) => {
    const c = pos.get(n.id);
    return { ...n, x: c?.x ?? 0, y: c?.y ?? 0 };
  });
  const routed = new Map((out.edges ?? []).map((e) => [e.id, e as ElkExtendedEdge]));
  const placedEdges: PlacedEdge[] = edges.map((e) => {
    const r = routed.get(e.id);
    const points: Point[] = [];
    for (const s of r?.sections ?? []) {
      points.push(s.startPoint, ...(s.bendPoints ?? []), s.endPoint);
    }
    const l = r?.labels?.[0];
    // A self-loop's label goes where ELK put it, beside the arc; centred on the arc it would cover it.
    const labelBox = !l
      ? undefined
      : e.from === e.to && l.x !== undefined && l.y !== undefined
        ? { x: l.x, y: l.y, width: l.width ?? 0, height: l.height ?? LABEL_HEIGHT }
        : onEdge(points, l.width ?? 0, l.height ?? LABEL_HEIGHT);
    return { ...e, points, labelBox };
  });
  return { key, direction, nodes: placed, edges: placedEdges, width: out.width ?? 0, height: out.height ?? 0 };
}

/** Centres a label on the longest segment of the edge, so it reads as part of that edge. */
function onEdge(points: Point[], width: number, height: number): { x: number; y: number; width: number; height: number } | undefined {
  let best: [Point, Point] | undefined;
  let len = -1;
  for (let i = 1; i < points.length; i++) {
    const d = Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    if (d > len) {
      len = d;
      best = [points[i - 1], points[i]];
    }
  }
  if (!best) return undefined;
  const cx = (best[0].x + best[1].x) / 2;
  const cy = (best[0].y + best[1].y) / 2;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}
