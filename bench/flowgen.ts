/**
 * Generates a realistic flow of a given size for benchmarks and load tests: linear chains,
 * static splits with hand-written and mergeArtifacts joins, foreach fan-outs, parameters,
 * doc comments and artifacts that flow correctly (the result lints clean). About 20 lines per
 * step: `generateFlow(100)` is a ~2,000-line, 100-step flow.
 */

type Segment = 'linear' | 'split2' | 'split3' | 'foreach';

const PATTERN: Segment[] = ['linear', 'split3', 'linear', 'foreach', 'linear', 'split2'];
const SIZE: Record<Segment, number> = { linear: 1, split2: 4, split3: 5, foreach: 3 };

class Writer {
  readonly lines: string[] = [];
  line(text = ''): void {
    this.lines.push(text);
  }
  doc(indent: string, ...text: string[]): void {
    this.line(`${indent}/**`);
    for (const t of text) this.line(`${indent} * ${t}`);
    this.line(`${indent} */`);
  }
}

interface Step {
  name: string;
  /** Inside a segment (a branch or a join): reached through its segment's head only. */
  inner?: boolean;
  /** `next` is the step that follows this segment on the main line. */
  write(w: Writer, next: string): void;
}

/** A step body with enough ordinary code around the artifact traffic to look like real work. */
function work(w: Writer, seed: number, what: string): void {
  w.line(`    const window = Array.from({ length: ${8 + (seed % 5)} }, (_, i) => (i * ${seed + 3}) % 17);`);
  w.line(`    const weighted = window.map((v, i) => v * this.scale + i);`);
  w.line(`    const mean = weighted.reduce((a, b) => a + b, 0) / weighted.length;`);
  w.line(`    const spread = Math.sqrt(weighted.reduce((a, b) => a + (b - mean) ** 2, 0) / weighted.length);`);
  w.line(`    const trimmed = weighted.filter((v) => Math.abs(v - mean) <= 2 * spread);`);
  w.line(`    const kept = trimmed.length / Math.max(1, weighted.length);`);
  w.line(`    const buckets = new Map<number, number>();`);
  w.line(`    for (const v of weighted) {`);
  w.line(`      const bucket = Math.floor(v / ${4 + (seed % 3)});`);
  w.line(`      buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);`);
  w.line(`    }`);
  w.line(`    const busiest = [...buckets.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;`);
  w.line(`    if (spread > ${seed % 7} + mean + busiest) {`);
  w.line(`      console.log('${what}: wide spread', spread.toFixed(3), 'kept', kept.toFixed(2));`);
  w.line(`    }`);
}

export function generateFlow(steps: number): string {
  const w = new Writer();
  const artifacts: string[] = ['total', 'labels', 'history'];
  const body: Step[] = [];
  const flow = `Generated${steps}Flow`;
  let remaining = Math.max(0, steps - 2);
  let n = 0;
  let p = 0;
  while (remaining > 0) {
    let seg = PATTERN[p++ % PATTERN.length];
    if (SIZE[seg] > remaining) seg = 'linear';
    remaining -= SIZE[seg];
    const k = n++;
    if (seg === 'linear') body.push(linear(k));
    else if (seg === 'foreach') body.push(...foreach(k, artifacts, flow));
    else body.push(...split(k, seg === 'split2' ? 2 : 3, artifacts, flow));
  }

  w.line(`import { FlowSpec, step, Parameter, type Inputs } from 'stepwise';`);
  w.line();
  w.doc(
    '',
    `A generated ${steps}-step flow: chains, static splits and foreach fan-outs.`,
    'Used by the benchmarks; every artifact is assigned on every path into its readers.',
  );
  w.line(`export default class ${flow} extends FlowSpec {`);
  w.doc('  ', 'Multiplier applied to every window.');
  w.line(`  scale = Parameter('scale', { default: 2, help: 'multiplier for every window' });`);
  w.doc('  ', 'Label prefix for the history entries.');
  w.line(`  prefix = Parameter('prefix', { default: 'gen', help: 'prefix of history entries' });`);
  w.line();
  for (const a of artifacts) {
    const type = a === 'total' ? 'number' : a === 'labels' || a === 'history' ? 'string[]' : a.startsWith('items') ? 'number[]' : 'number';
    w.line(`  declare ${a}: ${type};`);
  }
  w.line();

  const first = body[0]?.name ?? 'end';
  w.doc('  ', 'Seeds the running total and the labels every step appends to.');
  w.line(`  @step start() {`);
  w.line(`    this.total = 0;`);
  w.line(`    this.labels = ['alpha', 'beta', 'gamma'];`);
  w.line(`    this.history = [\`\${this.prefix}:start\`];`);
  w.line(`    this.next(this.${first});`);
  w.line(`  }`);
  w.line();
  body.forEach((s, i) => {
    s.write(w, nextOf(body, i));
    w.line();
  });
  w.doc('  ', 'Reports what the run computed.');
  w.line(`  @step end() {`);
  w.line(`    console.log('total', this.total, 'after', this.history.length, 'steps');`);
  w.line(`  }`);
  w.line(`}`);
  return w.lines.join('\n') + '\n';
}

