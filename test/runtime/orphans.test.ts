/**
 * A runner that dies (SIGKILL, a closed terminal) takes its task processes with it: none runs on
 * 2 s later, even one busy in a loop that never yields, and none records a result into the run
 * that already reads as killed.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allGone, exited, startUntil } from '../support/background';
import { Workspace } from '../support/workspace';
import { describeIsolations } from '../support/isolation';

const STARTED = /\[(\d+)\/stuck\/(\d+) \(pid (\d+)\)\] stuck begins/;

/** The argv of a live process (the task's spec is in it). */
function argvOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
}

describeIsolations('a dead runner takes its tasks with it', function () {
  this.timeout(180_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  for (const busy of [true, false]) {
    it(`SIGKILL of the runner: a task ${busy ? 'in a busy loop' : 'waiting on a timer'} exits within 2 s and records nothing`, async () => {
      const file = ws.copy('runtime/stuck.ts');
      const { child, match } = await startUntil(ws, ['run', file], STARTED, { BUSY: busy ? '1' : '0' });
      const [, runId, taskId, pid] = match;
      child.kill('SIGKILL');
      await exited(child);
      await allGone([Number(pid)], 2000);
      const run = await ws.flow('StuckFlow').run(runId);
      assert.equal(run.status, 'killed');
      assert.ok(!existsSync(join(ws.root, 'StuckFlow', 'runs', runId, 'stuck', taskId, 'task.json')), 'the task recorded a result');
    });
  }

  it('SIGHUP (a closed terminal) stops the run like Ctrl-C: tasks killed, the run recorded as killed by SIGHUP', async () => {
    const file = ws.copy('runtime/stuck.ts');
    const { child, match } = await startUntil(ws, ['run', file], STARTED, { BUSY: '1' });
    const [, runId, taskId, pid] = match;
    child.kill('SIGHUP');
    assert.equal(await exited(child), 1);
    await allGone([Number(pid)], 2000);
    const run = await ws.flow('StuckFlow').run(runId);
    assert.equal(run.status, 'killed');
    // Recorded by the runner itself (an end record), not inferred from its absence.
    assert.match(run.state.reason ?? '', /interrupted by SIGHUP/);
    assert.equal((await run.step('stuck').task(taskId)).status, 'killed');
  });
});

// A task process started again by its own command line: nothing a thread has.
describe('a dead runner takes its tasks with it: a task started again by hand', function () {
  this.timeout(180_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('a task of a dead runner that reaches its end never writes its DONE record', async () => {
    const file = ws.copy('runtime/stuck.ts');
    // Every task process started when needed, its spec in its command line (not on a spare's stdin).
    const { child, match } = await startUntil(ws, ['run', file], STARTED, { WAIT_MS: '60000', STEPWISE_TASK_SPARES: '0' });
    const [, runId, taskId, pid] = match;
    // The same task process again, by its own command line, once its runner is dead: the step
    // finishes at once this time (the watchdog cannot have heard of this process).
    const argv = argvOf(Number(pid));
    child.kill('SIGKILL');
    await exited(child);
    await allGone([Number(pid)], 2000);
    const again = spawn(argv[0], argv.slice(1), {
      cwd: ws.dir,
      env: { ...process.env, STEPWISE_DATASTORE_ROOT: ws.root, WAIT_MS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    again.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    again.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    assert.equal(await exited(again), 1, out);
    assert.match(out, /the runner \(pid \d+\) is gone; not recording this task's result/);
    assert.ok(!existsSync(join(ws.root, 'StuckFlow', 'runs', runId, 'stuck', taskId, 'task.json')), 'the task recorded a result');
    assert.equal((await ws.flow('StuckFlow').run(runId)).status, 'killed');
  });
});
