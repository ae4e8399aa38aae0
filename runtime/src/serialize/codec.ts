/**
 * Artifact bytes: v8 serialisation (structured clone), identified by sha256 of the serialised
 * bytes, stored with a small header and gzip only when a sample shows it pays.
 */
import { createHash } from 'node:crypto';
import { serialize, deserialize } from 'node:v8';
import { gzipSync, gunzipSync, constants } from 'node:zlib';
import { assertStorable } from './validate';

const MAGIC = Buffer.from('SWB1');
const RAW = 0;
const GZIP = 1;
const SAMPLE = 64 * 1024;
/** Compress only when the sample shrinks by at least this factor. */
const MIN_RATIO = 1.1;

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

export function encodeStored(bytes: Buffer): Buffer {
  if (compressionPays(bytes)) {
    return Buffer.concat([MAGIC, Buffer.from([GZIP]), gzipSync(bytes, { level: 1, strategy: constants.Z_DEFAULT_STRATEGY })]);
  }
  return Buffer.concat([MAGIC, Buffer.from([RAW]), bytes]);
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
 * path: the writer has the right bytes, so a byte comparison stands in for hashing (and is
 * several times cheaper). A damaged or unreadable blob does not hold them.
 */
export function storedHolds(stored: Buffer, serialized: Buffer): boolean {
  try {
    return decodeStored(stored, '').equals(serialized);
  } catch {
    return false;
  }
}

export function deserializeArtifact(bytes: Buffer, file: string): unknown {
  try {
    return deserialize(bytes);
  } catch (err) {
    throw new CorruptBlobError(file, `cannot deserialise (${(err as Error).message})`);
  }
}
