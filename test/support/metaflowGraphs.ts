/**
 * Metaflow's core test graphs (test/fixtures/metaflow-graphs/*.json) as Stepwise flows, and the
 * task counts Metaflow's semantics give for them. Every generated step records its path (the
 * steps from `start` to it) and a counter (one more than its parent's; a join: one more than its
 * largest input's). A switch picks its case by the `pick` parameter (plus the foreach index
 * inside a foreach, so one run takes several cases); a switch with a case going back (a loop)
 * goes round `loops` times (plus the foreach index), then takes its other case.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures } from './cli';

export interface GraphNode {
  linear?: string;
  branch?: string[];
  foreach?: string;
  foreach_var?: string;
  foreach_var_default?: string;
  switch?: Record<string, string>;
  condition?: string;
  join?: boolean;
  num_parallel?: number;
  parallel?: string;
}

export interface MetaflowGraph {
  file: string;
  name: string;
  graph: Record<string, GraphNode>;
}

export const GRAPH_DIR = join(fixtures, 'metaflow-graphs');

export function loadGraphs(): MetaflowGraph[] {
  return readdirSync(GRAPH_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const data = JSON.parse(readFileSync(join(GRAPH_DIR, f), 'utf8')) as { name: string; graph: Record<string, GraphNode> };
      return { file: f.replace(/\.json$/, ''), name: data.name, graph: data.graph };
    });
}

export function className(g: MetaflowGraph): string {
  return (
    g.file
      .split('_')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join('') + 'Flow'
  );
}

function successors(n: GraphNode): string[] {
  if (n.linear) return [n.linear];
  if (n.branch) return n.branch;
  if (n.foreach) return [n.foreach];
  if (n.switch) return Object.values(n.switch);
  return [];
}

/** Transitions that go back to a step on the current path (depth first from `start`): loops. */
export function backEdges(g: MetaflowGraph): Set<string> {
  const back = new Set<string>();
  const onPath = new Set<string>();
  const done = new Set<string>();
  const visit = (s: string) => {
    onPath.add(s);
    for (const t of successors(g.graph[s])) {
      if (onPath.has(t)) back.add(`${s}>${t}`);
      else if (!done.has(t)) visit(t);
    }
    onPath.delete(s);
    done.add(s);
  };
  visit('start');
  return back;
}

/** Steps inside a foreach: walked like parentheses, a split opening and a join closing a level. */
function inForeach(g: MetaflowGraph, back: Set<string>): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const walk = (s: string, stack: Array<'foreach' | 'branch'>) => {
    if (seen.has(s)) return;
    seen.add(s);
    const n = g.graph[s];
    const here = n.join ? stack.slice(0, -1) : stack;
    if (here.includes('foreach')) out.add(s);
    const open: Array<'foreach' | 'branch'> = n.foreach ? [...here, 'foreach'] : n.branch ? [...here, 'branch'] : here;
    for (const t of successors(n)) if (!back.has(`${s}>${t}`)) walk(t, open);
  };
  walk('start', []);
  return out;
}

