/**
 * dist/s3fetch.js: the helper thread of ./syncFetch.ts. It downloads one blob at a time into the
 * cache, answers on its port, then raises the shared flag that the waiting thread sleeps on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FetchReply, FetchRequest, FetchWorkerData } from './syncFetch';
import { S3Datastore } from './store';

const { spec, port, flag } = workerData as FetchWorkerData;
const store = new S3Datastore(spec);
const signal = new Int32Array(flag);

parentPort!.on('message', (req: FetchRequest) => {
  void store.fetchToCache(req.flow, req.hash).then(
    () => answer({ ok: true }),
    (err: unknown) => answer({ ok: false, message: err instanceof Error ? err.message : String(err) }),
  );
});

function answer(reply: FetchReply): void {
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}
