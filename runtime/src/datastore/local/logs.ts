/**
 * Task logs in the local store: appended to a file as the output comes; once the writer closes
 * the log, the file is made read-only, which is how a follower knows nothing more will come.
 */
import { createWriteStream, promises as fs } from 'node:fs';
import type { LogSink } from '../datastore';
import type { LogProbe } from '../follow';

const WRITE_BITS = 0o222;

export function appendSink(file: string): LogSink {
  const out = createWriteStream(file, { flags: 'a' });
  let failed: Error | undefined;
  // A log that cannot be written (the disk is full) must not take the run down with it.
  out.on('error', (err) => (failed = err));
  return {
    write(text) {
      if (!failed) out.write(text);
    },
    async close() {
      await new Promise<void>((resolve) => out.end(resolve));
      if (!failed) await completeLog(file);
    },
  };
}

/** Marks a log complete: read-only. */
export async function completeLog(file: string): Promise<void> {
  try {
    const { mode } = await fs.stat(file);
    await fs.chmod(file, mode & ~WRITE_BITS & 0o7777);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

export async function readLogFrom(file: string, offset: number): Promise<LogProbe> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { bytes: Buffer.alloc(0), complete: false };
    throw err;
  }
  try {
    // Completeness first: a log seen complete and then read is read to its very end.
    const { size, mode } = await handle.stat();
    const complete = (mode & WRITE_BITS) === 0;
    if (size <= offset) return { bytes: Buffer.alloc(0), complete };
    const bytes = Buffer.alloc(size - offset);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, offset);
    return { bytes: bytes.subarray(0, bytesRead), complete };
  } finally {
    await handle.close();
  }
}
