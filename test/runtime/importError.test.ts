/**
 * An error thrown while the flow file is imported (its top-level code) is the task's failure,
 * recorded with its TypeScript location like a step's error: the run summary and `dump` say
 * what was thrown and where, not only that the process exited.
 */
import { strict as assert } from 'node:assert';
import { Workspace, runIdOf } from '../support/workspace';

describe('an error thrown while the flow file is imported', function () {
  this.timeout(120_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('is recorded in the task with its TypeScript location; the summary and dump show it; resume runs once it is fixed', async () => {
    const file = ws.copy('runtime/import_error.ts');
    const r = await ws.cli(['run', file], { LIMIT: 'many' });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const runId = runIdOf(r.stdout);
    const where = /import_error\.ts:6:\d+/;
    assert.doesNotMatch(r.stdout, /before recording a result/);
    const summary = r.stdout.slice(r.stdout.indexOf('Step failure'));
    assert.match(summary, /RangeError: LIMIT must be a number, got "many"/);
    assert.match(summary, where);
    assert.doesNotMatch(summary, /node:internal|dist\/task\.js/, "only the flow's own frames");

    const task = await (await ws.flow('ImportErrorFlow').run(runId)).step('start').task();
    assert.equal(task.status, 'failed');
    assert.equal(task.exception!.name, 'RangeError');
    assert.equal(task.exception!.message, 'LIMIT must be a number, got "many"');
    assert.match(task.exception!.stack, where);

    const dump = await ws.cli(['dump', `${runId}/start/1`]);
    assert.match(dump.stdout, /RangeError: LIMIT must be a number/);
    assert.match(dump.stdout, where);

    const resumed = await ws.cli(['resume', file], { LIMIT: '7' });
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.match(resumed.stdout, /limit 7/);
  });
});
