/**
 * Starts and stops the test S3 server (s3rver, in its own process; see s3rverMain.ts) and gives
 * the environment that points Stepwise's S3 store at it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const TEST_BUCKET = 'stepwise-test';

export class TestS3Server {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<TestS3Server> {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-s3rver-'));
    const child = spawn(process.execPath, [join(__dirname, 's3rverMain.js'), dir, TEST_BUCKET], { stdio: ['pipe', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (l) => resolve((JSON.parse(l) as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code} before listening`)));
    });
    return new TestS3Server(child, dir, port);
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What the AWS SDK needs to talk to this server (any key pair: s3rver's own is S3RVER/S3RVER). */
  env(endpoint = this.endpoint): NodeJS.ProcessEnv {
    return { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