/** The head of the segment after body[i]: where a linear step or a join goes next. */
function nextOf(body: Step[], i: number): string {
  for (let j = i + 1; j < body.length; j++) if (!body[j].inner) return body[j].name;
  return 'end';
}

function linear(k: number): Step {
  const name = `transform${k}`;
  return {
    name,
    write(w, next) {
      w.doc('  ', `Step ${k}: folds a window of values into the running total.`, 'Appends its name to the history.');
      w.line(`  @step ${name}() {`);
      work(w, k, name);
      w.line(`    this.total += Math.round(mean) % ${11 + (k % 13)};`);
      w.line(`    this.history = [...this.history, '${name}'];`);
      w.line(`    this.next(this.${next});`);
      w.line(`  }`);
    },
  };
}

function split(k: number, width: number, artifacts: string[], flow: string): Step[] {
  const head = `fanOut${k}`;
  const join = `gather${k}`;
  const branches = Array.from({ length: width }, (_, i) => `branch${k}_${i}`);
  const part = `part${k}`;
  artifacts.push(part);
  const useMerge = k % 2 === 0;
  const steps: Step[] = [];
  steps.push({
    name: head,
    write(w) {
      w.doc('  ', `Step ${k}: splits into ${width} branches that each score one label.`);
      w.line(`  @step ${head}() {`);
      w.line(`    this.history = [...this.history, '${head}'];`);
      w.line(`    this.next(${branches.map((b) => `this.${b}`).join(', ')});`);
      w.line(`  }`);
    },
  });
  branches.forEach((b, i) =>
    steps.push({
      name: b,
      inner: true,
      write(w) {
        w.doc('  ', `Branch ${i} of step ${k}: scores label ${i % 3}.`);
        w.line(`  @step ${b}() {`);
        work(w, k + i, b);
        w.line(`    const label = this.labels[${i % 3}];`);
        w.line(`    this.${part} = label.length * ${i + 1} + Math.round(spread);`);
        w.line(`    this.total += this.${part};`);
        w.line(`    this.next(this.${join});`);
        w.line(`  }`);
      },
    }),
  );
  steps.push({
    name: join,
    inner: true,
    write(w, next) {
      w.doc('  ', `Joins the ${width} branches of step ${k}, keeping the largest total.`);
      w.line(`  @step ${join}(inputs: Inputs<${flow}>) {`);
      w.line(`    const totals = inputs.map((inp) => inp.total);`);
      w.line(`    this.total = Math.max(...totals);`);
      w.line(`    this.${part} = totals.length;`);
      if (useMerge) {
        w.line(`    this.mergeArtifacts(inputs, { exclude: ['total', '${part}'] });`);
      } else {
        w.line(`    this.labels = inputs[0].labels;`);
        w.line(`    this.history = inputs[0].history;`);
      }
      w.line(`    this.history = [...this.history, '${join}'];`);
      w.line(`    this.next(this.${next});`);
      w.line(`  }`);
    },
  });
  return steps;
}

function foreach(k: number, artifacts: string[], flow: string): Step[] {
  const head = `scatter${k}`;
  const inner = `score${k}`;
  const join = `collect${k}`;
  const items = `items${k}`;
  const score = `score${k}Value`;
  const best = `best${k}`;
  artifacts.push(items, score, best);
  return [
    {
      name: head,
      write(w) {
        w.doc('  ', `Step ${k}: fans out over ${items}, one task per item.`);
        w.line(`  @step ${head}() {`);
        w.line(`    this.${items} = Array.from({ length: ${3 + (k % 4)} }, (_, i) => i * this.scale + this.total);`);
        w.line(`    this.history = [...this.history, '${head}'];`);
        w.line(`    this.next(this.${inner}, { foreach: '${items}' });`);
        w.line(`  }`);
      },
    },
    {
      name: inner,
      inner: true,
      write(w) {
        w.doc('  ', `Scores one item of ${items}.`);
        w.line(`  @step ${inner}() {`);
        work(w, k, inner);
        w.line(`    const item = this.input as number;`);
        w.line(`    this.${score} = item * ${(k % 5) + 1} + this.index + Math.round(spread);`);
        w.line(`    this.next(this.${join});`);
        w.line(`  }`);
      },
    },
    {
      name: join,
      inner: true,
      write(w, next) {
        w.doc('  ', `Collects the scores of ${items} and keeps the best.`);
        w.line(`  @step ${join}(inputs: Inputs<${flow}>) {`);
        w.line(`    const scores = inputs.map((inp) => inp.${score});`);
        w.line(`    this.${best} = Math.max(...scores);`);
        w.line(`    this.mergeArtifacts(inputs, { include: ['total', 'labels', 'history', '${items}'] });`);
        w.line(`    this.total += this.${best} % 97;`);
        w.line(`    this.history = [...this.history, '${join}'];`);
        w.line(`    this.next(this.${next});`);
        w.line(`  }`);
      },
    },
  ];
}
