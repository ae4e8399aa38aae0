/**
 * A task that runs out of memory: the run says so, with the heap limit that was reached and how
 * to raise it (@resources({ memoryMb })), instead of "killed by SIGABRT". Real tasks allocate past
 * a small real heap limit.
 */
import { strict as assert } from 'node:assert';
import { Workspace, runIdOf } from '../support/workspace';
import { describeIsolations } from '../support/isolation';

describeIsolations('a task that runs out of memory', function () {
  this.timeout(120_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('past its @resources({ memoryMb }) limit: "ran out of memory", the limit, and how to raise it; resume runs once it fits', async () => {
    const file = ws.copy('runtime/memory_hog.ts');
    const r = await ws.cli(['run', file], { HOG_IN: 'big' });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const summary = r.stdout.slice(r.stdout.indexOf('Step failure'));
    assert.match(summary, /step 'big' \(task \d+\) ran out of memory: .*limit \(64 MB, set by @resources\(\{ memoryMb: 64 \}\)\)/);
    assert.match(summary, /Raise it, e\.g\. @resources\(\{ memoryMb: \d+ \}\)/);
    assert.doesNotMatch(summary, /SIGABRT/);
    const task = await (await ws.flow('MemoryHogFlow').run(runIdOf(r.stdout))).step('big').task();
    assert.equal(task.status, 'failed');
    assert.equal(task.exception!.name, 'OutOfMemoryError');
    assert.match(task.exception!.message, /ran out of memory/);
    const resumed = await ws.cli(['resume', file]);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.match(resumed.stdout, /rows 3/);
  });

  it('a step without @resources: the limit given in NODE_OPTIONS is the one named', async () => {
    const r = await ws.cli(['run', ws.copy('runtime/memory_hog.ts')], { HOG_IN: 'start', NODE_OPTIONS: '--max-old-space-size=160' });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /step 'start' \(task 1\) ran out of memory: .*\(160 MB, set by NODE_OPTIONS\)\. Raise it, e\.g\. @resources\(\{ memoryMb: 320 \}\)/,
    );
  });
});
