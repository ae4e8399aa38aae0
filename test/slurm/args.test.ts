/** What the Slurm launcher asks of Slurm, as pure functions: resources, sbatch options, the job script, job ends. */
import { strict as assert } from 'node:assert';
import { parseWithOption } from '../../runtime/src/run/withOption';
import { jobScript, sbatchArgs, slurmResourceArgs, slurmTimeArgs } from '../../runtime/src/scheduler/launchers/slurm';
import { describeJobEnd } from '../../runtime/src/scheduler/launchers/slurmJobs';
import type { TaskSpec } from '../../runtime/src/task/spec';

const spec: TaskSpec = {
  datastore: { type: 's3', sysroot: 's3://bkt/p', cacheDir: '/c' },
  flow: 'F',
  runId: '1',
  step: 'train',
  taskId: '3',
  bundle: '/b.js',
  codeHash: 'abc',
  reads: [],
  flowFile: "/it's/flow.ts",
  parents: [],
  stack: [],
  isJoin: false,
  inspector: false,
  attempt: 0,
  retries: 0,
  decorators: {},
  slurm: {},
};

describe('Slurm launcher: what it asks of Slurm', () => {
  it('@resources: cpu → --cpus-per-task, memoryMb → --mem, gpu → --gres=gpu:N; unset asks nothing', () => {
    assert.deepEqual(slurmResourceArgs({ cpu: 4, memoryMb: 16000, gpu: 2 }), ['--cpus-per-task=4', '--mem=16000M', '--gres=gpu:2']);
    assert.deepEqual(slurmResourceArgs({ cpu: 0.5 }), ['--cpus-per-task=1']);
    assert.deepEqual(slurmResourceArgs({ gpu: 0 }), []);
    assert.deepEqual(slurmResourceArgs(undefined), []);
  });

  it('sbatch options: partition, resources, exported environment, the job name', () => {
    const args = sbatchArgs({ ...spec, resources: { gpu: 1 } }, 'gpu-queue');
    assert.ok(args.includes('--parsable'));
    assert.ok(args.includes('--partition=gpu-queue'));
    assert.ok(args.includes('--gres=gpu:1'));
    assert.ok(args.includes('--export=ALL'));
    assert.ok(args.includes('--job-name=stepwise-F-train'));
    assert.ok(!sbatchArgs(spec, undefined).some((a) => a.startsWith('--partition')));
    // @retry is Stepwise's: Slurm must not run an attempt again after a node failure or preemption.
    assert.ok(args.includes('--no-requeue'));
  });

  it("@timeout becomes the job's --time in whole minutes, one more than the timeout (the runner's timer ends it first)", () => {
    assert.deepEqual(slurmTimeArgs(undefined), []);
    assert.deepEqual(slurmTimeArgs(30), ['--time=2']);
    assert.deepEqual(slurmTimeArgs(60), ['--time=2']);
    assert.deepEqual(slurmTimeArgs(61), ['--time=3']);
    assert.ok(sbatchArgs({ ...spec, timeoutSeconds: 3600 }, undefined).includes('--time=61'));
    assert.ok(!sbatchArgs(spec, undefined).some((a) => a.startsWith('--time')), "no @timeout: the partition's DefaultTime");
  });

  it('--with slurm is one of the step decorators --with adds: a partition option, checked like the others', () => {
    assert.deepEqual(parseWithOption('slurm'), { name: 'slurm', options: {} });
    assert.deepEqual(parseWithOption('slurm:partition=gpu-a.1'), { name: 'slurm', options: { partition: 'gpu-a.1' } });
    assert.throws(() => parseWithOption('slurm:partition=a;rm'), /--with slurm:partition=a;rm: @slurm's partition must be a Slurm name/);
    assert.throws(() => parseWithOption('slurm:queue=x'), /@slurm has no option 'queue'\. Its options: partition\./);
    assert.throws(
      () => parseWithOption('kubernetes'),
      /no step decorator 'kubernetes'\. Known: retry, catchFailure, timeout, resources, slurm/,
    );
  });

  it('the job script runs the task wrapper with the spec on stdin, quoting paths for the shell', () => {
    const script = jobScript(spec, "/opt/no'de/bin/node", '/opt/stepwise/dist/task.js');
    const lines = script.split('\n');
    assert.equal(lines[0], '#!/bin/sh');
    assert.equal(lines[2], `exec '/opt/no'\\''de/bin/node' '/opt/stepwise/dist/task.js' --stepwise-task-remote <<'STEPWISE_TASK_SPEC'`);
    assert.deepEqual(JSON.parse(lines[3]), spec);
    assert.equal(lines[4], 'STEPWISE_TASK_SPEC');
  });

  it("the job script starts the run's copy of the runtime, or the installation's on a node that cannot see the copy", () => {
    const copy = '/home/u/.stepwise/.cache/runtime/abc/dist/task.js';
    const lines = jobScript(spec, '/usr/bin/node', copy, '/opt/stepwise/dist/task.js').split('\n');
    assert.deepEqual(lines.slice(2, 5), [
      `entry='${copy}'`,
      `[ -r "$entry" ] || entry='/opt/stepwise/dist/task.js'`,
      `exec '/usr/bin/node' "$entry" --stepwise-task-remote <<'STEPWISE_TASK_SPEC'`,
    ]);
    assert.deepEqual(JSON.parse(lines[5]), spec);
  });

  it("a job Slurm ended is described by Slurm's state and reason", () => {
    assert.equal(describeJobEnd('12', { state: 'TIMEOUT', reason: 'None' }), 'Slurm job 12 reached its time limit');
    assert.equal(
      describeJobEnd('12', { state: 'TIMEOUT', reason: 'TimeLimit', partition: 'short', timeLimit: '1:00' }),
      'Slurm job 12 reached its time limit of 1:00 (partition short)',
    );
    assert.equal(describeJobEnd('12', { state: 'NODE_FAIL', reason: 'NodeDown' }), 'Slurm job 12 lost its node (node failure: NodeDown)');
    assert.equal(
      describeJobEnd('12', { state: 'NODE_FAIL', reason: 'NodeDown', nodes: 'n07' }),
      'Slurm job 12 lost its node n07 (node failure: NodeDown)',
    );
    assert.equal(describeJobEnd('12', { state: 'PREEMPTED', reason: '' }), 'Slurm job 12 was preempted by a higher-priority job');
    assert.equal(
      describeJobEnd('12', { state: 'PREEMPTED', reason: 'None', partition: 'debug' }),
      'Slurm job 12 was preempted by a higher-priority job (partition debug)',
    );
    assert.equal(describeJobEnd('12', { state: 'CANCELLED', reason: 'None' }), 'Slurm job 12 was cancelled (scancel, or an administrator)');
    assert.equal(describeJobEnd('12', { state: 'OUT_OF_MEMORY', reason: '' }), 'Slurm job 12 ran out of memory');
    assert.equal(describeJobEnd('12', { state: 'WEIRD', reason: '' }), 'Slurm job 12 ended WEIRD');
  });
});
