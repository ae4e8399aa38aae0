/**
 * Task logs in an S3 store. S3 has no append: a running task's log is rewritten whole every few
 * seconds while it grows, and a last time when it is closed, with metadata marking it complete
 * (so a follower knows nothing more will come). Followers read only the bytes they have not seen.
 */
import type { LogSink } from '../datastore';
import type { LogProbe } from '../follow';
import type { S3Objects } from './objects';

/** How often a growing log is stored again. */
export const LOG_FLUSH_MS = 2000;
export const COMPLETE = { 'stepwise-log': 'complete' };

export function s3LogSink(objects: S3Objects, key: string): LogSink {
  const pieces: string[] = [];
  let stored = 0;
  let writing: Promise<void> = Promise.resolve();
  let failed: Error | undefined;
  const store = (complete: boolean) => {
    const text = pieces.join('');
    stored = pieces.length;
    // One write at a time, in order: a later (longer) log never loses to an earlier one.
    writing = writing
      .then(() => objects.put(key, text, complete ? COMPLETE : undefined))
      .catch((err: Error) => {
        failed = err;
      });
    return writing;
  };
  const timer = setInterval(() => {
    if (pieces.length > stored) void store(false);
  }, LOG_FLUSH_MS);
  timer.unref();
  return {
    write(text) {
      pieces.push(text);
    },
    async close() {
      clearInterval(timer);
      await store(true);
      // A log that could not be stored must not fail the task; say so where the runner's output goes.
      if (failed) process.stderr.write(`stepwise: could not store the log ${key}: ${failed.message}\n`);
    },
  };
}

export async function readS3LogFrom(objects: S3Objects, key: string, offset: number): Promise<LogProbe> {
  const head = await objects.head(key);
  if (!head) return { bytes: Buffer.alloc(0), complete: false };
  const complete = head.metadata['stepwise-log'] === 'complete';
  if (head.size <= offset) return { bytes: Buffer.alloc(0), complete };
  const got = await objects.get(key, offset);
  // The log may have been rewritten (longer) between the two requests: keep to what head saw if it said complete.
  const bytes = got?.body ?? Buffer.alloc(0);
  return { bytes: complete ? bytes.subarray(0, head.size - offset) : bytes, complete: complete && !!got };
}
