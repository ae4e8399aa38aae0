/**
 * Every row of the conformance table (test/fixtures/CONFORMANCE.md, "flows/"), through the real
 * CLI, with the client API checked against what the console printed.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Workspace, runIdOf, taskLines } from '../support/workspace';
import { describeIsolations } from '../support/isolation';

describeIsolations('conformance flows through the CLI', function () {
  this.timeout(180_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('hello: three tasks, Hello World!, show lists the steps with docs', async () => {
    const file = ws.copy('flows/hello.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual(
      taskLines(r.stdout, 'hello').filter((l) => l.includes('Hello')),
      ['Hello World!'],
    );
    const run = await ws.flow('HelloWorldFlow').latestRun();
    assert.equal(run.id, runIdOf(r.stdout));
    assert.ok(run.successful);
    const steps = await run.steps();
    assert.deepEqual(
      steps.map((s) => s.name),
      ['start', 'hello', 'end'],
    );
    for (const s of steps) {
      const tasks = await s.tasks();
      assert.equal(tasks.length, 1);
      assert.ok(tasks[0].successful);
    }
    assert.match(await (await run.step('hello').task()).stdout, /^Hello World!$/m);
    const show = await ws.cli(['show', file]);
    assert.equal(show.code, 0);
    for (const text of ['start', 'hello', 'end', 'Starting point', 'Just saying hi', 'Finish line'])
      assert.ok(show.stdout.includes(text), text);
  });

  it('counter: count is 0, 1, 2 along the steps; dump shows it', async () => {
    const file = ws.copy('flows/counter.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(taskLines(r.stdout, 'add').includes('The count is 0 before incrementing'));
    const run = await ws.flow('CounterFlow').latestRun();
    for (const [step, count] of [
      ['start', 0],
      ['add', 1],
      ['end', 2],
    ] as const) {
      assert.equal(await (await run.step(step).task()).data('count'), count, step);
    }
    const end = await run.step('end').task();
    const dump = await ws.cli(['dump', `${run.id}/end/${end.id}`]);
    assert.equal(dump.code, 0, dump.stderr);
    // Like Metaflow's dump: each artifact's type and stored size, then its value.
    const size = end.artifactRecord('count')!.size;
    assert.match(dump.stdout, new RegExp(`^  count \\(number, ${size} B\\): 2$`, 'm'));
    const json = JSON.parse((await ws.cli(['dump', `CounterFlow/${run.id}/end/${end.id}`, '--json'])).stdout) as {
      artifacts: { count: number };
      artifactInfo: { count: { type: string; size: number } };
    };
    assert.equal(json.artifacts.count, 2);
    assert.deepEqual(json.artifactInfo.count, { type: 'number', size });
  });

  it('parameters: a missing required parameter is exit 2 naming --creature, and no run is written', async () => {
    const file = ws.copy('flows/parameters.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--creature/);
    assert.match(r.stderr, /required/);
    assert.deepEqual(await ws.flow('ParameterFlow').runIds(), []);
  });

  it('parameters: flags are typed', async () => {
    const file = ws.copy('flows/parameters.ts');
    const r = await ws.cli(['run', file, '--creature', 'seal', '--count', '10', '--ratio', '0.3']);
    assert.equal(r.code, 0, r.stderr);
    const lines = taskLines(r.stdout, 'start');
    assert.ok(lines.includes('seal is a string of 4 characters'), lines.join('\n'));
    assert.ok(lines.includes('Count is an integer: 10+1=11'));
    assert.ok(lines.includes('Ratio is a number whose value is 0.3'));
    const run = await ws.flow('ParameterFlow').latestRun();
    assert.deepEqual(run.parameters, { creature: 'seal', count: 10, ratio: 0.3 });
    assert.equal(await (await run.step('end').task()).data('animal'), 'seal');
  });

  it('parameters: the environment gives a value, a flag wins over it', async () => {
    const file = ws.copy('flows/parameters.ts');
    const env = { STEPWISE_RUN_CREATURE: 'dinosaur' };
    const a = await ws.cli(['run', file, '--ratio', '0.25'], env);
    assert.equal(a.code, 0, a.stderr);
    assert.ok(taskLines(a.stdout, 'start').includes('dinosaur is a string of 8 characters'));
    const b = await ws.cli(['run', file, '--ratio', '0.25', '--creature', 'otter'], env);
    assert.ok(taskLines(b.stdout, 'start').includes('otter is a string of 5 characters'));
  });

  it('parameters: a value of the wrong type is exit 2 naming --count and the type', async () => {
    const file = ws.copy('flows/parameters.ts');
    const r = await ws.cli(['run', file, '--creature', 'seal', '--count', 'ten']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--count expects a number/);
  });

  it('json parameter: default, flag, and bad JSON', async () => {
    const file = ws.copy('flows/json_parameter.ts');
    const a = await ws.cli(['run', file]);
    assert.ok(taskLines(a.stdout, 'start').includes('key some value default'), a.stdout);
    const b = await ws.cli(['run', file, '--mapping', '{"mykey": "myvalue"}']);
    assert.ok(taskLines(b.stdout, 'start').includes('key mykey value myvalue'));
    const c = await ws.cli(['run', file, '--mapping', '{nope']);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /--mapping expects JSON/);
  });

  it('csv file: rows printed, and the snapshot survives deleting the file', async () => {
    const file = ws.copy('flows/csv_file.ts');
    writeFileSync(`${ws.dir}/test.csv`, 'first,second,third\na,b,c');
    const r = await ws.cli(['run', file, '--csv', 'test.csv']);
    assert.equal(r.code, 0, r.stderr);
    const lines = taskLines(r.stdout, 'start');
    assert.ok(lines.includes('row 0: ["first","second","third"]'), lines.join('\n'));
    assert.ok(lines.includes('row 1: ["a","b","c"]'));
    rmSync(`${ws.dir}/test.csv`);
    const run = await ws.flow('CSVFileFlow').latestRun();
    assert.equal(await (await run.step('end').task()).data('data'), 'first,second,third\na,b,c');
  });

  it('counter branch: both branches, the join, the creature', async () => {
    const file = ws.copy('flows/counter_branch.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stderr);
    const join = taskLines(r.stdout, 'join');
    assert.ok(join.includes('count from addOne 1') && join.includes('count from addTwo 2'), join.join('\n'));
    const end = taskLines(r.stdout, 'end');
    assert.ok(end.includes('The creature is dog') && end.includes('The final count is 2'));
  });

  it('counter branch without the creature line: check warns, run fails in end naming it and the join', async () => {
    const file = ws.copy('flows/counter_branch.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^.*this\.creature = inputs\[0\]\.creature.*$/m, ''));
    const check = await ws.cli(['check', file]);
    assert.equal(check.code, 0, 'a warning is not an error');
    assert.match(check.stdout + check.stderr, /creature/);
    assert.match(check.stdout + check.stderr, /join/);
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Step failure: step end \(task \d+\) failed/);
    assert.match(r.stdout, /artifact 'creature' is not available in step 'end': the join 'join' neither assigned nor merged it/);
  });

  it('counter branch helper: mergeArtifacts keeps creature, leaves increment behind', async () => {
    const file = ws.copy('flows/counter_branch_helper.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stderr);
    const end = taskLines(r.stdout, 'end');
    assert.ok(end.includes('The creature is dog') && end.includes('The final count 2'), end.join('\n'));
    const run = await ws.flow('CounterBranchHelperFlow').latestRun();
    for (const step of ['join', 'end']) {
      const t = await run.step(step).task();
      assert.ok(!t.hasData('increment'), `${step} must not carry increment`);
      assert.equal(await t.data('creature'), 'dog');
    }
  });

  it('foreach: three tasks and the winner', async () => {
    const file = ws.copy('flows/foreach.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stderr);
    const analyzing = taskLines(r.stdout, 'analyzeCreatures')
      .filter((l) => l.startsWith('Analyzing'))
      .sort();
    assert.deepEqual(analyzing, ['Analyzing bird', 'Analyzing dog', 'Analyzing mouse']);
    assert.ok(taskLines(r.stdout, 'end').includes('mouse won!'));
    const run = await ws.flow('ForeachFlow').latestRun();
    const tasks = await run.step('analyzeCreatures').tasks();
    assert.equal(tasks.length, 3);
    assert.deepEqual(tasks.map((t) => t.foreachIndex).sort(), [0, 1, 2]);
  });

  it('wide foreach: 1000 splits exceed the default maximum before any multiply task', async () => {
    const file = ws.copy('flows/wide_foreach.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /1000 foreach tasks, more than the maximum of 100/);
    assert.match(r.stdout, /--max-num-splits/);
    const run = await ws.flow('WideForeachFlow').latestRun();
    assert.deepEqual(
      (await run.steps()).map((s) => s.name),
      ['start'],
    );
  });

  it('wide foreach: --max-num-splits 1000 --max-workers 2 sums correctly, never more than 2 tasks alive', async function () {
    this.timeout(600_000);
    const file = ws.copy('flows/wide_foreach.ts');
    const r = await ws.events(['run', file, '--max-num-splits', '1000', '--max-workers', '2'], {}, 590_000);
    assert.equal(r.code, 0, r.stderr);
    let alive = 0;
    let peak = 0;
    for (const e of r.events) {
      if (e.type === 'taskStarted') peak = Math.max(peak, ++alive);
      if (e.type === 'taskFinished' && !e.cloned) alive--;
    }
    assert.ok(peak <= 2, `peak ${peak} task processes`);
    assert.equal(peak, 2, 'two workers were used');
    const log = r.events.filter((e) => e.type === 'taskLog' && e.step === 'end').map((e) => (e as { line: string }).line);
    assert.deepEqual(log, ['Total sum is 499500000']);
    const run = await ws.flow('WideForeachFlow').latestRun();
    assert.equal((await run.step('multiply').taskIds()).length, 1000);
  });

  it('debug: b fails with the JSON.parse error at its TypeScript line; a succeeds', async () => {
    const file = ws.copy('flows/debug.ts');
    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('JSON.parse')) + 1;
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Step failure: step b \(task \d+\) failed/);
    assert.match(r.stdout, /SyntaxError: .*JSON/);
    assert.ok(r.stdout.includes(`debug.ts:${line}:`), `stack names debug.ts:${line}`);
    const run = await ws.flow('DebugFlow').latestRun();
    assert.equal(run.status, 'failed');
    assert.ok((await run.step('a').task()).successful);
    const b = await run.step('b').task();
    assert.equal(b.status, 'failed');
    assert.match(b.exception!.stack, new RegExp(`debug\\.ts:${line}:`));
  });

  describe('debug, fixed, resumed', () => {
    let file: string;
    let failedRunId: string;
    beforeEach(async () => {
      file = ws.copy('flows/debug.ts');
      const r = await ws.cli(['run', file]);
      assert.equal(r.code, 1);
      failedRunId = runIdOf(r.stdout);
      writeFileSync(file, readFileSync(file, 'utf8').replace("JSON.parse('2fail')", "JSON.parse('2')"));
    });

    it('resume: start and a are cloned without a process, b/join/end run, total is 3', async () => {
      const r = await ws.events(['resume', file]);
      assert.equal(r.code, 0, r.stderr);
      const cloned = r.events.filter((e) => e.type === 'taskFinished' && e.cloned).map((e) => (e as { step: string }).step);
      const started = r.events.filter((e) => e.type === 'taskStarted').map((e) => (e as { step: string }).step);
      assert.deepEqual(cloned.sort(), ['a', 'start']);
      assert.deepEqual(started, ['b', 'join', 'end']);
      const run = await ws.flow('DebugFlow').latestRun();
      assert.notEqual(run.id, failedRunId);
      assert.equal(run.originRunId, failedRunId);
      assert.equal(run.kind, 'resume');
      assert.match(await (await run.step('join').task()).stdout, /total is 3/);
      assert.equal((await run.step('a').task()).clonedFrom?.split('/')[1], failedRunId);
      const console = await ws.cli(['resume', file, '--origin-run-id', failedRunId]);
      assert.match(console.stdout, /Cloned from DebugFlow\/\d+\/start\/\d+ \(not executed\)/);
    });

    it('resume --origin-run-id ID start: every step runs again', async () => {
      const r = await ws.events(['resume', file, 'start', '--origin-run-id', failedRunId]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.events.filter((e) => e.type === 'taskFinished' && e.cloned).length, 0);
      assert.deepEqual(
        r.events
          .filter((e) => e.type === 'taskStarted')
          .map((e) => (e as { step: string }).step)
          .sort(),
        ['a', 'b', 'end', 'join', 'start'],
      );
    });

    it('resume end after the failed run starts at the failed step b', async () => {
      const r = await ws.events(['resume', file, 'end']);
      assert.equal(r.code, 0, r.stderr);
      const started = r.events.filter((e) => e.type === 'taskStarted').map((e) => (e as { step: string }).step);
      assert.equal(started[0], 'b');
      assert.deepEqual(started, ['b', 'join', 'end']);
    });

    it('resume refuses parameters: they come from the origin run', async () => {
      const r = await ws.cli(['resume', file, '--x', '3']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /keeps the parameters of the origin run/);
    });
  });

  it('classifier train then predict through the client API inside a step', async () => {
    const train = ws.copy('flows/classifier_train.ts');
    const t = await ws.cli(['run', train]);
    assert.equal(t.code, 0, t.stderr);
    const end = taskLines(t.stdout, 'end');
    assert.equal(end[0], 'Scores:');
    assert.equal(end[1], 'min-positive 1.000000');
    const predict = ws.copy('flows/classifier_predict.ts');
    const p = await ws.cli(['run', predict, '--vector', '[30]']);
    assert.equal(p.code, 0, p.stderr + p.stdout);
    const lines = taskLines(p.stdout, 'end');
    assert.ok(lines.includes('Model min-positive') && lines.includes('Predicted class 1'), lines.join('\n'));
    const trainRun = await ws.flow('ClassifierTrainFlow').latestRun();
    const predictRun = await ws.flow('ClassifierPredictFlow').latestRun();
    assert.equal(await (await predictRun.step('end').task()).data('trainRunId'), trainRun.pathspec);
  });
});
