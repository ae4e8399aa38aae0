/**
 * Artifact bytes: v8 serialisation (structured clone), identified by sha256 of the serialised
 * bytes, stored with a small header and gzip only when a sample shows it pays.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { serialize, deserialize } from 'node:v8';
import { gzip, gzipSync, gunzipSync, constants } from 'node:zlib';
import { assertStorable } from './validate';
import { ownRealm } from './realm';

const MAGIC = Buffer.from('SWB1');
const RAW = 0;
const GZIP = 1;
const SAMPLE = 64 * 1024;
/** Compress only when the sample shrinks by at least this factor. */
const MIN_RATIO = 1.1;
/**
 * From this size on a blob is "large". Compressing it is then the slowest stage of writing it
 * (an 80 MB Float64Array: serialise ~70 ms, sha256 ~55 ms, gzip level 1 ~450 ms of CPU, writing
 * 80 MB raw ~100 ms), so where bytes are cheap to move a store keeps it raw (`LargeBlobs`).
 * Where it is compressed, it is compressed in parts, all at once on libuv's threadpool, a part per
 * core. Each part is a whole gzip member and gunzip reads concatenated members as one stream, so
 * readers need no other format.
 */
const LARGE_MIN = 8 * 1024 * 1024;
/**
 * What a store does with a large blob that would compress: `raw` on a local disk (writing and
 * reading the bytes is several times faster than compressing them; the cost is disk space),
 * `compressed` where they cross a network (S3). Smaller blobs are gzipped whenever it pays.
 */
export type LargeBlobs = 'raw' | 'compressed';
const gzipAsync = promisify(gzip);
const GZIP_OPTIONS = { level: 1, strategy: constants.Z_DEFAULT_STRATEGY };

export function serializeArtifact(value: unknown, path: string): Buffer {
  assertStorable(value, path);
  return serialize(value);
}

export function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function compressionPays(bytes: Buffer): boolean {
  if (bytes.length < 512) return false;
  const sample = bytes.subarray(0, Math.min(bytes.length, SAMPLE));
  const z = gzipSync(sample, { level: 1 });
  return sample.length / z.length >= MIN_RATIO;
}

/**
 * The stored form of serialised bytes as the chunks to write one after the other: the header,
 * then the bytes raw (not copied: a large artifact is written as it is) or gzipped (in parts
 * when large).
 */
export async function encodeStoredChunks(bytes: Buffer, large: LargeBlobs): Promise<Buffer[]> {
  if ((large === 'raw' && bytes.length >= LARGE_MIN) || !compressionPays(bytes)) return [header(RAW), bytes];
  if (bytes.length < LARGE_MIN) return [header(GZIP), gzipSync(bytes, GZIP_OPTIONS)];
  const count = Math.max(2, availableParallelism());
  const size = Math.ceil(bytes.length / count);
  const parts = await Promise.all(
    Array.from({ length: count }, (_, i) => gzipAsync(bytes.subarray(i * size, (i + 1) * size), GZIP_OPTIONS)),
  );
  return [header(GZIP), ...parts];
}

/** The stored form of serialised bytes, in one buffer. */
export async function encodeStored(bytes: Buffer, large: LargeBlobs): Promise<Buffer> {
  return Buffer.concat(await encodeStoredChunks(bytes, large));
}

function header(kind: number): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([kind])]);
}

export class CorruptBlobError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`damaged artifact file ${file}: ${reason}. The blob cannot be read; re-run or resume the step that produced it.`);
    this.name = 'CorruptBlobError';
  }
}

export function decodeStored(stored: Buffer, file: string): Buffer {
  if (stored.length < 5 || !stored.subarray(0, 4).equals(MAGIC)) throw new CorruptBlobError(file, 'bad header');
  const kind = stored[4];
  const payload = stored.subarray(5);
  if (kind === RAW) return payload;
  if (kind === GZIP) {
    try {
      return gunzipSync(payload);
    } catch (err) {
      throw new CorruptBlobError(file, `gzip payload unreadable (${(err as Error).message})`);
    }
  }
  throw new CorruptBlobError(file, `unknown encoding ${kind}`);
}

/**
 * Decodes a stored blob and checks that its bytes still hash to the name it is stored under.
 * Every store reads blobs through this: a blob changed on disk (or in a bucket) is an error
 * naming the file, never a silently wrong value.
 */
export function decodeVerified(stored: Buffer, hash: string, file: string): Buffer {
  const bytes = decodeStored(stored, file);
  const actual = hashBytes(bytes);
  if (actual !== hash) {
    throw new CorruptBlobError(
      file,
      `its content does not match its hash (sha256 ${actual.slice(0, 12)}… instead of ${hash.slice(0, 12)}…): it was changed after it was written`,
    );
  }
  return bytes;
}

/**
 * Whether an existing stored blob holds exactly `serialized`, for the "already present" write
 * path: the writer has the right bytes, so a comparison stands in for hashing. Most often the
 * file is byte for byte what this writer would store (`encoded`, its chunks), which is cheap to
 * compare; else (another encoder wrote it) its decoded bytes are compared. A damaged or
 * unreadable blob does not hold them.
 */
export function storedHolds(stored: Buffer, serialized: Buffer, encoded?: readonly Buffer[]): boolean {
  if (encoded && chunksEqual(stored, encoded)) return true;
  try {
    return decodeStored(stored, '').equals(serialized);
  } catch {
    return false;
  }
}

function chunksEqual(whole: Buffer, chunks: readonly Buffer[]): boolean {
  let at = 0;
  for (const c of chunks) {
    if (at + c.length > whole.length || !whole.subarray(at, at + c.length).equals(c)) return false;
    at += c.length;
  }
  return at === whole.length;
}

export function deserializeArtifact(bytes: Buffer, file: string): unknown {
  let value: unknown;
  try {
    value = deserialize(bytes);
  } catch (err) {
    throw new CorruptBlobError(file, `cannot deserialise (${(err as Error).message})`);
  }
  return ownRealm(value);
}
