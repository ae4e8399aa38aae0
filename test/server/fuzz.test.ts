/**
 * Language-server fuzz corpus (issue 11), a chaos test that stays in CI: seeded mutations of
 * every fixture flow, deep nesting, 20,000-line flows and binary garbage, each opened in the
 * real server (dist/server.js over stdio) and asked every request kind at several positions.
 * Crashes, error responses, failed handlers and timeouts must all be zero; a flow nested too
 * deeply to parse gets a diagnostic saying so. CHAOS_SCALE multiplies the mutated corpus
 * (`npm run chaos`), CHAOS_SEED replays a seed.
 */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Position } from 'vscode-languageserver-protocol';
import { parseFlow } from '../../runtime/src/graph';
import { lintFlow } from '../../runtime/src/lint';
import { Random, chaosSeed } from '../support/random';
import { fixturesDir, fixtureText, LspSession } from './lspSession';

const SCALE = Math.max(1, Number(process.env.CHAOS_SCALE) || 1);
/** Longer than any request takes on a loaded 2-core machine; a slower answer counts as a timeout. */
const REQUEST_TIMEOUT_MS = 30_000;

interface Doc {
  name: string;
  text: string;
  /**
   * true: must be published with a "nested too deeply" diagnostic. Unset on other deep_ docs:
   * whether the parser follows them depends on the stack size, so either a graph or that finding.
   */
  tooDeep?: boolean;
}

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  'this.next(',
  'this.',
  '@step ',
  "'",
  '"',
  '`',
  '${',
  ', { foreach: ',
  'inputs: Inputs',
  '\n',
  ';',
  '=>',
  'async ',
  '/*',
  '*/',
  '//',
  'extends FlowSpec',
  'class X ',
  '\u0000',
  '\uD800',
  '🐍',
];

function fixtureNames(): string[] {
  const out: string[] = [];
  for (const dir of ['flows', 'invalid', 'runtime']) {
    for (const f of readdirSync(join(fixturesDir, dir))) if (f.endsWith('.ts')) out.push(`${dir}/${f}`);
  }
  return out;
}

/** One to five random edits: insert a token, delete a span, duplicate or swap lines, truncate. */
function mutate(text: string, rnd: Random): string {
  let t = text;
  for (let n = rnd.int(1, 5); n > 0; n--) {
    const at = rnd.int(0, t.length);
    const lines = t.split('\n');
    switch (rnd.int(0, 5)) {
      case 0:
        t = t.slice(0, at) + rnd.pick(TOKENS) + t.slice(at);
        break;
      case 1:
        t = t.slice(0, at) + t.slice(Math.min(t.length, at + rnd.int(1, 40)));
        break;
      case 2: {
        const i = rnd.int(0, lines.length - 1);
        lines.splice(i, 0, lines[i]);
        t = lines.join('\n');
        break;
      }
      case 3: {
        const i = rnd.int(0, lines.length - 1);
        const j = rnd.int(0, lines.length - 1);
        [lines[i], lines[j]] = [lines[j], lines[i]];
        t = lines.join('\n');
        break;
      }
      case 4:
        t = t.slice(0, at) + String.fromCharCode(rnd.int(0, 0xffff)) + t.slice(at + 1);
        break;
      default:
        t = t.slice(0, at);
    }
  }
  return t;
}

function flowWith(body: string): string {
  return `import { FlowSpec, step } from 'stepwise';\n\nexport default class DeepFlow extends FlowSpec {\n  declare x: unknown;\n\n  @step start() {\n    this.x = ${body};\n    this.next(this.end);\n  }\n\n  @step end() {}\n}\n`;
}

function deepNesting(): Doc[] {
  const rep = (s: string, n: number) => s.repeat(n);
  const docs: Array<[string, string]> = [
    ['parens_1000', `${rep('(', 1000)}1${rep(')', 1000)}`],
    ['parens_20000', `${rep('(', 20000)}1${rep(')', 20000)}`],
    ['brackets_5000', `${rep('[', 5000)}1${rep(']', 5000)}`],
    ['objects_5000', `${rep('{ a: ', 5000)}1${rep(' }', 5000)}`],
    ['calls_5000', `${rep('f(', 5000)}1${rep(')', 5000)}`],
    ['arrows_5000', `${rep('() => ', 5000)}1`],
    ['unary_20000', `${rep('!', 20000)}1`],
    ['ternary_5000', `${rep('a ? b : ', 5000)}c`],
    ['unclosed_parens_20000', rep('(', 20000)],
  ];
  return docs.map(([name, body]) => ({
    name: `deep_${name}`,
    text: flowWith(body),
    ...(name.endsWith('_20000') && name.includes('parens') ? { tooDeep: true } : {}),
  }));
}

