/** A blob read from anywhere (the bucket, the cache) is decoded and checked against its hash. */
import { CorruptBlobError, decodeStored, hashBytes } from '../../serialize/codec';

export function decodeVerified(stored: Buffer, hash: string, where: string): Buffer {
  const bytes = decodeStored(stored, where);
  if (hashBytes(bytes) !== hash) throw new CorruptBlobError(where, `its content does not match its hash ${hash.slice(0, 12)}…`);
  return bytes;
}
