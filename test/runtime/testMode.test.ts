/**
 * Test mode: a Parameter's default may be a function of the run's context, called once when the
 * run starts (in a child process, before the run exists) and stored like any default. Through
 * the real CLI and read back with the client API: what each place gives, a flag overriding it,
 * resume keeping the origin's value, reading the flow never calling it, and a function that
 * throws or returns the wrong type stopping the run with a message naming the parameter.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace, runIdOf, taskLines } from '../support/workspace';

describe('test mode: function defaults of the run context', function () {
  this.timeout(180_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  async function run(file: string, args: string[], user = 'alice') {
    const r = await ws.cli(['run', file, ...args], { STEPWISE_USER: user });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    return { r, run: await ws.flow('TestModeFlow').run(runIdOf(r.stdout)) };
  }

  it('computes the defaults from the branch, stores them as the run parameters, and a flag wins', async () => {
    const file = ws.copy('runtime/production/testMode.ts');
    const mine = await run(file, []);
    assert.deepEqual(mine.run.parameters, {
      'test-mode': true,
      context: { flowName: 'TestModeFlow', user: 'alice', projectName: 'demo_project', branchName: 'user.alice', isProduction: false },
      where: 'computed on user.alice',
      rows: 10,
    });
    const start = await (await mine.run.step('start').task()).data('sample');
    assert.equal(start, 10);
    assert.deepEqual(taskLines(mine.r.stdout, 'end'), ['test mode true, 10 rows']);

    const prod = await run(file, ['--production']);
    assert.equal(prod.run.parameters['test-mode'], false);
    assert.equal(prod.run.parameters.rows, 1000);
    assert.deepEqual((prod.run.parameters.context as Record<string, unknown>).branchName, 'prod');
    assert.equal((prod.run.parameters.context as Record<string, unknown>).isProduction, true);
    assert.deepEqual(taskLines(prod.r.stdout, 'end'), ['test mode false, 2000 rows']);

    // A flag is a value like any other: the function is not needed for that parameter.
    const full = await run(file, ['--test-mode', 'false', '--branch', 'trial']);
    assert.equal(full.run.parameters['test-mode'], false);
    assert.equal(full.run.parameters.where, 'computed on test.trial');
    assert.deepEqual(taskLines(full.r.stdout, 'end'), ['test mode false, 20 rows']);

    // `stepwise runs` reads them from the run's record, like any default.
    const listed = await ws.cli(['runs', 'TestModeFlow', '--json']);
    const rec = (JSON.parse(listed.stdout) as Array<{ runId: string; parameters: unknown }>).find((x) => x.runId === mine.run.id);
    assert.deepEqual(rec?.parameters, mine.run.parameters);
  });

  it('resume keeps the origin value even when the resumed run is on another branch', async () => {
    const file = ws.copy('runtime/production/testMode.ts');
    const prod = await run(file, ['--production']);
    const resumed = await ws.cli(['resume', file, 'start', '--origin-run-id', prod.run.id], { STEPWISE_USER: 'bob' });
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    const again = await ws.flow('TestModeFlow').run(runIdOf(resumed.stdout));
    assert.equal(again.project?.branch, 'user.bob');
    assert.equal(again.parameters['test-mode'], false);
    assert.equal(again.parameters.rows, 1000);
    assert.deepEqual(taskLines(resumed.stdout, 'end'), ['test mode false, 2000 rows']);
  });

  it('show and check read the flow without calling the function; a failing one stops the run before it exists', async () => {
    const file = ws.copy('runtime/production/defaultThrows.ts');
    const show = await ws.cli(['show', file]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /--limit \(number, default computed at run start: \(ctx\) => \{/);
    const check = await ws.cli(['check', file]);
    assert.equal(check.code, 0, check.stdout + check.stderr);

    const threw = await ws.cli(['run', file], { STEPWISE_USER: 'carol' });
    assert.equal(threw.code, 2, threw.stdout + threw.stderr);
    assert.match(
      threw.stderr,
      /the default of --limit \(a function of the run's context\) threw RangeError: no limit configured for carol/,
    );
    assert.match(threw.stderr, /defaultThrows\.ts:\d+/, 'the stack points into the flow file');
    assert.ok(
      !existsSync(join(ws.root, 'DefaultThrowsFlow')) || readdirSync(join(ws.root, 'DefaultThrowsFlow')).every((d) => !/^\d+$/.test(d)),
    );

    const wrong = await ws.cli(['run', file, '--limit', '3']);
    assert.equal(wrong.code, 2, wrong.stdout + wrong.stderr);
    assert.match(
      wrong.stderr,
      /the default of --label \(a function of the run's context\) returned 1 \(a number\), but --label is a String parameter: return a string, or declare the type/,
    );
    assert.equal((await ws.flow('DefaultThrowsFlow').runs()).length, 0);

    const given = await ws.cli(['run', file, '--limit', '3', '--label', 'x']);
    assert.equal(given.code, 0, given.stdout + given.stderr);
    assert.deepEqual(taskLines(given.stdout, 'end'), ['limit 3 x']);
  });
});
