/**
 * This machine's cache of an S3 store's immutable things: artifact blobs (as stored: header and
 * payload) and code packages. Content-addressed, so every run and task on the machine shares it;
 * files appear atomically, so a reader never sees half of one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../files';

export class BlobCache {
  constructor(readonly dir: string) {}

  blobPath(flow: string, hash: string): string {
    return join(this.dir, 'blobs', flow, hash.slice(0, 2), hash);
  }

  codeDir(): string {
    return join(this.dir, 'code');
  }

  /** The stored bytes of a blob, or undefined when it is not here. */
  readSync(flow: string, hash: string): Buffer | undefined {
    try {
      return readFileSync(this.blobPath(flow, hash));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  write(flow: string, hash: string, stored: Buffer): Promise<void> {
    return writeFileAtomic(this.blobPath(flow, hash), stored);
  }
}
