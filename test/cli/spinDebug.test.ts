/**
 * `stepwise spin --debug`: like `node --inspect-brk`, the spun task waits under the V8 inspector
 * for a debugger and the CLI prints its inspector URL. A debugger attaching over the inspector
 * protocol (a WebSocket to that URL) lets it go; the spin then finishes as a plain spin would.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Flow } from '../../runtime/src/client';
import { CdpClient } from '../dap/cdp';
import { scratch } from '../dap/workspace';
import { cliPath, runCli } from '../support/cli';

describe('stepwise spin --debug', function () {
  this.timeout(120_000);
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('waits for a debugger at the printed inspector URL, and finishes once one attaches and lets it run', async () => {
    dir = scratch('foreach.ts');
    const first = await runCli(['run', 'foreach.ts'], { cwd: dir });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const root = join(dir, '.stepwise');
    const origin = await Flow('ForeachFlow', { root }).latestRun();
    const mouse = (await origin.step('analyzeCreatures').tasks()).find((t) => t.foreachIndex === 1)!;

    const child = spawn(process.execPath, [cliPath, 'spin', '--debug', 'foreach.ts', `${origin.id}/analyzeCreatures/${mouse.id}`], {
      cwd: dir,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const m = /is waiting for a debugger: (ws:\/\/\S+)/.exec(stderr);
        if (m) resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`spin --debug exited (${code}) without waiting:\n${stdout}${stderr}`)));
    });
    assert.match(stderr, /Debug: Attach to Node Process/);
    assert.match(stderr, new RegExp(`Task ForeachFlow/\\d+/analyzeCreatures/\\d+ is waiting`));

    // A debugger: the task is held at its first line (--inspect-brk) until it is let go.
    const cdp = await CdpClient.connect(url);
    let paused = 0;
    cdp.on('Debugger.paused', () => {
      paused++;
      void cdp.send('Debugger.resume').catch(() => undefined);
    });
    await cdp.send('Debugger.enable');
    await cdp.send('Runtime.runIfWaitingForDebugger');
    assert.equal(await exited, 0, stdout + stderr);
    await cdp.closed;
    assert.ok(paused >= 1, 'the task was held for the debugger');

    // Otherwise a plain spin: a run of its own, tagged spin, the task's own item.
    assert.match(stdout, /Analyzing mouse/);
    const spin = (await Flow('ForeachFlow', { root }).runs({ includeSpins: true })).find((r) => r.kind === 'spin')!;
    assert.ok(spin.tags.includes('spin'));
    assert.equal(await (await spin.step('analyzeCreatures').task()).data('creature'), 'mouse');
    assert.equal((await Flow('ForeachFlow', { root }).latestRun()).id, origin.id, 'the origin run is untouched');
  });

  it('without --debug, spin starts no inspector', async () => {
    dir = scratch('counter.ts');
    assert.equal((await runCli(['run', 'counter.ts'], { cwd: dir })).code, 0);
    const origin = await Flow('CounterFlow', { root: join(dir, '.stepwise') }).latestRun();
    const add = await origin.step('add').task();
    const r = await runCli(['spin', 'counter.ts', `${origin.id}/add/${add.id}`], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /waiting for a debugger|Debugger listening/);
  });
});
