/**
 * The datastore suite on the S3 store, against a real S3-protocol server (s3rver, npm, started
 * by the test). Each "machine" has its own cache folder, as two computers would.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { TestS3Server, TEST_BUCKET } from '../support/s3server';
import { datastoreSuite, withEnv } from './suite';

describe('datastore suite: S3 store (s3rver)', function () {
  this.timeout(60_000);
  let server: TestS3Server;
  let restore: () => void;
  before(async () => {
    server = await TestS3Server.start();
    restore = withEnv(server.env());
  });
  after(async () => {
    restore?.();
    await server?.stop();
  });

  // Also with every task in a thread of a task host: the synchronous S3 read of an artifact the
  // graph does not show runs its own helper thread, here from inside the task's thread.
  for (const isolation of ['process', 'thread']) {
    datastoreSuite(`on S3 (--task-isolation ${isolation})`, (ws) => {
      const sysroot = `s3://${TEST_BUCKET}/${randomBytes(4).toString('hex')}`;
      const env = (machine: string): NodeJS.ProcessEnv => ({
        ...server.env(),
        STEPWISE_DATASTORE: 's3',
        STEPWISE_DATASTORE_SYSROOT_S3: sysroot,
        STEPWISE_DATASTORE_CACHE: join(ws.dir, `cache-${machine}`),
        STEPWISE_TASK_ISOLATION: isolation,
      });
      return { env, client: { datastore: { type: 's3', sysroot, cacheDir: join(ws.dir, 'cache-test') } } };
    });
  }
});
