/**
 * The TypeScript server plugin (client/src/tsplugin, dist/tsplugin.js through the repository's
 * node_modules/stepwise-ts-plugin) in a real tsserver, started as VS Code starts it for an
 * extension's plugin: a flow in a bare folder (no package.json, tsconfig.json or node_modules)
 * has no TypeScript errors and `this.` completes the flow API; a deliberate error still shows;
 * a project that resolves `stepwise` itself keeps its own answer; nothing is written.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/cli';
import { TsServer } from './tsserver';

const FLOW = `import { FlowSpec, step, Parameter, type Inputs } from 'stepwise';
import { Flow } from 'stepwise/client';

export default class BareFlow extends FlowSpec {
  count = Parameter('count', { default: 3 });
  declare items: number[];
  declare square: number;
  declare total: number;

  @step start() {
    this.items = Array.from({ length: this.count }, (_, i) => i);
    this.next(this.each, { foreach: 'items' });
  }
  @step each() {
    this.square = (this.input as number) ** 2;
    this.next(this.join);
  }
  @step join(inputs: Inputs<BareFlow>) {
    this.total = inputs.map((i) => i.square).reduce((a, b) => a + b, 0);
    this.mergeArtifacts(inputs, { exclude: ['square'] });
    this.next(this.end);
  }
  @step async end() {
    const run = await Flow('BareFlow').latestRun();
    console.log(run.id, this.total);
  }
}
`;

/** A step whose body is `this.` with the caret after the dot. */
const COMPLETE = `import { FlowSpec, step } from 'stepwise';
export default class CompleteFlow extends FlowSpec {
  @step start() {
    this.
  }
  @step end() {}
}
`;

const BROKEN = `const n: number = 'not a number';\nexport { n };\n`;

/** What VS Code's TypeScript extension sends for a file outside any tsconfig (1.100's defaults). */
const INFERRED = {
  module: 'ESNext',
  target: 'ES2020',
  jsx: 'react',
  strictNullChecks: true,
  strictFunctionTypes: true,
  sourceMap: true,
  allowJs: true,
  allowSyntheticDefaultImports: true,
  allowNonTsExtensions: true,
  resolveJsonModule: true,
};

interface Diagnostic {
  code: number;
  text: string;
}

async function errorsOf(ts: TsServer, file: string): Promise<Diagnostic[]> {
  const syntactic = await ts.request<Diagnostic[]>('syntacticDiagnosticsSync', { file });
  const semantic = await ts.request<Diagnostic[]>('semanticDiagnosticsSync', { file });
  return [...syntactic, ...semantic].map((d) => ({ code: d.code, text: d.text }));
}

async function completionsAfterThis(ts: TsServer, file: string): Promise<string[]> {
  // `    this.` is line 4; the caret after the dot is offset 10.
  const body = await ts.request<{ entries: Array<{ name: string }> }>('completionInfo', { file, line: 4, offset: 10 });
  return body.entries.map((e) => e.name);
}

function open(ts: TsServer, file: string, text: string): void {
  writeFileSync(file, text);
  ts.notify('open', { file, fileContent: text, scriptKindName: 'TS' });
}

describe('TypeScript server plugin: types with no set-up', function () {
  this.timeout(120_000);
  let dir: string;
  const servers: TsServer[] = [];

  function start(plugin: boolean): TsServer {
    const ts = TsServer.start(repoRoot, plugin ? { plugin: 'stepwise-ts-plugin' } : {});
    servers.push(ts);
    ts.notify('compilerOptionsForInferredProjects', { options: INFERRED });
    return ts;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-bare-'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('without the plugin, a flow in a bare folder cannot resolve stepwise (the problem being solved)', async () => {
    const ts = start(false);
    open(ts, join(dir, 'flow.ts'), FLOW);
    const codes = (await errorsOf(ts, join(dir, 'flow.ts'))).map((d) => d.code);
    assert.ok(codes.includes(2307), `Cannot find module 'stepwise' (got ${codes.join(', ')})`);
  });

  it('with the plugin, the flow has no errors, a deliberate error is still reported, and nothing is written', async () => {
    const ts = start(true);
    open(ts, join(dir, 'flow.ts'), FLOW);
    open(ts, join(dir, 'broken.ts'), BROKEN);
    assert.deepEqual(await errorsOf(ts, join(dir, 'flow.ts')), []);
    const broken = await errorsOf(ts, join(dir, 'broken.ts'));
    assert.deepEqual(
      broken.map((d) => d.code),
      [2322],
      JSON.stringify(broken),
    );
    assert.deepEqual(readdirSync(dir).sort(), ['broken.ts', 'flow.ts'], 'the folder holds only what the test wrote');
  });

  it('completion on `this.` in a step offers the flow API: next, input, mergeArtifacts', async () => {
    const ts = start(true);
    open(ts, join(dir, 'complete.ts'), COMPLETE);
    const names = await completionsAfterThis(ts, join(dir, 'complete.ts'));
    for (const n of ['next', 'input', 'index', 'mergeArtifacts', 'start', 'end'])
      assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  });

  it('a project that resolves stepwise itself keeps its own types', async () => {
    // The project's own `stepwise` (here through tsconfig paths, as an install would resolve).
    mkdirSync(join(dir, 'types'));
    writeFileSync(
      join(dir, 'types', 'stepwise.d.ts'),
      `export declare class FlowSpec { projectOwnMember: true; next(...a: unknown[]): void; }\nexport declare function step(t: unknown, c: unknown): void;\n`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, paths: { stepwise: ['./types/stepwise.d.ts'] } },
        include: ['*.ts'],
      }),
    );
    const ts = start(true);
    open(ts, join(dir, 'complete.ts'), COMPLETE);
    const names = await completionsAfterThis(ts, join(dir, 'complete.ts'));
    assert.ok(names.includes('projectOwnMember'), 'the project’s declarations answer');
    assert.ok(!names.includes('mergeArtifacts'), 'the shipped declarations do not');
  });
});
