/**
 * A run keeps the runtime it started with (issue 11): `npm run build`, `npm pack` or an upgrade
 * that rewrites dist/ while a run is going used to fail the run's next task (a runner of one build
 * starting tasks of another). Each test uses its own copy of the package, installed the way npm
 * installs it (`node_modules/stepwise` in a project), and rewrites that copy's dist/ mid-run.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/cli';
import { exited } from '../support/background';
import { Workspace, runIdOf } from '../support/workspace';
import { TASK_RUNTIME_FILES } from '../../runtime/src/scheduler/taskRuntime';
import { describeIsolations } from '../support/isolation';

/** `node_modules/stepwise` in the workspace: the package's files, its two dependencies linked from the repository. */
function installPackage(ws: Workspace): string {
  const pkg = join(ws.dir, 'node_modules', 'stepwise');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  cpSync(join(repoRoot, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(repoRoot, 'bin'), join(pkg, 'bin'), { recursive: true });
  for (const f of readdirSync(join(repoRoot, 'dist'))) {
    if (f.endsWith('.js') && !['extension.js', 'webview.js', 'server.bundle.js'].includes(f)) {
      cpSync(join(repoRoot, 'dist', f), join(pkg, 'dist', f));
    }
  }
  for (const dep of ['typescript', 'esbuild']) symlinkSync(join(repoRoot, 'node_modules', dep), join(ws.dir, 'node_modules', dep));
  return pkg;
}

/** The CLI of that installation, in the background; resolves with its output once it exits. */
function runInstalled(ws: Workspace, pkg: string, args: string[], env: NodeJS.ProcessEnv, ready?: RegExp) {
  const child = spawn(process.execPath, [join(pkg, 'dist', 'cli.js'), ...args], {
    cwd: ws.dir,
    env: { ...process.env, FORCE_COLOR: '0', STEPWISE_DATASTORE_ROOT: ws.root, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let onReady: (() => void) | undefined;
  const isReady = new Promise<void>((resolve) => (onReady = resolve));
  const take = (d: string) => {
    out += d;
    if (ready?.test(out)) onReady?.();
  };
  child.stdout.setEncoding('utf8').on('data', take);
  child.stderr.setEncoding('utf8').on('data', take);
  const done = exited(child).then((code) => ({ code, out }));
  return { isReady: Promise.race([isReady, done.then(({ out: o }) => Promise.reject(new Error(`exited before ${ready}:\n${o}`)))]), done };
}

/** What a half-finished or different build leaves: task.js and the flow API it loads, replaced. */
function rebuildDist(pkg: string): void {
  writeFileSync(join(pkg, 'dist', 'task.js'), 'const { spec } = undefined; // another build\n');
  writeFileSync(join(pkg, 'dist', 'api.js'), 'throw new Error("a half-written api.js");\n');
}

function copies(ws: Workspace): string[] {
  const dir = join(ws.root, '.cache', 'runtime');
  return existsSync(dir) ? readdirSync(dir).filter((d) => !d.startsWith('.')) : [];
}

describeIsolations('a run keeps the runtime it started with', function () {
  this.timeout(180_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('dist/ rewritten while a step runs: the later tasks still start, and the run gives its result', async () => {
    const pkg = installPackage(ws);
    const file = ws.copy('runtime/gated.ts');
    const gate = join(ws.dir, 'gate');
    const run = runInstalled(ws, pkg, ['run', file], { GATE: gate }, /before the gate/);
    await run.isReady;
    rebuildDist(pkg);
    writeFileSync(gate, '');
    const { code, out } = await run.done;
    assert.equal(code, 0, out);
    assert.match(out, /after the gate from start/);
    assert.match(out, /big has 0 values, sum 0/);
    // Every task started from the run's copy, which holds the files as they were at the start.
    const [copy] = copies(ws);
    assert.ok(copy, 'no copy of the runtime in the store cache');
    assert.equal(
      readFileSync(join(ws.root, '.cache', 'runtime', copy, 'dist', 'task.js'), 'utf8'),
      readFileSync(join(repoRoot, 'dist', 'task.js'), 'utf8'),
    );

    // A run started after the rebuild takes the installation as it now is (here: broken).
    const after = await runInstalled(ws, pkg, ['run', file], { GATE: gate }).done;
    assert.equal(after.code, 1, after.out);
  });

  it('a resume in a later process gets a copy of its own; runs of one build share one copy, rewritten when damaged', async () => {
    const pkg = installPackage(ws);
    const file = ws.copy('runtime/gated.ts');
    const first = await runInstalled(ws, pkg, ['run', file], {}).done;
    assert.equal(first.code, 0, first.out);
    const second = await runInstalled(ws, pkg, ['run', file], {}).done;
    assert.equal(second.code, 0, second.out);
    const [copy, ...more] = copies(ws);
    assert.deepEqual(more, [], 'two runs of one build made two copies');
    assert.deepEqual(
      readdirSync(join(ws.root, '.cache', 'runtime', copy, 'dist'))
        .filter((f) => f.endsWith('.js'))
        .sort(),
      [...TASK_RUNTIME_FILES].sort(),
    );

    // A copy damaged after it was made (a cleaner, a full disk) is written again, not used.
    truncateSync(join(ws.root, '.cache', 'runtime', copy, 'dist', 'task.js'), 10);
    const resumed = await runInstalled(ws, pkg, ['resume', file, 'wait', '--origin-run-id', runIdOf(second.out)], {}).done;
    assert.equal(resumed.code, 0, resumed.out);
    assert.deepEqual(copies(ws), [copy]);
    assert.equal(
      readFileSync(join(ws.root, '.cache', 'runtime', copy, 'dist', 'task.js'), 'utf8'),
      readFileSync(join(pkg, 'dist', 'task.js'), 'utf8'),
    );
  });

  it('an installation missing a file tasks need: exit 2 naming the file and the fix, and nothing stored is lost', async () => {
    const pkg = installPackage(ws);
    const file = ws.copy('runtime/gated.ts');
    const first = await runInstalled(ws, pkg, ['run', file], {}).done;
    assert.equal(first.code, 0, first.out);
    const missing = TASK_RUNTIME_FILES[TASK_RUNTIME_FILES.length - 1];
    rmSync(join(pkg, 'dist', missing));
    const broken = await runInstalled(ws, pkg, ['run', file], {}).done;
    assert.equal(broken.code, 2, broken.out);
    assert.match(broken.out, new RegExp(`installation at .* is incomplete: .*${missing.replace('.', '\\.')} is missing\\. Reinstall it`));
    assert.doesNotMatch(broken.out, /internal error/);
    const listed = await runInstalled(ws, pkg, ['runs', file, '--json'], {}).done;
    assert.equal(listed.code, 0, listed.out);
    assert.ok(listed.out.includes(runIdOf(first.out)), 'the earlier run is still listed');
  });
});
