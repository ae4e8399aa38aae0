/**
 * `--with slurm` against a real single-node Slurm (slurm-wlm + munge, started and stopped here)
 * and the S3 store on a real S3-protocol server (s3rver): the conformance flows as Slurm jobs, a
 * job cancelled mid-run then resumed on the "laptop", Ctrl-C cancelling the jobs, @resources in
 * `scontrol show job`, jobs Slurm ends (time limit, node failure, preemption) retried by @retry,
 * --max-workers bounding the jobs in flight, and the placement checks.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flow } from '../../runtime/src/client';
import type { RunEvent } from '../../runtime/src/scheduler/events';
import { until, withEnv } from '../datastore/suite';
import { cliPath, runCli, type CliResult } from '../support/cli';
import { TestS3Server, TEST_BUCKET } from '../support/s3server';
import { SlurmCluster } from '../support/slurmCluster';
import { submitJob } from '../../runtime/src/scheduler/launchers/slurmSubmit';
import { Workspace, runIdOf, taskLines } from '../support/workspace';

describe('tasks on a real Slurm cluster (--with slurm, S3 store)', function () {
  this.timeout(300_000);
  let cluster: SlurmCluster;
  let server: TestS3Server;
  let ws: Workspace;
  let sysroot: string;
  let restore: () => void;

  before(async function () {
    this.timeout(180_000);
    cluster = await SlurmCluster.start({ ghostNode: true });
    server = await TestS3Server.start();
    restore = withEnv({ ...server.env(), ...cluster.env });
  });
  after(async () => {
    restore?.();
    await server?.stop();
    await cluster?.stop();
  });
  beforeEach(() => {
    ws = new Workspace();
    sysroot = `s3://${TEST_BUCKET}/${randomBytes(4).toString('hex')}`;
  });
  afterEach(() => ws.dispose());

  /** The runner's environment: the S3 store, and a separate cache for the "nodes". */
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...server.env(),
    ...cluster.env,
    STEPWISE_DATASTORE: 's3',
    STEPWISE_DATASTORE_SYSROOT_S3: sysroot,
    STEPWISE_DATASTORE_CACHE: join(ws.dir, 'cache-laptop'),
    STEPWISE_SLURM_CACHE: join(ws.dir, 'cache-node'),
    ...extra,
  });
  const cli = (args: string[], extra?: NodeJS.ProcessEnv): Promise<CliResult> => runCli(args, { cwd: ws.dir, env: env(extra) });
  const flow = (name: string) => Flow(name, { datastore: { type: 's3', sysroot, cacheDir: join(ws.dir, 'cache-test') } });
  const jobsOf = (stdout: string) => [...stdout.matchAll(/Task is starting \((?:retry \d+, )?Slurm job (\d+)\)/g)].map((m) => m[1]);

  it('conformance flows run as Slurm jobs: hello, counter, branches and a join, foreach, parameters', async () => {
    const cases: Array<[string, string[], string, string]> = [
      ['flows/hello.ts', [], 'hello', 'Hello World!'],
      ['flows/counter.ts', [], 'end', 'The final count is 2'],
      ['flows/counter_branch.ts', [], 'end', 'The final count is 2'],
      ['flows/foreach.ts', [], 'end', 'mouse won!'],
      ['flows/parameters.ts', ['--creature', 'seal', '--count', '10', '--ratio', '0.3'], 'start', 'Count is an integer: 10+1=11'],
    ];
    for (const [fixture, args, step, line] of cases) {
      const r = await cli(['run', ws.copy(fixture), '--with', 'slurm', ...args]);
      assert.equal(r.code, 0, `${fixture}\n${r.stdout}${r.stderr}`);
      assert.ok(taskLines(r.stdout, step).includes(line), `${fixture}: ${line}\n${r.stdout}`);
      const jobs = jobsOf(r.stdout);
      const tasks = (r.stdout.match(/Task is starting/g) ?? []).length;
      assert.ok(tasks >= 2 && jobs.length === tasks, `${fixture}: every task is a Slurm job\n${r.stdout}`);
      for (const id of jobs) {
        const job = cluster.showJob(id);
        assert.equal(job.JobState, 'COMPLETED', `${fixture}: job ${id}`);
        assert.match(job.JobName, /^stepwise-/);
      }
    }
    // The tasks' output reached the datastore (written on the node, read here).
    const run = await flow('HelloWorldFlow').latestRun();
    assert.match(await (await run.step('hello').task()).stdout, /Hello World!/);
  });

  it("a job cancelled mid-run fails its task with Slurm's reason; resume on the laptop (no Slurm) runs the failed step", async () => {
    const file = ws.copy('runtime/gated.ts');
    const gate = join(ws.dir, 'gate');
    const running = cli(['run', file, '--with', 'slurm'], { GATE: gate });
    const jobId = await until("the wait step's job to run", async () => {
      const t = await (await flow('GatedFlow').latestRun()).step('wait').task();
      if (t.finished || !(await t.stdout).includes('before the gate')) return undefined;
      return cluster.runningJob('stepwise-GatedFlow-wait');
    });
    cluster.scancel(jobId);
    const r = await running;
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`Slurm job ${jobId} was cancelled`));
    const origin = await flow('GatedFlow').latestRun();
    assert.equal(origin.status, 'failed');
    const wait = await origin.step('wait').task();
    assert.match(wait.exception?.message ?? '', new RegExp(`Slurm job ${jobId} was cancelled`));
    // Debugged locally: the same store, no --with slurm; the failed step runs here.
    writeFileSync(gate, 'open');
    const resumed = await cli(['resume', file, '--origin-run-id', origin.id], {
      GATE: gate,
      STEPWISE_DATASTORE_CACHE: join(ws.dir, 'cache-other-laptop'),
    });
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.ok(taskLines(resumed.stdout, 'wait').includes('after the gate from start'));
    assert.deepEqual(jobsOf(resumed.stdout), [], 'the resume ran no Slurm job');
    const run = await flow('GatedFlow').latestRun();
    assert.equal((await run.step('start').task()).clonedFrom, `GatedFlow/${origin.id}/start/1`);
  });

  it('Ctrl-C of the runner cancels its jobs (scancel) and records the run killed', async () => {
    const file = ws.copy('runtime/gated.ts');
    const child = spawn(process.execPath, [cliPath, 'run', file, '--with', 'slurm'], {
      cwd: ws.dir,
      env: { ...process.env, ...env({ GATE: join(ws.dir, 'never') }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const jobId = await until("the wait step's job to run", async () => cluster.runningJob('stepwise-GatedFlow-wait'));
    child.kill('SIGINT');
    assert.equal(await exited, 1, out);
    await until('the job to be cancelled', async () => (cluster.showJob(jobId).JobState === 'CANCELLED' ? true : undefined), 30_000);
    const run = await flow('GatedFlow').latestRun();
    assert.equal(run.status, 'killed');
    assert.equal((await run.step('wait').task()).status, 'killed');
  });

  it('@slurm on one step: only it is a Slurm job, its @resources visible in scontrol show job; --with slurm puts every step there', async () => {
    const file = ws.copy('runtime/placed.ts');
    const mixed = await cli(['run', file]);
    assert.equal(mixed.code, 0, mixed.stdout + mixed.stderr);
    const [heavyJob] = jobsOf(mixed.stdout);
    assert.equal(jobsOf(mixed.stdout).length, 1, `only heavy is a job\n${mixed.stdout}`);
    assert.ok(taskLines(mixed.stdout, 'heavy').includes(`heavy in job ${heavyJob}`), mixed.stdout);
    assert.ok(taskLines(mixed.stdout, 'end').includes(`end in a local process after a local process, job ${heavyJob}`), mixed.stdout);
    const job = cluster.showJob(heavyJob);
    assert.equal(job.NumCPUs, '2');
    assert.match(job.TRES, /cpu=2,mem=300M/);

    const all = await cli(['run', file, '--with', 'slurm']);
    assert.equal(all.code, 0, all.stdout + all.stderr);
    const jobs = jobsOf(all.stdout);
    assert.equal(jobs.length, 3, all.stdout);
    const start = /start in job (\d+)/.exec(all.stdout)![1];
    assert.equal(cluster.showJob(start).NumCPUs, '1', 'a step without @resources asks for the defaults');
  });

  it('@retry applies to a task whose Slurm job was cancelled: the next attempt is a new job', async () => {
    const file = ws.copy('runtime/gated.ts');
    const gate = join(ws.dir, 'gate');
    const running = cli(['run', file, '--with', 'slurm', '--with', 'retry:times=1,minutesBetweenRetries=0'], { GATE: gate });
    const first = await until("the wait step's job to run", async () => cluster.runningJob('stepwise-GatedFlow-wait'));
    cluster.scancel(first);
    await until('the job to be cancelled', async () => (cluster.showJob(first).JobState === 'CANCELLED' ? true : undefined), 30_000);
    writeFileSync(gate, 'open');
    const r = await running;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`Attempt 1 of 2 failed: Slurm job ${first} was cancelled[^\\n]*Retrying \\(attempt 2 of 2\\)`));
    const retryJob = /Task is starting \(retry 1, Slurm job (\d+)\)/.exec(r.stdout)?.[1];
    assert.ok(retryJob && retryJob !== first, r.stdout);
    const wait = await (await flow('GatedFlow').latestRun()).step('wait').task();
    assert.equal(wait.status, 'succeeded');
    assert.equal(wait.currentAttempt, 1);
  });

  /**
   * A job Slurm itself ends: `end` does to the first attempt's job what the cluster would; the
   * attempt fails with `reason` (in the console and its attempt record), and `@retry` runs the
   * next attempt as a new job, which gets past the gate the test opens once that job runs.
   */
  async function endedBySlurm(o: {
    withSlurm: string;
    end: (jobId: string) => void;
    state: string;
    reason: (jobId: string) => string;
    /** What the administrator does once the job has ended (e.g. bring the node back). */
    recover?: () => void;
    withinMs?: number;
  }): Promise<void> {
    const file = ws.copy('runtime/gated.ts');
    const gate = join(ws.dir, 'gate');
    const name = 'stepwise-GatedFlow-wait';
    const running = cli(['run', file, '--with', o.withSlurm, '--with', 'retry:times=1,minutesBetweenRetries=0'], { GATE: gate });
    const first = await until("the wait step's job to run", async () => cluster.runningJob(name));
    o.end(first);
    await until(`job ${first} to end ${o.state}`, async () => (cluster.showJob(first).JobState === o.state ? true : undefined), o.withinMs);
    o.recover?.();
    // The next attempt runs only once this one's processes are gone: then it may pass the gate.
    await until('the next attempt to run as a new job', async () =>
      cluster.jobsNamed(name).find((j) => j.id !== first && j.state === 'RUNNING'),
    );
    writeFileSync(gate, 'open');
    const r = await running;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const reason = o.reason(first);
    assert.ok(r.stdout.includes(`Attempt 1 of 2 failed: ${reason}. Retrying (attempt 2 of 2)`), `${reason}\n${r.stdout}`);
    const wait = await (await flow('GatedFlow').latestRun()).step('wait').task();
    assert.equal(wait.status, 'succeeded');
    assert.equal(wait.currentAttempt, 1);
    const [failed, retried] = await wait.attempts();
    assert.equal(failed.status, 'failed');
    assert.equal(failed.exception?.name, 'TaskDied');
    assert.equal(failed.exception?.message, reason);
    assert.equal(retried.status, 'succeeded');
  }

  it("Slurm's time limit (the partition's) ends a job: TIMEOUT is the attempt's failure, @retry runs it again", async () => {
    await endedBySlurm({
      withSlurm: 'slurm:partition=short',
      end: () => undefined, // the `short` partition's 1-minute limit; Slurm checks it every 30 s
      state: 'TIMEOUT',
      reason: (id) => `Slurm job ${id} reached its time limit of 1:00 (partition short)`,
      withinMs: 150_000,
    });
  });

  it('a node failure ends a job: NODE_FAIL (with the node) is the failure, @retry runs it again once the node is back', async () => {
    try {
      await endedBySlurm({
        withSlurm: 'slurm',
        end: () => cluster.downNode('stepwise test: node lost'),
        state: 'NODE_FAIL',
        recover: () => cluster.resumeNode(),
        reason: (id) => `Slurm job ${id} lost its node ${cluster.host} (node failure: NodeDown)`,
      });
    } finally {
      cluster.resumeNode();
    }
  });

  it('preemption ends a job: a higher-priority job takes the node, PREEMPTED is the failure, @retry runs it again', async () => {
    await endedBySlurm({
      withSlurm: 'slurm',
      end: () => cluster.sbatch(['--partition=urgent', '--exclusive', '--job-name=urgent', '--output=/dev/null', '--wrap=sleep 2']),
      state: 'PREEMPTED',
      reason: (id) => `Slurm job ${id} was preempted by a higher-priority job (partition debug)`,
    });
  });

  it('a controller too busy to answer: sbatch that timed out is tried again, and the job it submitted is adopted, never doubled', async () => {
    const token = `stepwise:test/busy:${randomBytes(4).toString('hex')}`;
    const args = ['--parsable', '--job-name=stepwise-busy', '--output=/dev/null', `--chdir=${ws.dir}`];
    const failures: string[] = [];
    cluster.pauseController();
    let submitted: Promise<string>;
    try {
      submitted = submitJob(args, '#!/bin/sh\ntrue\n', { ...process.env, ...cluster.env }, token, (e) => failures.push(e));
      await until('sbatch to give up on the paused controller', async () => (failures.length ? true : undefined), 120_000);
    } finally {
      cluster.continueController();
    }
    const jobId = await submitted;
    assert.match(failures[0], /timed out/i);
    assert.deepEqual(
      cluster.jobsNamed('stepwise-busy').map((j) => j.id),
      [jobId],
      'one job for one submission',
    );
    assert.equal(cluster.showJob(jobId).Comment, token);
  });

  it('--max-workers bounds the Slurm jobs in flight', async () => {
    const r = await cli(['run', ws.copy('runtime/slow_foreach.ts'), '--with', 'slurm', '--max-workers', '2', '--json-events'], {
      SLOW_MS: '1500',
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    let inFlight = 0;
    let most = 0;
    for (const line of r.stdout.split('\n').filter((l) => l.startsWith('{'))) {
      const e = JSON.parse(line) as RunEvent;
      if (e.type === 'taskStarted') most = Math.max(most, ++inFlight);
      if (e.type === 'taskFinished' && !e.cloned) inFlight--;
    }
    assert.equal(most, 2);
  });

  it('placement: a local datastore on a partition with other nodes is a clear error; an unknown partition too', async () => {
    const file = ws.copy('flows/hello.ts');
    const local = await cli(['run', file, '--with', 'slurm', '--slurm-partition', 'wide', '--datastore', 'local']);
    assert.equal(local.code, 2, local.stdout + local.stderr);
    assert.match(local.stderr, /@slurm tasks may run on stepwise-ghost, which cannot read the local datastore .*--datastore s3/);
    const named = await cli(['run', file, '--with', 'slurm:partition=wide', '--datastore', 'local']);
    assert.equal(named.code, 2, named.stdout + named.stderr);
    assert.match(named.stderr, /@slurm tasks may run on stepwise-ghost/);
    const bad = await cli(['run', file, '--with', 'slurm'], { STEPWISE_SLURM_PARTITION: 'nosuch' });
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /Slurm has no partition 'nosuch'\. Partitions: debug, short, urgent, wide; choose one with --slurm-partition/);
    const unknown = await cli(['run', file, '--with', 'kubernetes']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--with kubernetes: no step decorator 'kubernetes'\. Known: .*slurm/);
    const lone = await cli(['run', file, '--slurm-partition', 'debug']);
    assert.equal(lone.code, 2);
    assert.match(lone.stderr, /--slurm-partition debug needs --with slurm \(or @slurm on a step\)/);
    // On this node alone (the default partition), the local store works: the node sees the folder.
    const ok = await cli(['run', file, '--with', 'slurm', '--datastore', 'local']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.ok(jobsOf(ok.stdout).length === 3);
    assert.ok(runIdOf(ok.stdout));
  });
});
