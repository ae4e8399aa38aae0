/**
 * Run and resume arguments (issue 11): only a Boolean parameter may be a bare flag, a repeated
 * flag is an error naming both values, and resume's default origin is the latest finished run.
 */
import { strict as assert } from 'node:assert';
import { exited, startUntil } from '../support/background';
import { Workspace, runIdOf, taskLines } from '../support/workspace';

describe('parameter flags', function () {
  this.timeout(120_000);
  let ws: Workspace;
  let file: string;
  before(() => {
    ws = new Workspace();
    file = ws.copy('runtime/flags.ts');
  });
  after(() => ws.dispose());

  it('a String parameter given as a bare flag is an error naming it (it used to run with "true")', async () => {
    const r = await ws.cli(['run', file, '--name']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /--name needs a value: it is a String parameter, and only Boolean parameters can be given as a bare flag/);
    const between = await ws.cli(['run', file, '--count', '--verbose']);
    assert.equal(between.code, 2);
    assert.match(between.stderr, /--count needs a value: it is a Number parameter/);
  });

  it('a repeated parameter flag is an error naming both values (it used to keep the last)', async () => {
    const r = await ws.cli(['run', file, '--name', 'a', '--name=b']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /--name was given 2 times \(--name 'a', --name 'b'\), but it takes one value: no parameter of this flow is a list/,
    );
    assert.match(r.stderr, /type: JSONType/);
    const opt = await ws.cli(['run', file, '--max-workers', '1', '--max-workers', '2']);
    assert.equal(opt.code, 2);
    assert.match(opt.stderr, /--max-workers was given twice \('1', then '2'\)/);
  });

  it('a Boolean parameter may be bare or take a value; --tag repeats', async () => {
    const bare = await ws.cli(['run', file, '--verbose', '--name', 'x', '--tag', 'a', '--tag', 'b']);
    assert.equal(bare.code, 0, bare.stdout + bare.stderr);
    assert.deepEqual(taskLines(bare.stdout, 'start'), ['verbose=true name=x count=undefined']);
    assert.deepEqual((await ws.flow('FlagsFlow').latestRun()).tags, ['a', 'b']);
    const off = await ws.cli(['run', file, '--verbose', 'false', '--count=3']);
    assert.equal(off.code, 0, off.stdout + off.stderr);
    assert.deepEqual(taskLines(off.stdout, 'start'), ['verbose=false name=world count=3']);
  });
});

describe('resume: the default origin', function () {
  this.timeout(120_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('is the latest finished run, not one still running; a running origin named explicitly is an error', async () => {
    const file = ws.copy('runtime/slow_foreach.ts');
    const first = await ws.cli(['run', file], { SLOW_MS: '10' });
    assert.equal(first.code, 0, first.stdout);
    const finished = runIdOf(first.stdout);
    const live = await startUntil(ws, ['run', file, '--max-workers', '1'], /\[(\d+)\/work\/\d+ \(pid \d+\)\] Task is starting\./, {
      SLOW_MS: '60000',
    });
    try {
      const running = live.match[1];
      const resumed = await ws.cli(['resume', file, 'join'], { SLOW_MS: '10' });
      assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
      assert.match(resumed.stdout, new RegExp(`resuming SlowForeachFlow/${finished}\\b`));
      assert.match(resumed.stdout, /total 20/);
      const explicit = await ws.cli(['resume', file, '--origin-run-id', running]);
      assert.equal(explicit.code, 2, explicit.stdout + explicit.stderr);
      assert.match(explicit.stderr, new RegExp(`run SlowForeachFlow/${running} is still running \\(runner pid ${live.child.pid} `));
    } finally {
      live.child.kill('SIGINT');
      await exited(live.child);
    }
  });
});
