/**
 * The npm package, the way a team adopts it: `npm pack` → a fresh project installs the tarball
 * → `npx stepwise run` a flow that imports the project's own npm dependency and a local module →
 * `tsc` type-checks flow and client code under `"module": "commonjs"` and `"nodenext"` → an `.mjs`
 * script and a CommonJS script read the run through `stepwise/client`.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/cli';
import { TASK_RUNTIME_FILES } from '../../runtime/src/scheduler/taskRuntime';
import { lockedVersion, npmEnv, npmInstall, packRepository, projectWithTarball, type PackedTarball } from '../support/pack';

const FLOW = `import { FlowSpec, step, Parameter, current } from 'stepwise';
import escapeStringRegexp from 'escape-string-regexp';
import { shout } from './lib/words';

/** Uses an npm dependency of the project and one of its own modules. */
export default class PackedFlow extends FlowSpec {
  word = Parameter('word', { default: 'a.b' });
  declare pattern: string;
  declare loud: string;

  @step start() {
    this.pattern = escapeStringRegexp(this.word);
    this.loud = shout(current.flowName);
    this.next(this.end);
  }

  @step end() {
    console.log(\`pattern \${this.pattern} \${this.loud}\`);
  }
}
`;

const WORDS = `export function shout(s: string): string {
  return s.toUpperCase() + '!';
}
`;

/** Client code, type-checked only: the client API's types, with ES module syntax. */
const READER_TS = `import { Flow, Run, type RunClient, type TaskClient } from 'stepwise/client';
import type { FlowSpec } from 'stepwise';

export async function latestPattern(): Promise<string> {
  const run: RunClient = await Flow('PackedFlow').latestRun();
  const task: TaskClient = await run.step('end').task();
  const again = await Run(run.pathspec);
  return (await task.data<string>('pattern')) + again.id;
}
export type AnyFlow = FlowSpec;
`;

const READER_MJS = `import { Flow } from 'stepwise/client';
import { FlowSpec } from 'stepwise';
const run = await Flow('PackedFlow').latestRun();
const task = await run.step('end').task();
console.log(JSON.stringify({ id: run.id, status: run.status, pattern: await task.data('pattern'), loud: await task.data('loud'), flowSpec: typeof FlowSpec }));
`;

const READER_CJS = `const { Flow } = require('stepwise/client');
const { FlowSpec } = require('stepwise');
Flow('PackedFlow').latestRun().then(async (run) => {
  const task = await run.step('end').task();
  console.log(JSON.stringify({ id: run.id, pattern: await task.data('pattern'), flowSpec: typeof FlowSpec }));
});
`;

function tsconfig(module: 'commonjs' | 'nodenext', files: string[]): string {
  return JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module,
        ...(module === 'commonjs' ? { esModuleInterop: true } : {}),
        strict: true,
        noEmit: true,
        // The shipped declarations are checked too, not skipped.
        skipLibCheck: false,
        types: ['node'],
      },
      files,
    },
    null,
    2,
  );
}

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, env: npmEnv(), encoding: 'utf8', timeout: 5 * 60_000 });
  if (r.error) throw r.error;
  return r;
}