function bigFlows(): Doc[] {
  // 2,000 steps in a chain, 10 lines each: 20,000 lines.
  const steps: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const next = i === 1999 ? 'end' : `s${i + 1}`;
    steps.push(
      `  /** Step ${i}. */`,
      `  @step ${i === 0 ? 'start' : `s${i}`}() {`,
      `    const a = ${i};`,
      `    const b = a * 2;`,
      `    console.log(a, b);`,
      `    this.v${i % 50} = b;`,
      `    if (b < 0) return;`,
      `    this.total = (this.total ?? 0) + b;`,
      `    this.next(this.${next});`,
      `  }`,
    );
  }
  const chain = `import { FlowSpec, step } from 'stepwise';\nexport default class Big extends FlowSpec {\n  declare total: number;\n${steps.join('\n')}\n  @step end() {}\n}\n`;
  // One step of 20,000 statements.
  const stmts = Array.from({ length: 20000 }, (_, i) => `    this.total = (this.total ?? 0) + ${i};`);
  const long = `import { FlowSpec, step } from 'stepwise';\nexport default class Long extends FlowSpec {\n  declare total: number;\n  @step start() {\n${stmts.join('\n')}\n    this.next(this.end);\n  }\n  @step end() {}\n}\n`;
  return [
    { name: 'big_2000_steps', text: chain },
    { name: 'big_20000_statements', text: long },
  ];
}

function garbage(rnd: Random, count: number): Doc[] {
  const docs: Doc[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = Buffer.alloc(rnd.int(1, 20000));
    for (let j = 0; j < bytes.length; j++) bytes[j] = rnd.int(0, 255);
    const raw = i % 2 ? bytes.toString('latin1') : bytes.toString('utf8');
    // Half of them get past the server's cheap "mentions FlowSpec" gate, and are parsed.
    const text = i % 4 < 2 ? `class G extends FlowSpec {${raw}` : raw;
    docs.push({ name: `garbage_${i}`, text });
  }
  return docs;
}

function corpus(seed: number): Doc[] {
  const rnd = new Random(seed);
  const docs: Doc[] = [];
  for (const name of fixtureNames()) {
    const text = fixtureText(name);
    for (let k = 0; k < 6 * SCALE; k++) docs.push({ name: `${name.replace(/[/.]/g, '_')}_m${k}`, text: mutate(text, rnd) });
  }
  return [...docs, ...deepNesting(), ...bigFlows(), ...garbage(rnd, 12 * SCALE)];
}

function positions(text: string, rnd: Random, n: number): Position[] {
  const lines = text.split('\n');
  return Array.from({ length: n }, () => {
    const line = rnd.int(0, lines.length - 1);
    return { line, character: rnd.int(0, lines[line].length) };
  });
}

