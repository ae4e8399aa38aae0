/**
 * `--task-isolation thread`: tasks in fresh contexts of the threads of pooled task hosts. Each isolation
 * guarantee through real runs of the CLI: a task that throws, exits, loops or runs out of heap
 * fails alone; module state never leaks between tasks of one host; concurrent output lands in the
 * right task's log; a dead host fails (or retries) only its own tasks with the reason; a dead
 * runner leaves no host behind; a native addon that cannot load in a thread falls back to a process.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allGone, exited, startUntil } from '../support/background';
import { Workspace, runIdOf } from '../support/workspace';

const THREAD = ['--task-isolation', 'thread'];

/**
 * Pids of the task hosts a runner started: its children running dist/taskHost.js, or the early
 * process its boot started (`dist/early.js --stepwise-early`), which runs taskHost.js once taken.
 */
function hostsOf(runnerPid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m && Number(m[2]) === runnerPid && /taskHost\.js|--stepwise-early/.test(m[3]))
    .map((m) => Number(m[1]));
}

describe('--task-isolation thread: tasks in the threads of a task host', function () {
  this.timeout(180_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('a task that throws, exits, loops past @timeout or runs out of heap fails alone, with its own reason; the others finish', async () => {
    const file = ws.copy('runtime/isolation.ts');
    const modes = ['ok', 'throw', 'exit', 'loop', 'oom', 'slow'];
    const r = await ws.cli(['run', file, ...THREAD, '--max-workers', '6'], { MODES: JSON.stringify(modes) });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const run = await ws.flow('IsolationFlow').run(runIdOf(r.stdout));
    const tasks = await run.step('each').tasks();
    const byMode = new Map<string, (typeof tasks)[number]>();
    for (const t of tasks) byMode.set(await t.data<string>('mode').catch(() => modes[t.foreachIndex!]), t);
    for (const ok of ['ok', 'slow']) {
      const t = byMode.get(ok)!;
      assert.equal(t.status, 'succeeded', `${ok}: ${t.exception?.message}`);
      assert.equal(await t.data('loads'), 1);
      assert.deepEqual(await t.data('seen'), [t.id]);
    }
    assert.match(byMode.get('throw')!.exception!.message, /thrown by task \d+/);
    assert.match(byMode.get('exit')!.exception!.message, /exited with code 3/);
    assert.equal(byMode.get('loop')!.exception!.name, 'TimeoutError');
    const oom = byMode.get('oom')!;
    assert.equal(oom.exception!.name, 'OutOfMemoryError');
    assert.match(oom.exception!.message, /\(64 MB, set by @resources\(\{ memoryMb: 64 \}\)\)/);
    for (const t of tasks) assert.notEqual(t.status, 'killed', `${t.pathspec} was killed`);
  });

  it('module-level state never leaks: every task of one host imports the flow afresh', async () => {
    const file = ws.copy('runtime/isolation.ts');
    const modes = Array.from({ length: 8 }, () => 'ok');
    const r = await ws.cli(['run', file, ...THREAD, '--max-workers', '1'], { MODES: JSON.stringify(modes) });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /results (ok:1:1 ){7}ok:1:1/);
    const tasks = await (await ws.flow('IsolationFlow').run(runIdOf(r.stdout))).step('each').tasks();
    // One host ran them all (the host's pid is the tasks' process.pid), each in a thread of its own.
    assert.equal(new Set(await Promise.all(tasks.map((t) => t.data('pid')))).size, 1);
  });

  it('four threads of one host printing at once: each line in its own task’s log and console prefix', async () => {
    const file = ws.copy('runtime/isolation.ts');
    const modes = ['ok', 'ok', 'ok', 'ok'];
    const r = await ws.cli(['run', file, ...THREAD, '--max-workers', '4'], {
      MODES: JSON.stringify(modes),
      LINES: '300',
      STEPWISE_TASK_HOSTS: '1',
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const tasks = await (await ws.flow('IsolationFlow').run(runIdOf(r.stdout))).step('each').tasks();
    assert.equal(new Set(await Promise.all(tasks.map((t) => t.data('pid')))).size, 1, 'one host ran the four');
    for (const t of tasks) {
      const want = (kind: string) => Array.from({ length: 300 }, (_, i) => `task ${t.id} ${kind} ${i}`).join('\n') + '\n';
      assert.equal(await t.stdout, want('line'));
      assert.equal(await t.stderr, want('err'));
    }
    for (const line of r.stdout.split('\n')) {
      const m = /\/each\/(\d+) \(pid \d+\)\] task (\d+) (line|err) /.exec(line);
      if (m) assert.equal(m[1], m[2], line);
    }
  });

  it('a host killed under its task: that task fails with the host’s death as the reason, @retry runs it again, the run succeeds', async () => {
    const file = ws.copy('runtime/isolation.ts');
    const { child, match } = await startUntil(
      ws,
      ['run', file, ...THREAD, '--max-workers', '1', '--with', 'retry:minutesBetweenRetries=0'],
      /\[(\d+)\/each\/(\d+) \(pid (\d+)\)\] task \d+ line 0/,
      { MODES: '["slow"]' },
    );
    process.kill(Number(match[3]), 'SIGKILL');
    assert.equal(await exited(child), 0);
    const run = await ws.flow('IsolationFlow').run(match[1]);
    assert.equal(run.status, 'succeeded');
    const task = await run.step('each').task(match[2]);
    const [first] = await task.attempts();
    assert.match(first.exception!.message, /task's host process \(pid \d+\) was killed by SIGKILL/);
  });

  it('SIGKILL of the runner: no host or thread outlives it, the store reads, resume finishes the run', async () => {
    const file = ws.copy('runtime/stuck.ts');
    const { child, match } = await startUntil(ws, ['run', file, ...THREAD], /\[(\d+)\/stuck\/(\d+) \(pid (\d+)\)\] stuck begins/, {
      BUSY: '1',
    });
    const hosts = hostsOf(child.pid!);
    assert.deepEqual(hosts, [Number(match[3])]);
    child.kill('SIGKILL');
    await exited(child);
    await allGone(hosts, 2000);
    const run = await ws.flow('StuckFlow').run(match[1]);
    assert.equal(run.status, 'killed');
    const resumed = await ws.cli(['resume', file, ...THREAD], { WAIT_MS: '0' });
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.match(resumed.stdout, /result finished/);
  });

  it('Ctrl-C: the threads end, the run is killed, the runner exits and no host is left', async () => {
    const file = ws.copy('runtime/stuck.ts');
    const { child, match } = await startUntil(ws, ['run', file, ...THREAD], /\[(\d+)\/stuck\/(\d+) \(pid (\d+)\)\] stuck begins/, {
      BUSY: '1',
    });
    child.kill('SIGINT');
    assert.equal(await exited(child), 1);
    await allGone([Number(match[3])], 2000);
    const run = await ws.flow('StuckFlow').run(match[1]);
    assert.equal(run.status, 'killed');
    assert.equal((await run.step('stuck').task(match[2])).status, 'killed');
  });

  it('a native addon that cannot load in a thread: the task runs again as a process, saying why; later tasks are processes', async function () {
    const dir = join(ws.dir, 'legacy');
    mkdirSync(dir);
    // A real addon of the old, not context-aware kind (one load per process), built here.
    writeFileSync(
      join(dir, 'legacy.cc'),
      `#include <node.h>
namespace legacy {
void Hello(const v8::FunctionCallbackInfo<v8::Value>& args) {
  args.GetReturnValue().Set(v8::String::NewFromUtf8(args.GetIsolate(), "legacy").ToLocalChecked());
}
void Init(v8::Local<v8::Object> exports) { NODE_SET_METHOD(exports, "hello", Hello); }
NODE_MODULE(legacy, Init)
}
`,
    );
    const include = join(process.execPath, '..', '..', 'include', 'node');
    execFileSync('g++', ['-shared', '-fPIC', `-I${include}`, join(dir, 'legacy.cc'), '-o', join(dir, 'legacy.node')]);
    writeFileSync(
      join(ws.dir, 'addon.ts'),
      `import { join } from 'node:path';
import { FlowSpec, step, type Inputs } from 'stepwise';
// Loaded at run time from the run's folder (the flow bundle cannot inline a .node file).
const load = () => require(join(process.cwd(), 'legacy', 'legacy.node')) as { hello(): string };
export default class AddonFlow extends FlowSpec {
  declare items: number[];
  declare said: string;
  declare pid: number;
  declare pids: number[];
  @step start() { this.items = [0, 1]; this.next(this.each, { foreach: 'items' }); }
  @step async each() {
    this.said = load().hello();
    this.pid = process.pid;
    await new Promise((r) => setTimeout(r, 1500));
    this.next(this.join);
  }
  @step join(inputs: Inputs<AddonFlow>) { this.pids = inputs.map((i) => i.pid); this.pid = process.pid; this.next(this.end); }
  @step end() { console.log('said', load().hello()); }
}
`,
    );
    // Two threads of one host at once: the addon loads in the first, not in the second.
    const r = await ws.cli(['run', 'addon.ts', ...THREAD, '--max-workers', '2'], { STEPWISE_TASK_HOSTS: '1' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /legacy\.node is a native addon that cannot be loaded in a worker thread \(Module did not self-register.*\); this task and the run's later ones run as processes/,
    );
    assert.match(r.stdout, /said legacy/);
    const run = await ws.flow('AddonFlow').run(runIdOf(r.stdout));
    const each = await run.step('each').tasks();
    assert.deepEqual(await Promise.all(each.map((t) => t.data('said'))), ['legacy', 'legacy']);
    const joined = await run.step('join').task();
    const pids = await joined.data<number[]>('pids');
    assert.equal(new Set(pids).size, 2, 'one of the two tasks ran in the host, the other as a process');
    const joinPid = await joined.data<number>('pid');
    assert.ok(!pids.includes(joinPid), 'the join ran as a process of its own');
  });

  it('an error a finished task left behind (a promise chain failing later) fails no later task of its thread', async () => {
    const file = ws.copy('runtime/stray.ts');
    const r = await ws.cli(['run', file, ...THREAD, '--max-workers', '1']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /stray error/);
    const run = await ws.flow('StrayFlow').run(runIdOf(r.stdout));
    assert.deepEqual(await (await run.step('join').task()).data('items'), [1, 2, 3, 4]);
  });

  it('process.chdir() in a thread task fails that task with a message naming --task-isolation process; a process task may chdir', async () => {
    writeFileSync(
      join(ws.dir, 'chdir.ts'),
      `import { tmpdir } from 'node:os';
import { FlowSpec, step } from 'stepwise';

export default class ChdirFlow extends FlowSpec {
  declare moved: boolean;
  @step start() {
    const was = process.cwd();
    process.chdir(tmpdir());
    this.moved = process.cwd() !== was;
    process.chdir(was);
    this.next(this.end);
  }
  @step end() {}
}
`,
    );
    const threaded = await ws.cli(['run', join(ws.dir, 'chdir.ts'), ...THREAD]);
    assert.equal(threaded.code, 1, threaded.stdout + threaded.stderr);
    const failed = await (await ws.flow('ChdirFlow').run(runIdOf(threaded.stdout))).step('start').task();
    assert.equal(failed.exception!.name, 'TypeError');
    assert.match(failed.exception!.message, /^process\.chdir\(\) cannot run in a task thread: .* --task-isolation process /);
    const processed = await ws.cli(['run', join(ws.dir, 'chdir.ts'), '--task-isolation', 'process']);
    assert.equal(processed.code, 0, processed.stdout + processed.stderr);
    const end = await (await ws.flow('ChdirFlow').run(runIdOf(processed.stdout))).step('end').task();
    assert.equal(await end.data('moved'), true);
  });

  it('a package that calls import(): the task runs again as a process, saying why; the run succeeds', async () => {
    ws.addPackage('lazy-loader', "exports.pathJoin = () => import('node:path').then((p) => p.join('a', 'b'));\n");
    const file = ws.copy('runtime/dynamic_import.ts');
    const r = await ws.cli(['run', file, ...THREAD]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout + r.stderr,
      /lazy-loader\/index\.js calls import\(\), which Node 20 cannot run in a task thread; this task and the run's later ones run as processes/,
    );
    const run = await ws.flow('DynamicImportFlow').run(runIdOf(r.stdout));
    assert.equal(await (await run.step('end').task()).data('joined'), join('a', 'b'));
  });

  it('a package that is an ES module (which a process requires on Node 20.19+): the task runs again as a process, saying why', async () => {
    ws.addPackage('esm-only', "export const joined = ['a', 'b'].join('/');\n", { type: 'module' });
    writeFileSync(
      join(ws.dir, 'esm_user.ts'),
      `import { FlowSpec, step } from 'stepwise';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const esm = require('esm-only') as { joined: string };

export default class EsmUserFlow extends FlowSpec {
  declare joined: string;
  @step start() {
    this.joined = esm.joined;
    this.next(this.end);
  }
  @step end() {}
}
`,
    );
    const r = await ws.cli(['run', join(ws.dir, 'esm_user.ts'), ...THREAD]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout + r.stderr,
      /esm-only\/index\.js is an ES module, which Node 20 cannot load in a task thread; this task and the run's later ones run as processes/,
    );
    const run = await ws.flow('EsmUserFlow').run(runIdOf(r.stdout));
    assert.equal(await (await run.step('start').task()).data('joined'), 'a/b');
  });
});
