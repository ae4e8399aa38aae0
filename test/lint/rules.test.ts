import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlow } from '../../runtime/src/graph';
import { lintFlow, rules, type FlowDiagnostic } from '../../runtime/src/lint';
import { repoRoot } from '../support/cli';

const HEAD = "import { FlowSpec, step, Parameter, retry, catchFailure, timeout, type Inputs } from 'stepwise';";
/** Line 3 (1-based) holds the first member. */
const flow = (members: string) => `${HEAD}\nexport default class TestFlow extends FlowSpec {\n${members}\n}\n`;
const lint = (text: string) => lintFlow(parseFlow(text, 'test.ts'));

interface Case {
  /** Findings of this rule only: `line` (1-based) of each, in order. */
  bad: string;
  lines: number[];
  /** Findings of other rules the failing case cannot avoid, as code@line. */
  alongside?: string[];
  good: string;
  /** Extra checks on the first finding. */
  also?: (d: FlowDiagnostic) => void;
}

const CASES: Record<string, Case> = {
  SW000: {
    bad: flow(`  @step start() { const x = ; this.next(this.end); }\n  @step end() {}`),
    lines: [3],
    good: flow(`  @step start() { const x = 1; this.next(this.end); }\n  @step end() {}`),
  },
  SW001: {
    bad: flow(`  @step begin() { this.next(this.end); }\n  @step end() {}`),
    lines: [2],
    good: flow(`  @step start() { this.next(this.end); }\n  @step end() {}`),
    also: (d) => assert.equal(d.data?.step, 'start'),
  },
  SW002: {
    bad: flow(`  @step start() { this.next(this.finish); }\n  @step finish() { console.log('done'); }`),
    lines: [2],
    // Without `end`, the last step cannot finish properly either.
    alongside: ['SW005@4'],
    good: flow(`  @step start() { this.next(this.end); }\n  @step end() {}`),
  },
  SW003: {
    bad: flow(`  @step start() { this.next(this.ned); }\n  @step end() {}`),
    lines: [3],
    good: flow(`  @step start() { this.next(this.end); }\n  @step end() {}`),
    also: (d) => {
      assert.deepEqual(d.data, { target: 'ned', suggestion: 'end' });
      assert.match(d.message, /Did you mean `end`\?/);
      assert.deepEqual([d.range.start.character, d.range.end.character], [28, 36]);
    },
  },
  SW004: {
    bad: flow(`  @step start() { this.next(this.end); }\n  @step end() { this.next(this.start); }`),
    lines: [4],
    good: flow(`  @step start() { this.next(this.end); }\n  @step end() { console.log('done'); }`),
  },
  SW005: {
    bad: flow(`  @step start() { this.next(this.a); }\n  @step a() { console.log('forgot'); }\n  @step end() {}`),
    lines: [4],
    good: flow(`  @step start() { this.next(this.a); }\n  @step a() { this.next(this.end); }\n  @step end() {}`),
  },
  SW006: {
    bad: flow(
      `  @step start() { this.next(this.a); console.log('late'); }\n  @step a() { if (1) { this.next(this.end); } else { this.next(this.end); } }\n  @step end() {}`,
    ),
    lines: [3, 4],
    good: flow(`  @step start() { console.log('early'); this.next(this.a); }\n  @step a() { this.next(this.end); }\n  @step end() {}`),
  },
  SW007: {
    bad: flow(
      `  @step start() { this.next(this.a); }\n  @step a() { this.next(this.b); }\n  @step b() { this.next(this.start); }\n  @step end() {}`,
    ),
    lines: [5],
    good: flow(
      `  @step start() { this.next(this.a); }\n  @step a() { this.next(this.b); }\n  @step b() { this.next(this.end); }\n  @step end() {}`,
    ),
    also: (d) => assert.deepEqual(d.data?.cycle, ['start', 'a', 'b', 'start']),
  },
  SW008: {
    bad: flow(
      `  @step start() { this.next(this.end); }\n  @step orphan() { this.next(this.other); }\n  @step other() { this.next(this.end); }\n  @step end() {}`,
    ),
    lines: [4],
    good: flow(
      `  @step start() { this.next(this.orphan); }\n  @step orphan() { this.next(this.other); }\n  @step other() { this.next(this.end); }\n  @step end() {}`,
    ),
    also: (d) => assert.deepEqual(d.data?.alsoUnreachable, ['other']),
  },
  SW009: {
    bad: flow(
      `  declare xs: number[];\n  @step start() { this.xs = [1, 2]; this.next(this.each, { foreach: 'xs' }); }\n  @step each() { this.next(this.end); }\n  @step end() {}`,
    ),
    lines: [4],
    good: flow(
      `  declare xs: number[];\n  @step start() { this.xs = [1, 2]; this.next(this.each, { foreach: 'xs' }); }\n  @step each() { this.next(this.join); }\n  @step join(inputs: Inputs) { this.next(this.end); }\n  @step end() {}`,
    ),
    also: (d) => assert.match(d.message, /foreach in `start` is never joined/),
  },
  SW010: {
    bad: flow(
      `  @step start() { this.next(this.a, this.b); }\n  @step a() { this.next(this.c, this.d); }\n  @step b() { this.next(this.j); }\n  @step c() { this.next(this.j); }\n  @step d() { this.next(this.k); }\n  @step j(inputs: Inputs) { this.next(this.k); }\n  @step k(inputs: Inputs) { this.next(this.end); }\n  @step end() {}`,
    ),
    lines: [8],
    good: flow(
      `  @step start() { this.next(this.a, this.b); }\n  @step a() { this.next(this.c, this.d); }\n  @step b() { this.next(this.k); }\n  @step c() { this.next(this.j); }\n  @step d() { this.next(this.j); }\n  @step j(inputs: Inputs) { this.next(this.k); }\n  @step k(inputs: Inputs) { this.next(this.end); }\n  @step end() {}`,
    ),
  },
  SW011: {
    bad: flow(
      `  @step start() { this.next(this.a, this.b); }\n  @step a() { this.next(this.j); }\n  @step b() { this.next(this.j); }\n  @step j() { this.next(this.end); }\n  @step end() {}`,
    ),
    lines: [6],
    good: flow(
      `  @step start() { this.next(this.a, this.b); }\n  @step a() { this.next(this.j); }\n  @step b() { this.next(this.j); }\n  @step j(inputs: Inputs) { this.next(this.end); }\n  @step end() {}`,
    ),
    also: (d) => {
      assert.equal(d.data?.flowName, 'TestFlow');
      assert.deepEqual(d.data?.insertAt, { line: 5, character: 10 });
    },
  },
  SW012: {
    bad: flow(`  @step start() { this.next(this.a); }\n  @step a(inputs: Inputs) { this.next(this.end); }\n  @step end() {}`),
    lines: [4],
    good: flow(`  @step start() { this.next(this.a); }\n  @step a() { this.next(this.end); }\n  @step end() {}`),
  },
  SW013: {
    bad: flow(
      `  declare values: number[];\n  @step start() { this.values = [1]; this.next(this.each, { foreach: 'valeus' }); }\n  @step each() { this.next(this.join); }\n  @step join(inputs: Inputs) { this.next(this.end); }\n  @step end() {}`,
    ),
    lines: [4],
    good: flow(
      `  declare values: number[];\n  @step start() { this.values = [1]; this.next(this.mid); }\n  @step mid() { this.next(this.each, { foreach: 'values' }); }\n  @step each() { this.next(this.join); }\n  @step join(inputs: Inputs) { this.next(this.end); }\n  @step end() {}`,
    ),
    also: (d) => assert.deepEqual(d.data, { step: 'start', artifact: 'valeus', suggestion: 'values' }),
  },
  SW014: {
    bad: `${HEAD}\nexport default class A extends FlowSpec { @step start() { this.next(this.end); } @step end() {} }\nclass B extends FlowSpec { @step start() { this.next(this.end); } @step end() {} }\n`,
    lines: [3],
    good: `${HEAD}\nexport default class A extends FlowSpec { @step start() { this.next(this.end); } @step end() {} }\nclass B { start() {} }\n`,
  },
  SW015: {
    bad: flow(`  @step start() { this.next(this.input); }\n  @step input() { this.inputs = 1; this.next(this.end); }\n  @step end() {}`),
    lines: [4, 4],
    good: flow(`  @step start() { this.next(this.load); }\n  @step load() { this.loaded = 1; this.next(this.end); }\n  @step end() {}`),
  },
  SW016: {
    bad: flow(
      `  a = Parameter('alpha', { default: 1 });\n  b = Parameter('alpha', { default: 2 });\n  @step start() { this.next(this.end); }\n  @step end() {}`,
    ),
    lines: [4],
    good: flow(
      `  a = Parameter('alpha', { default: 1 });\n  b = Parameter('beta', { default: 2 });\n  @step start() { this.next(this.end); }\n  @step end() {}`,
    ),
  },
  SW017: {
    bad: flow(
      `  declare x: number;\n  declare y: number;\n  @step start() { this.next(this.a); }\n  @step a() { console.log(this.x); this.x = 1; this.next(this.end); }\n  @step end() { console.log(this.x, this.y); }`,
    ),
    lines: [6, 7],
    good: flow(
      `  declare x: number;\n  k = Parameter('k', { default: 1 });\n  @step start() { this.x = this.k; this.next(this.a); }\n  @step a() { console.log(this.x); this.x += 1; this.next(this.end); }\n  @step end() { console.log(this.x, this.k); }`,
    ),
    also: (d) => assert.match(d.message, /`a` reads `x`, which no step before it assigns/),
  },
  SW018: {
    bad: flow(`  @step start() { this.next(this.end); }\n  @step start() { this.next(this.end); }\n  @step end() {}`),
    lines: [4],
    good: flow(`  @step start() { this.next(this.end); }\n  @step end() {}`),
  },
  SW019: {
    bad: flow(`  @step start() { this.next(this.a, 'b', this.a); }\n  @step a() { this.next(this.end); }\n  @step end() {}`),
    lines: [3, 3],
    good: flow(`  @step start() { this.next(this.a); }\n  @step a() { this.next(this.end); }\n  @step end() {}`),
  },
  SW020: {
    bad: flow(`  @step start() { this.next(this.LoadData); }\n  @step LoadData() { this.next(this.end); }\n  @step end() {}`),
    lines: [4],
    good: flow(`  @step start() { this.next(this.load_data); }\n  @step load_data() { this.next(this.end); }\n  @step end() {}`),
    also: (d) => assert.equal(d.data?.preferredName, 'loadData'),
  },
  SW021: {
    bad: flow(`  k = Parameter('k', { default: 1 });\n  @step start() { this.k = 2; this.next(this.end); }\n  @step end() {}`),
    lines: [4],
    good: flow(
      `  declare k2: number;\n  k = Parameter('k', { default: 1 });\n  @step start() { this.k2 = this.k * 2; this.next(this.end); }\n  @step end() {}`,
    ),
  },
  SW022: {
    bad: flow(
      `  @step start() { this.next(this.a, this.b); }\n  @step a() { this.next(this.join); }\n  @step b() { this.next(this.join); }\n  @step join(inputs: Inputs<TestFlow>) {\n    this.mergeArtifacts(inputs, { include: ['x'], exclude: ['y'] });\n    this.next(this.end);\n  }\n  @step end() {}`,
    ),
    lines: [7],
    good: flow(
      `  @step start() { this.next(this.a, this.b); }\n  @step a() { this.next(this.join); }\n  @step b() { this.next(this.join); }\n  @step join(inputs: Inputs<TestFlow>) {\n    this.mergeArtifacts(inputs, { include: ['x'], exclude: [] });\n    this.next(this.end);\n  }\n  @step end() {}`,
    ),
    also: (d) => {
      assert.match(d.message, /mutually exclusive/);
      assert.deepEqual(d.data, { step: 'join', include: ['x'], exclude: ['y'] });
    },
  },
  SW030: {
    bad: flow(
      `  declare size: string;\n  @step start() { this.size = 'small'; this.next({ small: this.a, large: this.end }); }\n  @step a() { this.next(this.end); }\n  @step end() {}`,
    ),
    lines: [4],
    good: flow(
      `  declare size: string;\n  @step start() { this.size = 'small'; this.next({ small: this.a, large: this.end }, { condition: 'size' }); }\n  @step a() { this.next(this.end); }\n  @step end() {}`,
    ),
    also: (d) => assert.deepEqual(d.data?.candidates, ['size']),
  },
  SW031: {
    bad: flow(
      `  declare size: string;\n  @step start() { this.next({ small: this.a, large: this.end }, { condition: 'size' }); }\n  @step a() { this.size = 'x'; this.next(this.end); }\n  @step end() {}`,
    ),
    lines: [4],
    good: flow(
      `  declare size: string;\n  @step start() { this.size = 'small'; this.next({ small: this.a, large: this.end }, { condition: 'size' }); }\n  @step a() { this.next(this.end); }\n  @step end() {}`,
    ),
    also: (d) => assert.match(d.message, /`size`, which `start` never assigns/),
  },
  SW032: {
    bad: flow(
      `  declare size: string;\n  @step start() { this.size = 'small'; this.next({ small: this.a, large: 'end', small: this.end }, { condition: 'size' }); }\n  @step a() { this.next(this.end); }\n  @step end() {}`,
    ),
    lines: [4, 4],
    good: flow(
      `  declare size: string;\n  @step start() { this.size = 'small'; this.next({ small: this.a, 'very large': this.end }, { condition: 'size' }); }\n  @step a() { this.next(this.end); }\n  @step end() {}`,
    ),
  },
  SW033: {
    bad: flow(
      `  declare size: string;\n  @step start() { this.size = 'small'; this.next({ small: this.a, large: this.b }, { condition: 'size' }); }\n  @step a() { this.next(this.join); }\n  @step b() { this.next(this.join); }\n  @step join(inputs: Inputs) { this.next(this.end); }\n  @step end() {}`,
    ),
    lines: [7],
    good: flow(
      `  declare size: string;\n  @step start() { this.size = 'small'; this.next({ small: this.a, large: this.b }, { condition: 'size' }); }\n  @step a() { this.next(this.meet); }\n  @step b() { this.next(this.meet); }\n  @step meet() { this.next(this.end); }\n  @step end() {}`,
    ),
  },
  SW034: {
    bad: flow(
      `  declare status: string;\n  @step start() { this.status = 'again'; this.next(this.work); }\n  @step work() { this.next({ again: this.work, done: this.end }, { condition: 'status' }); }\n  @step end() {}`,
    ),
    lines: [5],
    good: flow(
      `  declare status: string;\n  declare n: number;\n  @step start() { this.n = 0; this.next(this.work); }\n  @step work() { this.n += 1; this.status = this.n < 3 ? 'again' : 'done'; this.next({ again: this.work, done: this.end }, { condition: 'status' }); }\n  @step end() {}`,
    ),
  },
  SW040: {
    bad: flow(
      `  @retry({ times: -1 })\n  @step start() { this.next(this.a); }\n  @timeout({ seconds: 0 })\n  @step a() { this.next(this.end); }\n  @catchFailure({ printExceptions: false })\n  @step end() {}`,
    ),
    lines: [3, 5, 7],
    good: flow(
      `  @retry({ times: 0 })\n  @step start() { this.next(this.a); }\n  @timeout({ minutes: 1 })\n  @step a() { this.next(this.end); }\n  @catchFailure({ printException: false })\n  @step end() {}`,
    ),
    also: (d) => assert.match(d.message, /@retry's times must be at least 0/),
  },
  SW041: {
    bad: flow(`  @step start() { this.next(this.end); }\n  @retry\n  helper() { return 1; }\n  @step end() {}`),
    lines: [4],
    good: flow(`  @step start() { this.next(this.end); }\n  helper() { return 1; }\n  @retry\n  @step end() {}`),
    also: (d) => assert.match(d.message, /@retry on `helper`, which is not a step, does nothing/),
  },
  SW042: {
    bad: flow(
      `  k = Parameter('k', { default: 1 });\n  @catchFailure({ var: 'k' })\n  @step start() { this.next(this.end); }\n  @step end() {}`,
    ),
    lines: [4],
    good: flow(
      `  k = Parameter('k', { default: 1 });\n  @catchFailure({ var: 'startFailure' })\n  @step start() { this.next(this.end); }\n  @step end() { console.log(this.startFailure); }`,
    ),
  },
  SW043: {
    bad: flow(
      `  declare xs: number[];\n  @catchFailure\n  @step start() { this.xs = [1]; this.next(this.each, { foreach: 'xs' }); }\n  @step each() { this.next(this.join); }\n  @step join(inputs: Inputs) { this.next(this.end); }\n  @step end() {}`,
    ),
    lines: [4],
    good: flow(
      `  declare xs: number[];\n  @step start() { this.xs = [1]; this.next(this.each, { foreach: 'xs' }); }\n  @catchFailure\n  @step each() { this.next(this.join); }\n  @step join(inputs: Inputs) { this.next(this.end); }\n  @step end() {}`,
    ),
  },
  SW023: {
    bad: flow(
      `  declare items: unknown;\n  @step start() {\n    this.items = { a: 1 };\n    this.next(this.each, { foreach: 'items' });\n  }\n  @step each() { this.next(this.join); }\n  @step join(inputs: Inputs<TestFlow>) { this.next(this.end); }\n  @step end() {}`,
    ),
    lines: [6],
    // Strings, Sets and Maps are iterable; a value the source does not show is not judged.
    good: flow(
      `  declare items: unknown;\n  @step start() {\n    this.items = 'abc';\n    if (Math.random() > 2) this.items = new Set([1]);\n    this.items = compute();\n    this.next(this.each, { foreach: 'items' });\n  }\n  @step each() { this.next(this.join); }\n  @step join(inputs: Inputs<TestFlow>) { this.next(this.end); }\n  @step end() {}`,
    ),
    also: (d) => {
      assert.match(
        d.message,
        /sets to an object literal: a foreach needs something iterable.*Object\.keys\(this\.items\) or Object\.entries/,
      );
      assert.deepEqual(d.data, { step: 'start', artifact: 'items', kind: 'object' });
      assert.equal(d.related?.[0].range.start.line, 4);
    },
  },
};

describe('lint: one failing and one passing case per rule', () => {
  it('has a case for every registered rule, and codes and names are unique', () => {
    assert.deepEqual(rules.map((r) => r.code).sort(), Object.keys(CASES).sort());
    assert.equal(new Set(rules.map((r) => r.code)).size, rules.length);
    assert.equal(new Set(rules.map((r) => r.name)).size, rules.length);
  });

  for (const rule of rules) {
    const c = CASES[rule.code];
    if (!c) continue;
    describe(`${rule.code} ${rule.name}`, () => {
      it('reports the failing case, and nothing else', () => {
        const ds = lint(c.bad);
        assert.deepEqual(
          ds.map((d) => `${d.code}@${d.range.start.line + 1}`).sort(),
          [...c.lines.map((l) => `${rule.code}@${l}`), ...(c.alongside ?? [])].sort(),
          ds.map((d) => d.message).join('\n'),
        );
        for (const d of ds.filter((x) => x.code === rule.code)) {
          assert.equal(d.severity, rule.severity);
          assert.equal(d.rule, rule.name);
          assert.match(d.message, /[.?)]$/, 'messages end as sentences');
        }
        c.also?.(ds.find((x) => x.code === rule.code)!);
      });
      it('accepts the passing case', () => {
        assert.deepEqual(
          lint(c.good).map((d) => `${d.code} ${d.message}`),
          [],
        );
      });
    });
  }

  it('returns every finding, not just the first', () => {
    const ds = lint(flow(`  @step start() { this.next(this.nope1, this.nope2); }\n  @step a() { console.log(1); }`));
    assert.deepEqual(
      ds.map((d) => d.code),
      ['SW002', 'SW003', 'SW003', 'SW005', 'SW008'],
    );
  });

  it('reports nothing but syntax errors for a file without a flow', () => {
    assert.deepEqual(lint('export const x = 1;\n'), []);
    assert.deepEqual(
      lint('export const x = ;\n').map((d) => d.code),
      ['SW000'],
    );
  });

  it('names the exclude list when mergeArtifacts drops a read artifact', () => {
    const ds = lint(
      flow(
        `  declare c: string;\n  @step start() { this.c = 'x'; this.next(this.a, this.b); }\n  @step a() { this.next(this.j); }\n  @step b() { this.next(this.j); }\n  @step j(inputs: Inputs) { this.mergeArtifacts(inputs, { exclude: ['c'] }); this.next(this.end); }\n  @step end() { console.log(this.c); }`,
      ),
    );
    assert.equal(ds.length, 1);
    assert.match(ds[0].message, /`end` reads `c`, dropped at the join `j`: its this.mergeArtifacts\(\.\.\.\) call excludes it/);
  });

  it('names the inner join that dropped an artifact when an outer join had nothing to merge', () => {
    const ds = lint(
      flow(`  declare items: number[];
  declare sq: number;
  @step start() { this.next(this.a, this.b); }
  @step a() { this.items = [1, 2]; this.next(this.each, { foreach: 'items' }); }
  @step each() { this.sq = 1; this.next(this.joinA); }
  @step joinA(inputs: Inputs) { this.next(this.j); }
  @step b() { this.next(this.j); }
  @step j(inputs: Inputs) { this.mergeArtifacts(inputs); this.next(this.end); }
  @step end() { console.log(this.items); }`),
    );
    assert.deepEqual(
      ds.map((d) => `${d.code}@${d.range.start.line + 1}`),
      ['SW017@11'],
    );
    assert.match(ds[0].message, /`end` reads `items`, dropped at the join `joinA`/);
  });

  it('lets mergeArtifacts without include carry every artifact, and warns about reads before the call', () => {
    const base = `  declare c: string;\n  @step start() { this.c = 'x'; this.next(this.a, this.b); }\n  @step a() { this.next(this.j); }\n  @step b() { this.next(this.j); }\n`;
    assert.deepEqual(
      lint(
        flow(
          `${base}  @step j(inputs: Inputs) { this.mergeArtifacts(inputs); console.log(this.c); this.next(this.end); }\n  @step end() { console.log(this.c); }`,
        ),
      ),
      [],
    );
    const early = lint(
      flow(`${base}  @step j(inputs: Inputs) { console.log(this.c); this.mergeArtifacts(inputs); this.next(this.end); }\n  @step end() {}`),
    );
    assert.deepEqual(
      early.map((d) => d.code),
      ['SW017'],
    );
    assert.match(early[0].message, /before its this.mergeArtifacts/);
  });

  it('is documented in docs/LINT_RULES.md', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'LINT_RULES.md'), 'utf8');
    for (const r of rules)
      assert.match(doc, new RegExp(`\\| ${r.code} \\| \`${r.name}\` \\| ${r.severity} \\|`), `${r.code} missing from docs/LINT_RULES.md`);
  });
});