describe('language server: fuzz corpus (chaos)', function () {
  this.timeout(600_000 * SCALE);
  let lsp: LspSession;
  before(async () => {
    lsp = await LspSession.start();
  });
  after(async () => {
    await lsp?.stop();
  });

  it('answers every request on every document: no crash, error response, failed handler or timeout', async () => {
    const seed = chaosSeed(20261127);
    const rnd = new Random(seed);
    const docs = corpus(seed);
    const figures = { documents: 0, requests: 0, tooDeep: 0, crashes: 0, errorResponses: 0, failedHandlers: 0, timeouts: 0 };
    const errors: string[] = [];
    const timed = async <T>(what: string, p: Promise<T>): Promise<T | undefined> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), REQUEST_TIMEOUT_MS)));
      try {
        const r = await Promise.race([p, timeout]);
        if (r === 'timeout') {
          figures.timeouts++;
          errors.push(`timeout: ${what}`);
          return undefined;
        }
        return r;
      } catch (err) {
        figures.errorResponses++;
        errors.push(`${what}: ${(err as Error).message}`);
        return undefined;
      } finally {
        clearTimeout(timer);
      }
    };
    const logsBefore = lsp.logs.length;
    for (const doc of docs) {
      const uri = pathToFileURL(join(fixturesDir, '..', 'scratch', 'fuzz', `${doc.name}.ts`)).href;
      await lsp.open(uri, doc.text);
      figures.documents++;
      // Every open is answered with the document's graph (null when it holds no flow).
      await timed(`${doc.name}: graph`, lsp.graphFor(uri, 1));
      const graph = await timed(`${doc.name}: graph`, lsp.request<{ graph: unknown } | null>('stepwise/getFlowGraph', { uri }));
      if (doc.tooDeep === true || (doc.tooDeep === undefined && doc.name.startsWith('deep_') && !graph?.graph)) {
        // Too deep for the parser: no graph, and one finding that says why and where.
        const published = await timed(`${doc.name}: diagnostics`, lsp.diagnosticsFor(uri, 1));
        const d = published?.diagnostics ?? [];
        assert.equal(d.length, 1, `${doc.name}: one diagnostic, got ${JSON.stringify(d)}`);
        assert.equal(d[0].code, 'SW000');
        assert.match(String(d[0].message), /nested .*inside one another|nested too deeply/, doc.name);
        figures.tooDeep++;
      }
      const textDocument = { uri };
      for (const position of positions(doc.text, rnd, 3)) {
        const asks: Array<[string, unknown]> = [
          ['textDocument/hover', { textDocument, position }],
          ['textDocument/definition', { textDocument, position }],
          ['textDocument/references', { textDocument, position, context: { includeDeclaration: true } }],
          ['textDocument/completion', { textDocument, position }],
          ['textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics: [] } }],
          ['textDocument/documentSymbol', { textDocument }],
          ['stepwise/getFlowGraph', { uri }],
        ];
        await Promise.all(
          asks.map(([method, params]) => {
            figures.requests++;
            return timed(`${doc.name}: ${method} at ${position.line}:${position.character}`, lsp.request(method, params));
          }),
        );
      }
      await lsp.close(uri);
      if (!lsp.alive) {
        figures.crashes++;
        break;
      }
    }
    figures.failedHandlers = lsp.logs.slice(logsBefore).filter((l) => /failed|uncaught/i.test(l)).length;
    console.log(`    fuzz (seed ${seed}, scale ${SCALE}): ${JSON.stringify(figures)}`);
    assert.deepEqual(
      {
        crashes: figures.crashes,
        errorResponses: figures.errorResponses,
        failedHandlers: figures.failedHandlers,
        timeouts: figures.timeouts,
      },
      { crashes: 0, errorResponses: 0, failedHandlers: 0, timeouts: 0 },
      [...errors, ...lsp.logs.slice(logsBefore).filter((l) => /failed|uncaught/i.test(l))].slice(0, 10).join('\n'),
    );
    assert.ok(lsp.alive, 'the server is still running');
  });

  it('after a document too deep to parse, ordinary flows still get exactly their diagnostics', async () => {
    const deep = pathToFileURL(join(fixturesDir, '..', 'scratch', 'fuzz', 'deep_then_normal.ts')).href;
    await lsp.open(deep, deepNesting()[1].text);
    await lsp.diagnosticsFor(deep, 1);
    const uri = pathToFileURL(join(fixturesDir, 'invalid', 'no_end.ts')).href;
    await lsp.open(uri, fixtureText('invalid/no_end.ts'));
    const d = await lsp.diagnosticsFor(uri, 1);
    const expected = lintFlow(parseFlow(fixtureText('invalid/no_end.ts'), 'no_end.ts'));
    assert.deepEqual(
      d.diagnostics.map((x) => `${x.code} ${x.range.start.line}:${x.range.start.character}`),
      expected.map((x) => `${x.code} ${x.range.start.line}:${x.range.start.character}`),
    );
    // The deep document, fixed, gets its graph back and its finding cleared.
    await lsp.change(deep, 2, [{ text: flowWith('(1)') }]);
    assert.deepEqual((await lsp.diagnosticsFor(deep, 2)).diagnostics, []);
    await lsp.close(deep);
    await lsp.close(uri);
  });
});
