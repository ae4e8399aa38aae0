/**
 * What a task must see of its own realm, identically as a process and as a thread task: the
 * globals, builtins, environment and module state of earlier tasks of its host never reach it;
 * the values it is given (artifacts, foreach inputs, a join's inputs) and the values Node's
 * builtins return are ordinary values of its realm (`instanceof` holds); the timers and
 * listeners it leaves end with it; its errors' stacks name the flow's TypeScript lines; and
 * `current` says what the client says about it. Real runs of the CLI in both isolations; where
 * "the next task of the same host" matters, at --max-workers 1 (one host, tasks in turn).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describeIsolations } from '../support/isolation';
import { Workspace, runIdOf } from '../support/workspace';
import type { TaskClient } from '../../runtime/src/client/task';

const ONE_HOST = ['--max-workers', '1'];

/** The 1-based line of the fixture's first line holding `marker`. */
function lineOf(file: string, marker: string): number {
  const line =
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(marker)) + 1;
  assert.ok(line > 0, `${marker} in ${file}`);
  return line;
}

/** A CommonJS package with module-level counters, installed in the workspace as the flow's dependency. */
function writeCounterPackage(ws: Workspace): void {
  ws.addPackage('realm-counter', 'let loads = 0;\nloads++;\nlet calls = 0;\nexports.loads = loads;\nexports.call = () => ++calls;\n');
}

