/**
 * Telling a finished run from a dead one (datastore/liveness.ts): a runner writes its end record
 * and then exits, so a reader that found no end record and then finds the process gone must look
 * for the end record once more before it calls the run killed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { settledRunState } from '../../runtime/src/datastore/liveness';
import type { RunEndRecord, RunRecord } from '../../runtime/src/datastore/types';

/** A pid that was a real process and has exited (reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  assert.ok(r.pid);
  return r.pid;
}

function runOf(pid: number): RunRecord {
  return { runner: { pid, host: hostname() } } as RunRecord;
}

const END: RunEndRecord = { status: 'succeeded', finishedAt: new Date().toISOString() };

describe('run state: a runner that finished between the two reads is not taken for dead', () => {
  it('no end record at first, runner gone, end record there on the second read: succeeded', async () => {
    let reads = 0;
    const { end, state } = await settledRunState(runOf(deadPid()), undefined, async () => (reads++, END));
    assert.equal(reads, 1);
    assert.equal(end, END);
    assert.equal(state.status, 'succeeded');
  });

  it('no end record on either read, runner gone: killed, with how to resume', async () => {
    const pid = deadPid();
    const { state } = await settledRunState(runOf(pid), undefined, async () => undefined);
    assert.equal(state.status, 'killed');
    assert.match(state.reason ?? '', new RegExp(`pid ${pid}.*stepwise resume`));
  });

  it('runner alive: running, without reading again', async () => {
    let reads = 0;
    const { state } = await settledRunState(runOf(process.pid), undefined, async () => (reads++, END));
    assert.equal(state.status, 'running');
    assert.equal(reads, 0);
  });

  it('an end record read first is the state, whatever the process', async () => {
    const failed: RunEndRecord = { status: 'failed', finishedAt: END.finishedAt, reason: 'step a failed' };
    const { state } = await settledRunState(runOf(deadPid()), failed, async () => END);
    assert.deepEqual(state, { status: 'failed', reason: 'step a failed' });
  });
});
