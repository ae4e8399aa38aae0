/**
 * Production decorators through the real CLI: @retry (attempts, their records and logs, a retried
 * foreach task, `--with retry`, resume after a retried failure), @catchFailure, @timeout, and all
 * three stacked. Each flow runs as real task processes; the client API reads what they stored.
 */
import { strict as assert } from 'node:assert';
import type { RunEvent } from '../../runtime/src/scheduler/events';
import { Workspace, runIdOf, taskLines } from '../support/workspace';

/** What a step's tasks printed, from --json-events. */
function printed(events: RunEvent[], step: string): string[] {
  return events.flatMap((e) => (e.type === 'taskLog' && e.step === step && e.stream === 'stdout' ? [e.line] : []));
}

describe('production decorators: @retry, @catchFailure, @timeout', function () {
  this.timeout(180_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('@retry re-runs a failed attempt in a new process under the same task id; each attempt keeps its record and logs', async () => {
    const file = ws.copy('runtime/production/retry.ts');
    const r = await ws.events(['run', file]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const failed = r.events.filter((e) => e.type === 'attemptFailed');
    const flakyFails = failed.filter((e) => e.type === 'attemptFailed' && e.step === 'flaky');
    assert.deepEqual(
      flakyFails.map((e) => e.type === 'attemptFailed' && [e.attempt, e.then, e.attempts, e.exception.name]),
      [
        [0, 'retry', 3, 'RangeError'],
        [1, 'retry', 3, 'RangeError'],
      ],
    );
    const starts = r.events.filter((e) => e.type === 'taskStarted' && e.step === 'flaky');
    assert.equal(new Set(starts.map((e) => e.type === 'taskStarted' && e.taskId)).size, 1, 'same task id for every attempt');
    assert.equal(new Set(starts.map((e) => e.type === 'taskStarted' && e.pid)).size, 3, 'a new process per attempt');

    const run = await ws.flow('RetryFlow').latestRun();
    assert.equal(run.status, 'succeeded');
    const flaky = await run.step('flaky').task();
    assert.equal(flaky.currentAttempt, 2);
    assert.equal(await flaky.data('attemptsSeen'), 2, 'current.retryCount inside the step');
    const attempts = await flaky.attempts();
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.status, a.exception?.message]),
      [
        [0, 'failed', 'flaky failure 0'],
        [1, 'failed', 'flaky failure 1'],
        [2, 'succeeded', undefined],
      ],
    );
    assert.match(await flaky.log('stdout', 0), /^flaky attempt 0\n$/);
    assert.match(await flaky.log('stdout', 1), /^flaky attempt 1\n$/);
    assert.match(await flaky.stdout, /^flaky attempt 2\n$/, 'stdout is the last attempt');
    assert.match(await flaky.log('stderr', 0), /RangeError: flaky failure 0/);

    // The retried foreach task: b failed once, then succeeded with retryCount 1, after the pause.
    assert.ok(printed(r.events, 'end').includes('seen a@0 b@1 c@0 attemptsSeen 2'), r.stdout);
    const perItem = await run.step('perItem').tasks();
    const b = perItem.find((t) => t.foreachIndex === 1)!;
    assert.equal(b.currentAttempt, 1);
    const [first, second] = await b.attempts();
    assert.equal(first.status, 'failed');
    const pauseMs = second.startedAt.getTime() - first.finishedAt!.getTime();
    assert.ok(pauseMs >= 550, `minutesBetweenRetries 0.01 waits ~600 ms before the retry (waited ${pauseMs} ms)`);
    const bFail = failed.find((e) => e.type === 'attemptFailed' && e.step === 'perItem');
    assert.ok(bFail && bFail.type === 'attemptFailed' && bFail.delayMs === 600);

    // The CLI reads any attempt's log.
    const logs = await ws.cli(['logs', flaky.pathspec, '--stdout', '--attempt', '1']);
    assert.equal(logs.stdout, 'flaky attempt 1\n');
    const tooFar = await ws.cli(['logs', flaky.pathspec, '--attempt', '5']);
    assert.equal(tooFar.code, 2);
    assert.match(tooFar.stderr, /attempts 0 to 2; there is no attempt 5/);
  });

  it('a task that fails every attempt fails with its last attempt; resume clones only tasks whose final attempt succeeded', async () => {
    const file = ws.copy('runtime/production/retry.ts');
    const bad = await ws.cli(['run', file], { DOOM: '1' });
    assert.equal(bad.code, 1, bad.stdout);
    assert.match(bad.stdout, /Attempt 1 of 2 failed: doomed attempt 0\. Retrying \(attempt 2 of 2\)\./);
    const origin = await ws.flow('RetryFlow').latestRun();
    const doomed = await origin.step('doomed').task();
    assert.equal(doomed.status, 'failed');
    assert.equal(doomed.currentAttempt, 1);
    assert.equal(doomed.exception?.message, 'doomed attempt 1', "the task's status is its last attempt's");

    const r = await ws.events(['resume', file]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const cloned = r.events.filter((e) => e.type === 'taskFinished' && e.cloned).map((e) => e.type === 'taskFinished' && e.step);
    assert.deepEqual([...new Set(cloned)].sort(), ['flaky', 'join', 'perItem', 'start']);
    assert.ok(!r.events.some((e) => e.type === 'taskStarted' && e.step === 'flaky'), 'flaky (succeeded on its last attempt) is not re-run');
    const run = await ws.flow('RetryFlow').latestRun();
    assert.notEqual(run.id, origin.id);
    const again = await run.step('doomed').task();
    assert.equal(again.status, 'succeeded');
    assert.equal(again.currentAttempt, 0);
    assert.match(await (await run.step('flaky').task()).stdout, /flaky attempt 2/, 'a clone keeps the last attempt’s output');
  });

  it('@catchFailure: the task succeeds, the flow goes on, var holds { type, message, stack }, the step’s assignments are not kept', async () => {
    const file = ws.copy('runtime/production/catching.ts');
    const r = await ws.events(['run', file]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const end = printed(r.events, 'end');
    assert.ok(end.includes('kept 1 partial undefined failure TypeError: no such thing'), r.stdout);
    assert.ok(end.includes('fine null'), 'var is null when the step succeeded');

    const run = await ws.flow('CatchingFlow').latestRun();
    const risky = await run.step('risky').task();
    assert.equal(risky.status, 'succeeded');
    assert.equal(risky.caught?.type, 'TypeError');
    assert.equal(risky.caught?.var, 'failure');
    assert.equal(risky.exception, undefined);
    const failure = await risky.data<{ type: string; message: string; stack: string }>('failure');
    assert.equal(failure.type, 'TypeError');
    assert.equal(failure.message, 'no such thing');
    assert.match(failure.stack, /catching\.ts:\d+/, 'the TypeScript stack');
    assert.ok(!risky.hasData('partial'));
    assert.equal(await risky.data('kept'), 1);
    assert.doesNotMatch(await risky.stderr, /@catchFailure caught/, 'printException: false');
    const finished = r.events.find((e) => e.type === 'taskFinished' && e.step === 'risky');
    assert.ok(finished?.type === 'taskFinished' && finished.caught?.message === 'no such thing');
  });

  it('@timeout kills the attempt; stacked with @retry and @catchFailure the timeouts are retried, then caught', async () => {
    const file = ws.copy('runtime/production/catching.ts');
    const r = await ws.events(['run', file]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(
      printed(r.events, 'end').includes("hang TimeoutError: step 'hang' (task 3) timed out after 2 s (@timeout): the attempt was killed"),
      r.stdout,
    );
    const fails = r.events.filter((e) => e.type === 'attemptFailed' && e.step === 'hang');
    assert.deepEqual(
      fails.map((e) => e.type === 'attemptFailed' && [e.attempt, e.then, e.exception.name]),
      [
        [0, 'retry', 'TimeoutError'],
        [1, 'fallback', 'TimeoutError'],
      ],
    );
    const hang = await (await ws.flow('CatchingFlow').latestRun()).step('hang').task();
    assert.equal(hang.status, 'succeeded');
    assert.equal(hang.caught?.attempt, 1, 'the attempt that failed last');
    const attempts = await hang.attempts();
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.status, a.exception?.name]),
      [
        [0, 'failed', 'TimeoutError'],
        [1, 'failed', 'TimeoutError'],
        [2, 'succeeded', undefined],
      ],
    );
    assert.ok(attempts[0].durationMs! < 30_000, 'killed well before the step would have ended');
  });

  it('@timeout alone fails the task with "timed out after N s"; --with retry adds @retry to steps that have none', async () => {
    const file = ws.copy('runtime/production/plain.ts');
    const hung = await ws.cli(['run', file], { HANG: '1' });
    assert.equal(hung.code, 1, hung.stdout);
    assert.match(hung.stdout, /timed out after 1 s/);
    const slow = await (await ws.flow('PlainFlow').latestRun()).step('slow').task();
    assert.equal(slow.exception?.name, 'TimeoutError');

    const without = await ws.cli(['run', file], { FAIL_FIRST: '1' });
    assert.equal(without.code, 1, 'no retry without --with');
    const withRetry = await ws.cli(['run', file, '--with', 'retry:minutesBetweenRetries=0'], { FAIL_FIRST: '1' });
    assert.equal(withRetry.code, 0, withRetry.stdout + withRetry.stderr);
    assert.ok(taskLines(withRetry.stdout, 'end').includes('tries 1'));
    const run = await ws.flow('PlainFlow').run(runIdOf(withRetry.stdout));
    assert.deepEqual(run.record.with, ['retry:minutesBetweenRetries=0']);

    const typo = await ws.cli(['run', file, '--with', 'retry:tims=2']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /@retry has no option 'tims'\. Its options: times, minutesBetweenRetries\./);
    const unknown = await ws.cli(['run', file, '--with', 'retri']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no step decorator 'retri'/);
  });
});