describeIsolations('what a task sees of its realm', function (isolation) {
  this.timeout(120_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  describe('tasks of one host, one after the other', function () {
    let leaks: Workspace;
    let tasks: TaskClient[];
    let joined: TaskClient;
    /** What each task recorded: the foreach's under `each`, the join under `joined`. */
    const saw = (each: string, joinedAs: string) =>
      Promise.all(
        [...tasks.map((t) => [t, each] as const), [joined, joinedAs] as const].map(async ([t, name]) => ({
          pathspec: t.pathspec,
          saw: await t.data<Record<string, unknown>>(name),
        })),
      );

    // One run for the tests below: each judges one kind of state.
    before(async () => {
      leaks = new Workspace();
      const file = leaks.copy('runtime/realm_leaks.ts');
      writeCounterPackage(leaks);
      const r = await leaks.cli(['run', file, ...ONE_HOST], { ITEMS: '[0, 1, 2, 3]', REALM_VAR: 'as the run set it' });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const run = await leaks.flow('RealmLeaksFlow').run(runIdOf(r.stdout));
      tasks = await run.step('each').tasks();
      joined = await run.step('join').task();
    });
    after(() => leaks?.dispose());

    it('ran one after the other (each could see what the one before left), as threads in one host', async () => {
      assert.equal(tasks.length, 4);
      const byStart = [...tasks, joined].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
      for (let i = 1; i < byStart.length; i++) assert.ok(byStart[i].startedAt >= byStart[i - 1].finishedAt!, 'tasks in turn');
      const pids = new Set((await saw('saw', 'joinSaw')).map((s) => s.saw.pid));
      if (isolation === 'thread') assert.equal(pids.size, 1, 'one host ran every task');
      else assert.equal(pids.size, 5, 'a process per task');
    });

    it('globals, builtin prototypes, process.env and module state (the flow file’s, a package’s) never reach the next task', async () => {
      for (const { pathspec, saw: s } of await saw('saw', 'joinSaw')) {
        const { pid, ...rest } = s;
        assert.equal(typeof pid, 'number');
        assert.deepEqual(
          rest,
          {
            global: 'undefined',
            proto: 'undefined',
            protoOwn: false,
            env: 'as the run set it',
            flowLoads: 1,
            flowCalls: 1,
            pkgLoads: 1,
            pkgCalls: 1,
          },
          pathspec,
        );
      }
    });

    it('what a task adds to the objects of Node’s builtin modules (fs’s exports, Buffer.prototype) never reaches the next task', async () => {
      for (const { pathspec, saw: s } of await saw('builtinSaw', 'joinBuiltinSaw'))
        assert.deepEqual(s, { fsExport: 'undefined', bufferProto: 'undefined' }, pathspec);
    });
  });

  /** The checks realm_values.ts records (each must be true), in a foreach task and over a join's inputs. */
  const STORED = ['map', 'set', 'date', 'regexp', 'float64', 'uint8', 'arrayBuffer', 'objectProto', 'nestedProto', 'nestedArray'];
  const STORED_MORE = ['nestedInArray', 'array', 'arrayMethods', 'error', 'ownErrorStored'];
  const BUILTINS = ['bufferFrom', 'readdir', 'fsError', 'fsPromise', 'fsPromiseValue', 'fsRejection', 'json', 'ownError'];
  const allTrue = (names: string[]) => Object.fromEntries(names.map((n) => [n, true]));

  async function valueChecks(
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ each: Array<Record<string, boolean>>; join: Record<string, boolean> }> {
    ws.copy('runtime/realm_values.ts');
    const r = await ws.cli(['run', 'realm_values.ts', ...ONE_HOST], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const run = await ws.flow('RealmValuesFlow').run(runIdOf(r.stdout));
    const tasks = await run.step('each').tasks();
    assert.equal(tasks.length, 2);
    return {
      each: await Promise.all(tasks.map((t) => t.data<Record<string, boolean>>('checks'))),
      join: await (await run.step('join').task()).data<Record<string, boolean>>('joinChecks'),
    };
  }

  it('artifacts, foreach inputs, a join’s inputs and what Node’s builtins return are values of the step’s own realm', async () => {
    const { each, join: joined } = await valueChecks();
    const stored = [...STORED, ...STORED_MORE];
    for (const checks of each) assert.deepEqual(checks, allTrue([...stored, 'input', 'inputArray', 'flowClass', ...BUILTINS]));
    assert.deepEqual(joined, allTrue([...stored, 'row', 'view', 'inputs', ...BUILTINS]));
  });

  // v8 serialisation gives a Buffer back as a Buffer (Node's serialiser writes it as a host object).
  it('a Buffer stored as an artifact is a Buffer and a Uint8Array of the step’s realm', async () => {
    const { each, join: joined } = await valueChecks({ STORE_BUFFER: '1' });
    for (const checks of [...each, joined]) assert.equal(checks.buffer, true);
  });

  it('an interval and an exit listener a task leaves end with it: the exit marker is in its own log, nothing in later tasks’', async () => {
    const file = ws.copy('runtime/realm_timers.ts');
    const r = await ws.cli(['run', file, ...ONE_HOST]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const run = await ws.flow('RealmTimersFlow').run(runIdOf(r.stdout));
    const tasks = await run.step('each').tasks();
    const leavers: TaskClient[] = [];
    const others: TaskClient[] = [];
    for (const t of tasks) ((await t.data<boolean>('leaver')) ? leavers : others).push(t);
    assert.equal(leavers.length, 1);
    const [leaver] = leavers;
    const own = await leaver.stdout;
    assert.match(own, new RegExp(`^interval marker of task ${leaver.id}$`, 'm'));
    assert.match(own, new RegExp(`^exit marker of task ${leaver.id}$`, 'm'));
    // Every task after it (the rest of the foreach, the join, the end) ran once it had finished.
    const later = [...others, await run.step('join').task(), await run.step('end').task()];
    assert.equal(later.length, 4);
    for (const t of later) {
      assert.ok(t.startedAt >= leaver.finishedAt!, `${t.pathspec} started after the leaver finished`);
      const log = (await t.stdout) + (await t.stderr);
      assert.doesNotMatch(log, /marker/, `${t.pathspec}'s log`);
    }
    for (const t of others) assert.match(await t.stdout, new RegExp(`^task ${t.id} done$`, 'm'));
    // Nor does the runner's console show a marker under another task's prefix (it shows them under the leaver's).
    const shown = r.stdout.split('\n').filter((l) => l.includes('marker'));
    assert.ok(shown.length >= 2, r.stdout);
    for (const line of shown) assert.ok(line.includes(`/each/${leaver.id} `), line);
  });

  it('a thrown error’s stack names the flow’s TypeScript file and lines, not the compiled bundle', async () => {
    const file = ws.copy('runtime/realm_stack.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const run = await ws.flow('RealmStackFlow').run(runIdOf(r.stdout));
    const failed = await run.step('fail').task();
    assert.equal(failed.status, 'failed');
    const { name, message, stack } = failed.exception!;
    assert.equal(name, 'TooLargeError');
    assert.equal(message, 'value 2 is too large');
    const frames = stack.split('\n').filter((l) => /^\s+at /.test(l));
    assert.match(frames[0], new RegExp(`realm_stack\\.ts:${lineOf(file, '// throw site')}:\\d+`), stack);
    assert.match(frames[1], new RegExp(`realm_stack\\.ts:${lineOf(file, '// call site')}:\\d+`), stack);
    assert.doesNotMatch(stack, /flow-[0-9a-f]{16}\.js/, 'no frame of the bundle');
  });

  it('current in a foreach task (a retried one included) says what the client says about that task', async () => {
    const file = ws.copy('runtime/realm_current.ts');
    const r = await ws.cli(['run', file, ...ONE_HOST, '--label', 'given', '--tag', 'realm-check']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const run = await ws.flow('RealmCurrentFlow').run(runIdOf(r.stdout));
    const tasks = await run.step('each').tasks();
    assert.equal(tasks.length, 3);
    assert.deepEqual(tasks.map((t) => t.currentAttempt).sort(), [0, 0, 1], 'one task was retried');
    for (const t of tasks) {
      assert.deepEqual(await t.data('cur'), {
        flowName: t.flowName,
        runId: t.runId,
        stepName: t.stepName,
        taskId: t.id,
        pathspec: t.pathspec,
        retryCount: t.currentAttempt,
        parameterNames: Object.keys(run.parameters),
        tags: run.tags,
        username: run.record.user,
        pass: t.pass ?? null,
      });
    }
    assert.deepEqual(Object.keys(run.parameters).sort(), ['label', 'size']);
    assert.deepEqual(run.tags, ['realm-check']);
  });
});