/** A foreach list default (a Python literal in the JSON) as a JavaScript array. */
export function foreachItems(n: GraphNode): unknown[] {
  const d = (n.foreach_var_default ?? '[]').trim();
  if (/^'.*'$/.test(d)) return [...d.slice(1, -1)];
  const list = JSON.parse(d.replace(/'/g, '"')) as unknown[];
  return list.length ? list : ['item_0', 'item_1', 'item_2'];
}

/** The condition's case for a switch: in a loop, round `loops` (+ index) times; else by `pick`. */
function switchCode(s: string, n: GraphNode, back: Set<string>, foreach: boolean): string {
  const keys = Object.keys(n.switch!);
  const c = n.condition!;
  const index = foreach ? ' + this.index' : '';
  const backKey = keys.find((k) => back.has(`${s}>${n.switch![k]}`));
  if (backKey !== undefined) {
    const exitKey = keys.find((k) => k !== backKey)!;
    return [
      `    this.iter_${s} += 1;`,
      `    this.${c} = this.iter_${s} < this.loops${index} ? ${JSON.stringify(backKey)} : ${JSON.stringify(exitKey)};`,
    ].join('\n');
  }
  return `    this.${c} = ${JSON.stringify(keys)}[(this.pick${index}) % ${keys.length}];`;
}

function nextCode(s: string, n: GraphNode): string {
  if (n.linear) return `this.next(this.${n.linear});`;
  if (n.branch) return `this.next(${n.branch.map((b) => `this.${b}`).join(', ')});`;
  if (n.foreach) return `this.next(this.${n.foreach}, { foreach: '${n.foreach_var}' });`;
  if (n.switch) {
    const cases = Object.entries(n.switch).map(([k, t]) => `${JSON.stringify(k)}: this.${t}`);
    return `this.next({ ${cases.join(', ')} }, { condition: '${n.condition}' });`;
  }
  return '';
}

/** The Stepwise flow for one graph. */
export function generateFlow(g: MetaflowGraph): string {
  const back = backEdges(g);
  const foreach = inForeach(g, back);
  const cls = className(g);
  const latches = Object.keys(g.graph).filter((s) => successors(g.graph[s]).some((t) => back.has(`${s}>${t}`)));
  const fields = new Set<string>(['path: string[]', 'counter: number', 'branches: string[]']);
  for (const n of Object.values(g.graph)) {
    if (n.foreach_var) fields.add(`${n.foreach_var}: unknown[]`);
    if (n.condition) fields.add(`${n.condition}: string`);
  }
  for (const l of latches) fields.add(`iter_${l}: number`);
  const out = [
    `// Generated from Metaflow's test graph ${g.file}.json ("${g.name}") by test/support/metaflowGraphs.ts.`,
    "import { FlowSpec, Parameter, step, type Inputs } from 'stepwise';",
    '',
    `export default class ${cls} extends FlowSpec {`,
    "  pick = Parameter('pick', { default: 0 });",
    "  loops = Parameter('loops', { default: 3 });",
    ...[...fields].map((f) => `  declare ${f};`),
  ];
  for (const [s, n] of Object.entries(g.graph)) {
    const body: string[] = [];
    if (s === 'start') {
      body.push(`    this.path = ['start'];`, '    this.counter = 1;');
      for (const l of latches) body.push(`    this.iter_${l} = 0;`);
    } else if (n.join) {
      body.push(
        "    this.branches = inputs.map((i) => i.path.join('>'));",
        `    this.path = ['${s}'];`,
        '    this.counter = Math.max(...inputs.map((i) => i.counter)) + 1;',
      );
    } else {
      body.push(`    this.path = [...this.path, '${s}'];`, '    this.counter += 1;');
    }
    if (n.foreach) body.push(`    this.${n.foreach_var} = ${JSON.stringify(foreachItems(n))};`);
    if (n.switch) body.push(switchCode(s, n, back, foreach.has(s)));
    const next = nextCode(s, n);
    if (next) body.push(`    ${next}`);
    out.push('', `  @step ${s}(${n.join ? `inputs: Inputs<${cls}>` : ''}) {`, ...body, '  }');
  }
  out.push('}', '');
  return out.join('\n');
}

interface SimContext {
  pick: number;
  loops: number;
  index: number;
  iters: Map<string, number>;
}

/** Tasks per step that Metaflow's semantics give, for the parameters `pick` and `loops`. */
export function expectedCounts(g: MetaflowGraph, pick: number, loops: number): Map<string, number> {
  const back = backEdges(g);
  const foreach = inForeach(g, back);
  const counts = new Map<string, number>();
  const arrive = (s: string, ctx: SimContext): string | null => (g.graph[s].join ? s : runFrom(s, ctx));
  const runFrom = (s: string, ctx: SimContext): string | null => {
    counts.set(s, (counts.get(s) ?? 0) + 1);
    const n = g.graph[s];
    if (n.linear) return arrive(n.linear, ctx);
    if (n.branch) {
      const joins = n.branch.map((b) => arrive(b, { ...ctx, iters: new Map(ctx.iters) }));
      return runFrom(joins[0]!, ctx);
    }
    if (n.foreach) {
      const items = foreachItems(n);
      const joins = items.map((_, i) => arrive(n.foreach!, { ...ctx, index: i, iters: new Map(ctx.iters) }));
      return runFrom(joins[0]!, ctx);
    }
    if (n.switch) {
      const keys = Object.keys(n.switch);
      const index = foreach.has(s) ? ctx.index : 0;
      const backKey = keys.find((k) => back.has(`${s}>${n.switch![k]}`));
      let key: string;
      if (backKey !== undefined) {
        const iter = (ctx.iters.get(s) ?? 0) + 1;
        ctx.iters.set(s, iter);
        key = iter < ctx.loops + index ? backKey : keys.find((k) => k !== backKey)!;
      } else {
        key = keys[(ctx.pick + index) % keys.length];
      }
      return arrive(n.switch[key], ctx);
    }
    return null;
  };
  runFrom('start', { pick, loops, index: 0, iters: new Map() });
  return counts;
}

/** The `pick` values that exercise every case of every switch that is not a loop. */
export function picks(g: MetaflowGraph): number[] {
  const back = backEdges(g);
  let most = 1;
  for (const [s, n] of Object.entries(g.graph)) {
    if (!n.switch) continue;
    const loop = Object.values(n.switch).some((t) => back.has(`${s}>${t}`));
    if (!loop) most = Math.max(most, Object.keys(n.switch).length);
  }
  return Array.from({ length: most }, (_, i) => i);
}