describe('the npm package (npm pack → install into a project)', function () {
  this.timeout(10 * 60_000);
  let dir: string;
  let project: string;
  let tarball: PackedTarball;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-pack-'));
    tarball = packRepository(join(dir, 'pack'));
    project = join(dir, 'project');
    const install = projectWithTarball(project, tarball.file);
    console.log(
      `      (tarball ${(tarball.size / 1024).toFixed(0)} kB, unpacked ${(tarball.unpackedSize / 1024).toFixed(0)} kB; install ${(install.ms / 1000).toFixed(1)} s)`,
    );
    npmInstall(project, [`escape-string-regexp@${lockedVersion('escape-string-regexp')}`]);
    npmInstall(project, [`@types/node@${lockedVersion('@types/node')}`], true);
    mkdirSync(join(project, 'lib'));
    writeFileSync(join(project, 'lib', 'words.ts'), WORDS);
    writeFileSync(join(project, 'flow.ts'), FLOW);
    writeFileSync(join(project, 'reader.ts'), READER_TS);
    writeFileSync(join(project, 'reader.mts'), READER_TS);
    writeFileSync(join(project, 'read.mjs'), READER_MJS);
    writeFileSync(join(project, 'read.cjs'), READER_CJS);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is built files only: the CLI, the task runner, the runtime and client, their declarations', () => {
    const files = tarball.files;
    // Every file a run copies for its tasks (a missing one fails every run of the installed package).
    for (const f of ['bin/stepwise.js', 'dist/cli.js', 'dist/cli.bundle.js', ...TASK_RUNTIME_FILES.map((n) => `dist/${n}`)]) {
      assert.ok(files.includes(f), `${f} is in the package`);
    }
    assert.ok(files.includes('dist/types/api/index.d.ts') && files.includes('dist/types/client/index.d.ts'));
    const stray = files.filter(
      (f) => !/^(package\.json|README\.md|LICENSE|bin\/stepwise\.js|dist\/[\w.-]+\.js|dist\/types\/[\w/]+\.d\.ts)$/.test(f),
    );
    assert.deepEqual(stray, [], 'no sources, maps, tests or caches');
    for (const f of ['dist/extension.js', 'dist/webview.js', 'dist/server.bundle.js'])
      assert.ok(!files.includes(f), `${f} is the extension's`);
    // TypeScript and esbuild are dependencies, not a bundled copy (of the 2 MB, 1.4 MB is the S3
    // client's own bundle, loaded only for an S3 datastore).
    assert.ok(tarball.unpackedSize < 3 * 1024 * 1024, `unpacked ${tarball.unpackedSize} bytes`);
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', 'stepwise', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['esbuild', 'typescript']);
    // The CLI requires the installed typescript rather than carrying its own 9 MB compiler.
    assert.match(readFileSync(join(project, 'node_modules', 'stepwise', 'dist', 'cli.bundle.js'), 'utf8'), /require\("typescript"\)/);
  });

  it('npx stepwise runs a flow that imports the project’s npm dependency and a local module', () => {
    const r = run('npx', ['--no-install', 'stepwise', 'run', 'flow.ts', '--word', 'x+y'], project);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /pattern x\\\+y PACKEDFLOW!/);
    const check = run('npx', ['--no-install', 'stepwise', 'check', 'flow.ts'], project);
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /PackedFlow is OK/);
    const runs = run('npx', ['--no-install', 'stepwise', 'runs', 'PackedFlow', '--json'], project);
    assert.equal(runs.status, 0, runs.stderr);
    assert.equal((JSON.parse(runs.stdout) as unknown[]).length, 1);
    assert.equal(run('npx', ['--no-install', 'stepwise', '--help'], project).status, 0);
  });

  for (const module of ['commonjs', 'nodenext'] as const) {
    it(`tsc resolves 'stepwise' and 'stepwise/client' with their types under "module": "${module}"`, () => {
      const files = module === 'commonjs' ? ['flow.ts', 'reader.ts'] : ['flow.ts', 'reader.ts', 'reader.mts'];
      writeFileSync(join(project, `tsconfig.${module}.json`), tsconfig(module, files));
      // The project's own tsc: the one that came with stepwise's dependencies.
      const r = run(
        process.execPath,
        [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', `tsconfig.${module}.json`],
        project,
      );
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });
  }

  it('an .mjs script and a CommonJS script read the run through stepwise/client', () => {
    const esm = run(process.execPath, ['read.mjs'], project);
    assert.equal(esm.status, 0, esm.stderr);
    const fromEsm = JSON.parse(esm.stdout) as { status: string; pattern: string; loud: string; flowSpec: string; id: string };
    assert.deepEqual(
      { status: fromEsm.status, pattern: fromEsm.pattern, loud: fromEsm.loud, flowSpec: fromEsm.flowSpec },
      { status: 'succeeded', pattern: 'x\\+y', loud: 'PACKEDFLOW!', flowSpec: 'function' },
    );
    const cjs = run(process.execPath, ['read.cjs'], project);
    assert.equal(cjs.status, 0, cjs.stderr);
    assert.deepEqual(JSON.parse(cjs.stdout), { id: fromEsm.id, pattern: 'x\\+y', flowSpec: 'function' });
  });

  it('the package in the repository is the one packed (same version as the extension)', () => {
    const own = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const installed = run('npx', ['--no-install', 'stepwise', '--version'], project);
    assert.equal(installed.status, 0, installed.stderr);
    assert.match(installed.stdout, new RegExp(`\\b${own.version.replace(/\./g, '\\.')}\\b`));
  });
});
