/**
 * A synchronous fetch for `this.x` reads that the prefetch did not cover (a getter cannot await):
 * a helper thread downloads the blob into the cache while this thread waits on a shared flag.
 * The helper starts on the first such read only, and is ended with the store.
 */
import { join } from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { packageRoot } from '../../paths';
import { DatastoreError } from '../files';
import type { S3DatastoreSpec } from '../spec';

export interface FetchRequest {
  flow: string;
  hash: string;
}
export type FetchReply = { ok: true } | { ok: false; message: string };

/** What the helper thread is started with. */
export interface FetchWorkerData {
  spec: S3DatastoreSpec;
  port: MessagePort;
  flag: SharedArrayBuffer;
}

/** Longest wait for one blob before the read fails (the SDK's own retries happen inside). */
const FETCH_TIMEOUT_MS = 10 * 60_000;

export class SyncFetcher {
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  constructor(spec: S3DatastoreSpec) {
    const { port1, port2 } = new MessageChannel();
    this.replies = port1;
    const workerData: FetchWorkerData = { spec, port: port2, flag: this.flag.buffer as SharedArrayBuffer };
    this.worker = new Worker(join(packageRoot(), 'dist', 's3fetch.js'), { workerData, transferList: [port2] });
    // The helper must never keep a finished task alive.
    this.worker.unref();
  }

  /** Returns once the blob is in the cache; throws the helper's error otherwise. */
  fetch(flow: string, hash: string): void {
    Atomics.store(this.flag, 0, 0);
    this.worker.postMessage({ flow, hash } satisfies FetchRequest);
    const woke = Atomics.wait(this.flag, 0, 0, FETCH_TIMEOUT_MS);
    const reply = receiveMessageOnPort(this.replies)?.message as FetchReply | undefined;
    if (woke === 'timed-out' || !reply) throw new DatastoreError(hash, `fetching artifact blob ${hash.slice(0, 12)}… timed out.`);
    if (!reply.ok) throw new DatastoreError(hash, reply.message);
  }

  close(): void {
    void this.worker.terminate();
    this.replies.close();
  }
}
