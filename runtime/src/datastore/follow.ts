/**
 * Following a log as it grows, the same way for every store: read what was added since the last
 * look, until the writer has marked the log complete. A log whose task finished but whose writer
 * died before completing it (a killed runner) is followed for a grace period, then left.
 */
import { StringDecoder } from 'node:string_decoder';
import type { FollowOptions } from './datastore';

export interface LogProbe {
  /** Bytes from `offset` to the current end (empty when nothing new). */
  bytes: Buffer;
  /** The writer closed the log: nothing will be added after these bytes. */
  complete: boolean;
}

export interface FollowSource {
  read(offset: number): Promise<LogProbe>;
  /** The task has its DONE record. */
  taskDone(): Promise<boolean>;
  pollMs: number;
  /** How long a finished task's incomplete log is still watched for more output. */
  graceMs: number;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function* followLogBy(src: FollowSource, o: FollowOptions = {}): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  const pollMs = o.pollMs ?? src.pollMs;
  let offset = 0;
  let quietSince: number | undefined;
  while (!o.signal?.aborted) {
    // DONE is looked at before the read, so a read after DONE sees everything written before it.
    const done = await src.taskDone();
    const probe = await src.read(offset);
    if (probe.bytes.length) {
      offset += probe.bytes.length;
      quietSince = undefined;
      const text = decoder.write(probe.bytes);
      if (text) yield text;
    }
    if (probe.complete) break;
    if (done) {
      quietSince ??= Date.now();
      if (Date.now() - quietSince >= src.graceMs) break;
    }
    await sleep(pollMs, o.signal);
  }
  const rest = decoder.end();
  if (rest) yield rest;
}
