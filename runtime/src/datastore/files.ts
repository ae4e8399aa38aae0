/** Small file primitives with the crash guarantees the datastore relies on. */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { asStorageError } from './storageError';

/**
 * Writes via a temporary file and rename, so a reader sees the old file or the whole new one.
 * `data` may be chunks written one after the other (a header and a large payload, never copied
 * into one buffer).
 */
export async function writeFileAtomic(file: string, data: string | Buffer | readonly Buffer[]): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    try {
      await writeWhole(tmp, data);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await fs.mkdir(dirname(file), { recursive: true });
      await writeWhole(tmp, data);
    }
    await fs.rename(tmp, file);
  } catch (err) {
    // A write that failed half-way (a full disk) must not leave its partial file taking space.
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw asStorageError(err, file) ?? err;
  }
}

async function writeWhole(file: string, data: string | Buffer | readonly Buffer[]): Promise<void> {
  if (typeof data === 'string' || Buffer.isBuffer(data)) return fs.writeFile(file, data);
  const handle = await fs.open(file, 'w');
  try {
    for (const chunk of data) {
      for (let at = 0; at < chunk.length;) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
    }
  } finally {
    await handle.close();
  }
}

export class DatastoreError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'DatastoreError';
  }
}

/** Reads a JSON record; a missing file is undefined, a damaged one an error naming the file. */
export async function readJson<T>(file: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DatastoreError(file, `cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new DatastoreError(
      file,
      `damaged datastore file ${file}: it is not valid JSON. Delete the run that holds it, or resume it to write the task again.`,
    );
  }
}

export async function listDir(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
