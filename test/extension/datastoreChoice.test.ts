/**
 * The extension's datastore choice (the `stepwise.datastore.*` settings, as plain data) and the
 * explorer's tree over an S3 store: runs made by the CLI into a real S3-protocol server (s3rver)
 * read through the client API exactly as a local folder's are.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRemoteRoot, localRootFor, processEnvFor, rootFor } from '../../client/src/datastoreChoice';
import { logText } from '../../client/src/explorer/documents';
import { ExplorerModel, type ExplorerNode } from '../../client/src/explorer/model';
import { localChangeOf } from '../../runtime/src/datastore/local';
import { UsageError } from '../../runtime/src/errors';
import { withEnv } from '../datastore/suite';
import { runCli } from '../support/cli';
import { TestS3Server, TEST_BUCKET } from '../support/s3server';
import { runIdOf } from '../support/workspace';
import { FAILING_FLOW } from './datastore';

describe("the extension's datastore choice", () => {
  let dir: string;
  let restore: () => void;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-choice-'));
    // The choice reads these from VS Code's environment: start from none.
    const names = ['STEPWISE_DATASTORE', 'STEPWISE_DATASTORE_SYSROOT_S3', 'STEPWISE_DATASTORE_ROOT'];
    const before = names.map((n) => [n, process.env[n]] as const);
    for (const n of names) delete process.env[n];
    restore = () => {
      for (const [n, v] of before) if (v !== undefined) process.env[n] = v;
    };
  });
  afterEach(() => {
    restore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('default: the local .stepwise/ of the folder; s3: the location, as the client API takes it', () => {
    assert.equal(rootFor({}, dir), join(dir, '.stepwise'));
    assert.equal(rootFor({ type: 'local' }, dir), join(dir, '.stepwise'));
    const s3 = rootFor({ type: 's3', sysrootS3: 's3://team-bucket/flows/' }, dir);
    assert.equal(s3, 's3://team-bucket/flows');
    assert.ok(isRemoteRoot(s3) && !isRemoteRoot(join(dir, '.stepwise')));
    assert.equal(localRootFor(dir), join(dir, '.stepwise'));
  });

  it("'default' follows VS Code's environment (STEPWISE_DATASTORE…), the settings win over it", () => {
    const undo = withEnv({ STEPWISE_DATASTORE: 's3', STEPWISE_DATASTORE_SYSROOT_S3: 's3://env-bucket/x' });
    try {
      assert.equal(rootFor({}, dir), 's3://env-bucket/x');
      assert.equal(rootFor({ type: 's3', sysrootS3: 's3://setting-bucket/y' }, dir), 's3://setting-bucket/y');
      assert.equal(rootFor({ type: 'local' }, dir), join(dir, '.stepwise'));
    } finally {
      undo();
    }
  });

  it('bad settings: one message naming the settings to fix', () => {
    assert.throws(
      () => rootFor({ type: 's3' }, dir),
      (e: unknown) => e instanceof UsageError && /needs its location/.test(e.message) && /stepwise\.datastore\.sysrootS3/.test(e.message),
    );
    assert.throws(
      () => rootFor({ type: 's3', sysrootS3: 'my-bucket' }, dir),
      (e: unknown) => e instanceof UsageError && /s3:\/\/my-bucket\/stepwise/.test(e.message),
    );
    assert.throws(() => rootFor({ type: 'ftp' }, dir), /must be one of local, s3; got 'ftp'/);
  });

  it('every process the extension starts gets the same choice as variables', () => {
    assert.deepEqual(processEnvFor({}), {});
    assert.deepEqual(processEnvFor({ type: 's3', sysrootS3: 's3://b/p' }), {
      STEPWISE_DATASTORE: 's3',
      STEPWISE_DATASTORE_SYSROOT_S3: 's3://b/p',
    });
  });

  it("a file event under a local store names its flow and run (the layout stays the store's)", () => {
    const root = join(dir, '.stepwise');
    assert.deepEqual(localChangeOf(root, join(root, 'F', 'runs', '17', 'b', '2', 'stderr.log')), { flow: 'F', kind: 'run', runId: '17' });
    assert.deepEqual(localChangeOf(root, join(root, 'F', 'runs')), { flow: 'F', kind: 'run' });
    assert.deepEqual(localChangeOf(root, join(root, 'F', 'data', 'ab', 'abcd')), { flow: 'F', kind: 'data' });
    assert.equal(localChangeOf(root, join(root, '.cache', 'bundles', 'flow-1.js')), undefined);
    assert.equal(localChangeOf(root, join(dir, 'elsewhere.ts')), undefined);
  });
});

describe('the explorer tree over an S3 store (s3rver)', function () {
  this.timeout(300_000);
  let server: TestS3Server;
  let dir: string;
  let restore: () => void;
  const sysroot = `s3://${TEST_BUCKET}/explorer`;

  before(async () => {
    server = await TestS3Server.start();
    dir = mkdtempSync(join(tmpdir(), 'stepwise-explorer-s3-'));
    // The explorer reads in this process, with its own cache ("the laptop").
    restore = withEnv({ ...server.env(), STEPWISE_DATASTORE_CACHE: join(dir, 'cache-explorer') });
  });
  after(async () => {
    restore?.();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the flow and its failed run from S3, the failure, its logs; poll() sees a new run', async () => {
    const flowFile = join(dir, 'fail_then_fix.ts');
    writeFileSync(flowFile, FAILING_FLOW);
    // "Another machine": the CLI with its own cache, into the S3 store.
    const env = { ...server.env(), STEPWISE_DATASTORE_SYSROOT_S3: sysroot, STEPWISE_DATASTORE_CACHE: join(dir, 'cache-cli') };
    const failed = await runCli(['run', flowFile, '--datastore', 's3'], { cwd: dir, env });
    assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    const failedRunId = runIdOf(failed.stdout);

    const model = new ExplorerModel(rootFor({ type: 's3', sysrootS3: sysroot }, dir));
    const flows = await model.roots();
    assert.deepEqual(
      flows.map((f) => f.label),
      ['FailThenFixFlow'],
    );
    const runs = await model.children(flows[0]);
    assert.deepEqual(
      runs.map((r) => `${r.label}:${r.status}`),
      [`${failedRunId}:failed`],
    );
    const steps = await model.children(runs[0]);
    assert.deepEqual(
      steps.map((s) => `${s.label}:${s.status}`),
      ['start:succeeded', 'b:failed'],
    );
    const [task] = await model.children(steps[1]);
    const contents = await model.children(task);
    assert.equal(contents.find((c) => c.kind === 'info')?.label, 'Error: boom');
    const [startTask] = await model.children(steps[0]);
    const stdout = (await model.children(startTask)).find(
      (c): c is Extract<ExplorerNode, { kind: 'log' }> => c.kind === 'log' && c.label === 'stdout',
    );
    assert.ok(stdout, 'the start task has its stdout');
    assert.match(await logText({ root: model.root, pathspec: stdout.pathspec, name: 'stdout' }), /starting/);

    assert.deepEqual(await model.poll(), [], 'nothing new');
    const resumed = await runCli(['resume', flowFile, '--datastore', 's3', '--origin-run-id', failedRunId], {
      cwd: dir,
      env: { ...env, STEPWISE_TEST_FIXED: '1' },
    });
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.deepEqual(await model.poll(), [flows[0]], 'the new run refreshes its flow');
    const after = await model.children(flows[0]);
    assert.deepEqual(
      after.map((r) => `${r.label}:${r.status}`),
      [`${runIdOf(resumed.stdout)}:succeeded`, `${failedRunId}:failed`],
    );
  });
});
