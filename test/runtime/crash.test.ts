/**
 * Crash safety: a runner or a task killed at a bad moment leaves a readable store, the run is
 * reported as killed/failed, and `resume` completes it. Also damaged files in the datastore.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exited, startUntil } from '../support/background';
import { isAlive } from '../support/process';
import { Workspace, runIdOf } from '../support/workspace';
import { describeIsolations } from '../support/isolation';

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 200 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(!isAlive(pid), `process ${pid} is still alive`);
}

describeIsolations('crash safety', function () {
  this.timeout(180_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('SIGKILL of the runner mid-run: the store stays readable, the run reads as killed, resume completes it', async () => {
    const file = ws.copy('runtime/slow_foreach.ts');
    const { child, match } = await startUntil(
      ws,
      ['run', file, '--max-workers', '2'],
      /\[(\d+)\/work\/\d+ \(pid \d+\)\] Task is starting\./,
      { SLOW_MS: '3000' },
    );
    const runId = match[1];
    child.kill('SIGKILL');
    await exited(child);
    const run = await ws.flow('SlowForeachFlow').run(runId);
    assert.equal(run.status, 'killed');
    assert.match(run.state.reason!, /runner process .* died/);
    assert.equal(await (await run.step('start').task()).data<number[]>('items').then((x) => x.length), 4);
    const listed = await ws.cli(['runs', 'SlowForeachFlow', '--json']);
    assert.equal((JSON.parse(listed.stdout) as Array<{ status: string }>)[0].status, 'killed');
    const resumed = await ws.cli(['resume', file], { SLOW_MS: '10' });
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.match(resumed.stdout, /Cloned from SlowForeachFlow\/\d+\/start\/1/);
    assert.match(resumed.stdout, /total 20/);
  });

  it('SIGKILL of a task: the task is recorded as failed, the run fails, resume completes it', async () => {
    const file = ws.copy('runtime/slow_foreach.ts');
    const { child, match } = await startUntil(
      ws,
      ['run', file, '--max-workers', '1'],
      /\[(\d+)\/work\/(\d+) \(pid (\d+)\)\] Task is starting\./,
      { SLOW_MS: '4000' },
    );
    process.kill(Number(match[3]), 'SIGKILL');
    const code = await exited(child);
    assert.equal(code, 1);
    const run = await ws.flow('SlowForeachFlow').run(match[1]);
    assert.equal(run.status, 'failed');
    const task = await run.step('work').task(match[2]);
    assert.equal(task.status, 'failed');
    assert.match(task.exception!.message, /killed by SIGKILL/);
    const resumed = await ws.cli(['resume', file], { SLOW_MS: '10' });
    assert.equal(resumed.code, 0, resumed.stdout);
    assert.match(resumed.stdout, /total 20/);
  });

  it('Ctrl-C (SIGINT) kills the task processes and marks the run killed', async () => {
    const file = ws.copy('runtime/slow_foreach.ts');
    const { child, match } = await startUntil(
      ws,
      ['run', file, '--max-workers', '2'],
      /\[(\d+)\/work\/\d+ \(pid (\d+)\)\] Task is starting\./,
      { SLOW_MS: '20000' },
    );
    child.kill('SIGINT');
    const code = await exited(child);
    assert.equal(code, 1);
    await waitGone(Number(match[2]));
    const run = await ws.flow('SlowForeachFlow').run(match[1]);
    assert.equal(run.status, 'killed');
    const tasks = await run.step('work').tasks();
    assert.ok(tasks.length >= 1 && tasks.every((t) => t.status === 'killed'), tasks.map((t) => t.status).join());
  });
});

describe('damaged datastore files', function () {
  this.timeout(120_000);
  let ws: Workspace;
  let runId: string;
  beforeEach(async () => {
    ws = new Workspace();
    const r = await ws.cli(['run', ws.copy('flows/counter.ts')]);
    runId = /run-id (\d+)/.exec(r.stdout)![1];
  });
  afterEach(() => ws.dispose());

  it('a damaged blob: dump names the file and the fix; other tasks still read', async () => {
    const data = join(ws.root, 'CounterFlow', 'data');
    for (const d of readdirSync(data)) for (const f of readdirSync(join(data, d))) writeFileSync(join(data, d, f), 'garbage');
    const r = await ws.cli(['dump', `${runId}/end/3`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /damaged artifact file .*CounterFlow\/data\//);
    const logs = await ws.cli(['logs', `${runId}/add/2`]);
    assert.equal(logs.code, 0);
    assert.match(logs.stdout, /The count is 0/);
  });

  it('a damaged task record: the client reports that task as damaged, naming the file; the rest of the run reads', async () => {
    writeFileSync(join(ws.root, 'CounterFlow', 'runs', runId, 'add', '2', 'task.json'), '{ half');
    const run = await ws.flow('CounterFlow').run(runId);
    const [add] = await run.step('add').tasks();
    assert.match(add.damaged!, /damaged datastore file .*add\/2\/task\.json/);
    assert.equal(await (await run.step('end').task()).data('count'), 2);
    const r = await ws.cli(['dump', `${runId}/add/2`]);
    assert.match(r.stdout + r.stderr, /task\.json/);
  });
});

describe('dump of a step with damaged tasks among others', function () {
  this.timeout(120_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('shows every readable task, marks the damaged ones, names the damaged files on stderr, exits 2', async () => {
    const r = await ws.cli(['run', ws.copy('runtime/slow_foreach.ts')], { SLOW_MS: '10' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const runId = runIdOf(r.stdout);
    const work = join(ws.root, 'SlowForeachFlow', 'runs', runId, 'work');
    // Task ids follow scheduling: pick the tasks by their foreach position.
    const byIndex = new Map<number, { id: string; hash: string }>();
    for (const id of readdirSync(work)) {
      const rec = JSON.parse(readFileSync(join(work, id, 'task.json'), 'utf8')) as {
        foreachIndex: number;
        artifacts: Record<string, { hash: string }>;
      };
      byIndex.set(rec.foreachIndex, { id, hash: rec.artifacts.doubled.hash });
    }
    const recordFile = join(work, byIndex.get(1)!.id, 'task.json');
    writeFileSync(recordFile, '{ half');
    const blob = byIndex.get(2)!.hash;
    const blobFile = join(ws.root, 'SlowForeachFlow', 'data', blob.slice(0, 2), blob);
    writeFileSync(blobFile, 'garbage');

    const d = await ws.cli(['dump', `${runId}/work`]);
    assert.equal(d.code, 2, d.stdout + d.stderr);
    const block = (i: number) => d.stdout.split('\n\n').find((b) => b.startsWith(`SlowForeachFlow/${runId}/work/${byIndex.get(i)!.id} `))!;
    assert.match(block(0), /\(succeeded\)\n\s+doubled \(number, [^)]*\): 2\n/);
    assert.match(block(3), /\(succeeded\)\n\s+doubled \(number, [^)]*\): 8\n/);
    assert.match(block(1), /DAMAGED\)\n\s+damaged: damaged datastore file .*task\.json/);
    assert.match(block(2), /\(succeeded, DAMAGED\)/);
    assert.match(block(2), /doubled \(number, [^)]*\): <damaged: damaged artifact file/);
    assert.match(block(2), /items \(Array\(4\), [^)]*\): \[ 1, 2, 3, 4 \]/, "the damaged task's other artifacts still show");
    assert.ok(d.stderr.includes(recordFile), d.stderr);
    assert.ok(d.stderr.includes(blobFile), d.stderr);

    const j = await ws.cli(['dump', `${runId}/work`, '--json']);
    assert.equal(j.code, 2);
    const tasks = JSON.parse(j.stdout) as Array<{ pathspec: string; damaged?: string[]; artifacts: Record<string, unknown> }>;
    assert.equal(tasks.length, 4);
    const of = (i: number) => tasks.find((t) => t.pathspec.endsWith(`/work/${byIndex.get(i)!.id}`))!;
    assert.equal(of(0).artifacts.doubled, 2);
    assert.equal(of(0).damaged, undefined);
    assert.equal(of(1).damaged!.length, 1);
    assert.match(String((of(2).artifacts.doubled as { $damaged: string }).$damaged), /damaged artifact file/);
  });
});

describe('a task folder a killed runner left without its start record', function () {
  this.timeout(120_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  // The kill loop (chaos.test.ts) found it: a runner killed between making a task's folder and
  // renaming its start.json into it left a folder that dump called "a half-written task", exit 2.
  it('reads as a task that never started (killed), not as damaged: dump shows the step, exit 0; resume completes', async () => {
    const file = ws.copy('runtime/slow_foreach.ts');
    const { child, match } = await startUntil(
      ws,
      ['run', file, '--max-workers', '1'],
      /\[(\d+)\/work\/\d+ \(pid \d+\)\] Task is starting/,
      {
        SLOW_MS: '60000',
      },
    );
    const runId = match[1];
    child.kill('SIGKILL');
    await exited(child);
    // What the runner leaves when killed at that moment: the folder, and the temporary file not yet renamed.
    const left = join(ws.root, 'SlowForeachFlow', 'runs', runId, 'work', '99');
    mkdirSync(left);
    writeFileSync(join(left, 'start.json.123.abcd.tmp'), '{"half');

    const d = await ws.cli(['dump', `${runId}/work`]);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    assert.match(d.stdout, new RegExp(`SlowForeachFlow/${runId}/work/99 \\(killed\\)`));
    const task = await (await ws.flow('SlowForeachFlow').run(runId)).step('work').task('99');
    assert.equal(task.status, 'killed');
    assert.equal(task.damaged, undefined);
    const resumed = await ws.cli(['resume', file, '--origin-run-id', runId], { SLOW_MS: '10' });
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.match(resumed.stdout, /total 20/);
  });
});
