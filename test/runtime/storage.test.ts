/**
 * A datastore that cannot be written (issue 11): read-only (EROFS), full (ENOSPC), forbidden
 * (EACCES). Each is one message naming the path and the fix, exit 2, never "internal error";
 * what is already stored is untouched and still reads.
 *
 * Real file systems, not mocks: a read-only bind mount and a small tmpfs in a private mount
 * namespace (test/support/mounts.ts), and the CLI run as user `nobody`. Root ignores file modes,
 * so a chmod could not stand in for either.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MountNamespace, cliAs, mountUnavailable, nobodyUnavailable, openToOthers, snapshot } from '../support/mounts';
import { Workspace, runIdOf } from '../support/workspace';

describe('a datastore that cannot be written', function () {
  this.timeout(120_000);
  let ws: Workspace;
  let file: string;
  let runId: string;
  let ns: MountNamespace | undefined;
  beforeEach(async () => {
    ws = new Workspace();
    file = ws.copy('flows/counter.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    runId = runIdOf(r.stdout);
  });
  afterEach(() => {
    ns?.dispose();
    ns = undefined;
    ws.dispose();
  });

  describe('read-only (a read-only bind mount)', function () {
    before(function () {
      const why = mountUnavailable();
      if (why) {
        console.log(`    skipped: ${why}`);
        this.skip();
      }
    });

    it('run is one message naming the folder and EROFS, exit 2; runs, dump and logs still read it', async () => {
      const before = snapshot(ws.root);
      ns = await MountNamespace.create(`mount --bind '${ws.root}' '${ws.root}' && mount -o remount,bind,ro '${ws.root}'`);
      const env = { STEPWISE_DATASTORE_ROOT: ws.root };
      const r = await ns.cli(['run', file], ws.dir, env);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.doesNotMatch(r.stderr, /internal error/);
      assert.match(
        r.stderr,
        new RegExp(
          `^stepwise run: cannot create the folder ${ws.root}/CounterFlow/runs/\\d+: the file system is read-only \\(EROFS\\)\\. .*STEPWISE_DATASTORE_ROOT`,
        ),
      );
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      for (const args of [
        ['runs', 'CounterFlow'],
        ['dump', `${runId}/end/3`],
        ['logs', `${runId}/add/2`],
      ]) {
        const read = await ns.cli(args, ws.dir, env);
        assert.equal(read.code, 0, `${args.join(' ')}: ${read.stderr}`);
      }
      ns.dispose();
      ns = undefined;
      assert.deepEqual(snapshot(ws.root), before, 'nothing stored changed');
    });

    it('a read-only compile cache: run names the bundle it cannot write, exit 2', async () => {
      writeFileSync(file, `// changed, so it compiles anew\n${readFileSync(file, 'utf8')}`);
      const cache = join(ws.root, '.cache');
      ns = await MountNamespace.create(`mount --bind '${cache}' '${cache}' && mount -o remount,bind,ro '${cache}'`);
      const r = await ns.cli(['run', file], ws.dir, { STEPWISE_DATASTORE_ROOT: ws.root });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(
        r.stderr,
        new RegExp(`^stepwise run: cannot open ${cache}/bundles/flow-[0-9a-f]+\\.js: the file system is read-only \\(EROFS\\)`),
      );
    });
  });

  describe('full (a small tmpfs)', function () {
    before(function () {
      const why = mountUnavailable();
      if (why) {
        console.log(`    skipped: ${why}`);
        this.skip();
      }
    });

    it("a task's artifact that does not fit: the run fails, exit 2 naming the blob and ENOSPC; the store reads", async () => {
      const noise = ws.copy('runtime/noise.ts');
      const root = join(ws.dir, 'small');
      mkdirSync(root);
      ns = await MountNamespace.create(`mount -t tmpfs -o size=4m tmpfs '${root}'`);
      const env = { STEPWISE_DATASTORE_ROOT: root };
      const r = await ns.cli(['run', noise], ws.dir, { ...env, NOISE_BYTES: String(8 << 20) });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.doesNotMatch(r.stderr, /internal error/);
      assert.match(
        r.stderr,
        new RegExp(
          `^stepwise run: cannot write ${root}/NoiseFlow/data/[0-9a-f]{2}/[0-9a-f]{64}: no space is left on the device \\(ENOSPC\\)\\. Free some space`,
        ),
      );
      const runs = await ns.cli(['runs', 'NoiseFlow', '--json'], ws.dir, env);
      assert.equal(runs.code, 0, runs.stderr);
      const [failed] = JSON.parse(runs.stdout) as Array<{ status: string; reason: string }>;
      assert.equal(failed.status, 'failed');
      assert.match(failed.reason, /ENOSPC/);
      // The partial blob was removed, so the space is there again for a run that fits.
      const small = await ns.cli(['run', noise], ws.dir, { ...env, NOISE_BYTES: String(1 << 20) });
      assert.equal(small.code, 0, small.stdout + small.stderr);
    });
  });

  describe('forbidden (the CLI as user nobody)', function () {
    before(function () {
      const why = nobodyUnavailable();
      if (why) {
        console.log(`    skipped: ${why}`);
        this.skip();
      }
    });

    it('run names the path, EACCES and the user, exit 2; runs still reads; nothing changes', async () => {
      openToOthers(ws.dir);
      const before = snapshot(ws.root);
      const env = { STEPWISE_DATASTORE_ROOT: ws.root };
      const r = await cliAs('nobody', ['run', file], ws.dir, env);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `^stepwise run: cannot create the folder ${ws.root}/CounterFlow/runs/\\d+: permission denied for user nobody \\(EACCES\\)\\. Give user nobody access`,
        ),
      );
      const runs = await cliAs('nobody', ['runs', 'CounterFlow'], ws.dir, env);
      assert.equal(runs.code, 0, runs.stderr);
      assert.match(runs.stdout, new RegExp(`${runId}\\s+succeeded`));
      assert.deepEqual(snapshot(ws.root), before);
    });
  });
});
