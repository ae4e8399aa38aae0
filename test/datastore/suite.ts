/**
 * One suite for every datastore: run, resume, client reads, concurrent runs from two "machines",
 * logs followed while a task runs, large artifacts. `local.test.ts` and `s3.test.ts` run it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flow, type ClientOptions } from '../../runtime/src/client';
import { runCli, type CliResult } from '../support/cli';
import { Workspace, runIdOf, taskLines } from '../support/workspace';

export type Machine = 'a' | 'b';

export interface StoreUnderTest {
  /** The environment of a `stepwise` command on one machine (a remote store: its own cache). */
  env(machine: Machine): NodeJS.ProcessEnv;
  /** How this process's client API reads the store. */
  client: ClientOptions;
}

/** Polls `probe` until it returns something (a readiness signal read from the store), or fails naming `what`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sets variables in this process (the client API reads the store in-process); returns the undo. */
export function withEnv(vars: NodeJS.ProcessEnv): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

export function datastoreSuite(title: string, open: (ws: Workspace) => StoreUnderTest): void {
  describe(title, function () {
    this.timeout(180_000);
    let ws: Workspace;
    let store: StoreUnderTest;
    const cli = (args: string[], machine: Machine = 'a', env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
      runCli(args, { cwd: ws.dir, env: { ...store.env(machine), ...env } });
    const flow = (name: string) => Flow(name, store.client);
    beforeEach(() => {
      ws = new Workspace();
      store = open(ws);
    });
    afterEach(() => ws.dispose());

    it('run, then read it back: client API, runs, dump and logs agree with the console', async () => {
      const file = ws.copy('flows/counter.ts');
      const r = await cli(['run', file]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(taskLines(r.stdout, 'add').includes('The count is 0 before incrementing'));
      const run = await flow('CounterFlow').latestRun();
      assert.equal(run.id, runIdOf(r.stdout));
      assert.ok(run.successful);
      assert.deepEqual(
        (await run.steps()).map((s) => s.name),
        ['start', 'add', 'end'],
      );
      for (const [step, count] of [
        ['start', 0],
        ['add', 1],
        ['end', 2],
      ] as const) {
        assert.equal(await (await run.step(step).task()).data('count'), count, step);
      }
      const add = await run.step('add').task();
      assert.match(await add.stdout, /The count is 0 before incrementing/);
      // The other machine reads the same run through the CLI.
      const runs = await cli(['runs', 'CounterFlow', '--json'], 'b');
      assert.equal(runs.code, 0, runs.stderr);
      assert.deepEqual(
        (JSON.parse(runs.stdout) as Array<{ runId: string; status: string }>).map((x) => [x.runId, x.status]),
        [[run.id, 'succeeded']],
      );
      const dump = await cli(['dump', `${run.id}/end/${(await run.step('end').task()).id}`], 'b');
      assert.equal(dump.code, 0, dump.stderr);
      assert.match(dump.stdout, /^  count \(number, \d+ B\): 2$/m);
      const logs = await cli(['logs', `CounterFlow/${run.id}/add`, '--stdout'], 'b');
      assert.equal(logs.code, 0, logs.stderr);
      assert.match(logs.stdout, /The count is 0 before incrementing/);
    });

    it('resume on another machine: clones the successful tasks by reference, runs the failed step with the fixed code', async () => {
      const file = ws.copy('flows/debug.ts');
      const failed = await cli(['run', file]);
      assert.equal(failed.code, 1, failed.stdout + failed.stderr);
      const origin = await flow('DebugFlow').latestRun();
      writeFileSync(file, readFileSync(file, 'utf8').replace("JSON.parse('2fail')", "JSON.parse('2')"));
      const r = await cli(['resume', file, '--origin-run-id', origin.id], 'b');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(taskLines(r.stdout, 'join').includes('total is 3'));
      const resumed = await flow('DebugFlow').latestRun();
      assert.notEqual(resumed.id, origin.id);
      assert.equal(resumed.originRunId, origin.id);
      const a = await resumed.step('a').task();
      const originA = await origin.step('a').task();
      assert.equal(a.clonedFrom, originA.pathspec);
      assert.equal(a.artifactRecord('x')?.hash, originA.artifactRecord('x')?.hash, 'cloned by reference: the same blob');
      assert.equal((await resumed.step('b').task()).clonedFrom, undefined);
      assert.equal(await (await resumed.step('b').task()).data('x'), 2);
    });

    it('a resumed step on another machine reads an artifact the static graph does not show it reading', async () => {
      const file = ws.copy('runtime/hidden_read.ts');
      const failed = await cli(['run', file], 'a', { FAIL_USE: '1' });
      assert.equal(failed.code, 1, failed.stdout + failed.stderr);
      const r = await cli(['resume', file], 'b');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(taskLines(r.stdout, 'use').includes('payload length 400000 last 399999'), r.stdout);
      assert.ok((await (await flow('HiddenReadFlow').latestRun()).step('start').task()).clonedFrom);
    });

    it('concurrent runs from two machines get distinct run ids, and all succeed', async () => {
      const file = ws.copy('flows/hello.ts');
      const results = await Promise.all(['a', 'b', 'a', 'b'].map((m) => cli(['run', file], m as Machine)));
      for (const r of results) assert.equal(r.code, 0, r.stdout + r.stderr);
      const ids = results.map((r) => runIdOf(r.stdout));
      assert.equal(new Set(ids).size, ids.length, `run ids collide: ${ids.join(', ')}`);
      const listed = (await flow('HelloWorldFlow').runs()).map((r) => r.id);
      assert.deepEqual([...listed].sort(), [...ids].sort());
      for (const run of await flow('HelloWorldFlow').runs()) assert.ok(run.successful, `${run.pathspec} ${run.status}`);
    });

    it('follows the log of a running task through the store, to the end', async () => {
      const file = ws.copy('runtime/gated.ts');
      const gate = join(ws.dir, 'gate');
      const running = cli(['run', file], 'a', { GATE: gate });
      const task = await until('the wait task to start', async () => {
        const run = await flow('GatedFlow').latestRun();
        const t = await run.step('wait').task();
        return t.finished ? undefined : t;
      });
      const follower = cli(['logs', task.pathspec, '--follow'], 'b');
      // The first line arrives while the task still waits at the gate.
      await until('the first line through the store', async () => ((await task.stdout).includes('before the gate') ? true : undefined));
      writeFileSync(gate, 'open');
      const [run, followed] = await Promise.all([running, follower]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(followed.code, 0, followed.stderr);
      assert.match(followed.stdout, /before the gate\n(.|\n)*after the gate from start/);
      assert.match(followed.stderr, /a line on stderr/);
    });

    it('a large artifact round-trips (stored in parts by a remote store), and unread artifacts pass by reference', async () => {
      const file = ws.copy('runtime/gated.ts');
      const r = await cli(['run', file], 'a', { BIG_MB: '24' });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(taskLines(r.stdout, 'end').includes(`big has ${(24 * 1024 * 1024) / 8} values, sum ${sumOf(24)}`), r.stdout);
      const run = await flow('GatedFlow').latestRun();
      const start = await run.step('start').task();
      const wait = await run.step('wait').task();
      assert.equal(wait.artifactRecord('big')?.hash, start.artifactRecord('big')?.hash);
      const big = await start.data<Float64Array>('big');
      assert.equal(big.length, (24 * 1024 * 1024) / 8);
      assert.equal(big[1999], bigValue(1999));
      assert.ok(start.artifactRecord('big')!.size > 24 * 1024 * 1024, 'serialised at full size');
    });
  });
}

/** The fixture's value at index i (test/fixtures/runtime/gated.ts has the same formula). */
function bigValue(i: number): number {
  return ((i * 2654435761) % 4294967296) / 4294967296;
}

/** The sum the flow prints, computed the same way. */
function sumOf(mb: number): number {
  let sum = 0;
  for (let i = 0; i < (mb * 1024 * 1024) / 8; i++) sum += bigValue(i);
  return sum;
}
