/**
 * Object operations with the guarantees the store needs: a GET returns the whole object or fails
 * (a body cut off mid-way is read again), a large PUT goes up in parts and becomes visible only
 * when complete, listings follow every page. Errors become one DatastoreError naming the store.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { mapLimit } from '../../util/mapLimit';
import { isNotFound, s3Failure } from './client';
import type { S3Location } from './location';
import { loadS3Sdk } from './sdk';

/** Objects above this size are uploaded in parts. */
export const MULTIPART_THRESHOLD = 16 * 1024 * 1024;
const PART_SIZE = 8 * 1024 * 1024;
const PART_CONCURRENCY = 4;
/** Reads of a body that broke off after the headers (the SDK retries only up to the headers). */
const BODY_ATTEMPTS = 4;

export interface GotObject {
  body: Buffer;
  metadata: Record<string, string>;
  /** The whole object's size (differs from body.length for a range read). */
  size: number;
}

export interface Listing {
  /** Names one level below the prefix ("folders"), without the trailing slash. */
  prefixes: string[];
  /** Full keys directly under the prefix. */
  keys: string[];
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class S3Objects {
  constructor(
    private readonly s3: S3Client,
    readonly loc: S3Location,
  ) {}

  private fail(err: unknown, what: string): Error {
    return s3Failure(err, what, this.loc.url);
  }

  /** The object, or undefined when there is none. `from`: read from this byte on. */
  async get(key: string, from?: number): Promise<GotObject | undefined> {
    const { GetObjectCommand } = loadS3Sdk();
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.s3.send(
          new GetObjectCommand({ Bucket: this.loc.bucket, Key: key, ...(from ? { Range: `bytes=${from}-` } : {}) }),
        );
        const body = Buffer.from(await out.Body!.transformToByteArray());
        if (out.ContentLength !== undefined && body.length !== out.ContentLength) {
          throw Object.assign(new Error(`short read: ${body.length} of ${out.ContentLength} bytes`), { name: 'ShortRead' });
        }
        const total = /\/(\d+)$/.exec(out.ContentRange ?? '')?.[1];
        return { body, metadata: out.Metadata ?? {}, size: total ? Number(total) : body.length };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        if ((err as { name?: string }).name === 'InvalidRange') return { body: Buffer.alloc(0), metadata: {}, size: from ?? 0 };
        // The SDK has already retried what failed before the body; a body that broke off is ours to retry.
        const statusCode = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (attempt >= BODY_ATTEMPTS || (statusCode !== undefined && statusCode < 500)) throw this.fail(err, `reading ${key}`);
        await sleep(100 * 2 ** attempt);
      }
    }
  }

  async head(key: string): Promise<{ size: number; metadata: Record<string, string> } | undefined> {
    const { HeadObjectCommand } = loadS3Sdk();
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.loc.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, metadata: out.Metadata ?? {} };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw this.fail(err, `looking up ${key}`);
    }
  }

  /** Writes a whole object; large ones in parts, visible only once all parts are in. */
  async put(key: string, body: Buffer | string, metadata?: Record<string, string>): Promise<void> {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    if (bytes.length > MULTIPART_THRESHOLD) return this.putInParts(key, bytes, metadata);
    const { PutObjectCommand } = loadS3Sdk();
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.loc.bucket, Key: key, Body: bytes, ContentLength: bytes.length, Metadata: metadata }),
      );
    } catch (err) {
      throw this.fail(err, `writing ${key}`);
    }
  }

  private async putInParts(key: string, bytes: Buffer, metadata?: Record<string, string>): Promise<void> {
    const sdk = loadS3Sdk();
    const Bucket = this.loc.bucket;
    let uploadId: string | undefined;
    try {
      uploadId = (await this.s3.send(new sdk.CreateMultipartUploadCommand({ Bucket, Key: key, Metadata: metadata }))).UploadId;
      const count = Math.ceil(bytes.length / PART_SIZE);
      const parts = await mapLimit(
        Array.from({ length: count }, (_, i) => i),
        PART_CONCURRENCY,
        async (i) => {
          const Body = bytes.subarray(i * PART_SIZE, Math.min(bytes.length, (i + 1) * PART_SIZE));
          const out = await this.s3.send(
            new sdk.UploadPartCommand({ Bucket, Key: key, UploadId: uploadId, PartNumber: i + 1, Body, ContentLength: Body.length }),
          );
          return { PartNumber: i + 1, ETag: out.ETag };
        },
      );
      await this.s3.send(
        new sdk.CompleteMultipartUploadCommand({ Bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
      );
    } catch (err) {
      // Parts of an incomplete upload are never visible as the object; free them.
      if (uploadId)
        await this.s3.send(new sdk.AbortMultipartUploadCommand({ Bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
      throw this.fail(err, `uploading ${key} in parts`);
    }
  }

  /** Every page of a listing under `prefix` (which ends with '/'), one level deep. */
  async list(prefix: string): Promise<Listing> {
    const { ListObjectsV2Command } = loadS3Sdk();
    const out: Listing = { prefixes: [], keys: [] };
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.s3.send(
          new ListObjectsV2Command({ Bucket: this.loc.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
        );
      } catch (err) {
        throw this.fail(err, `listing ${prefix || '/'}`);
      }
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.prefixes.push(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
      for (const o of page.Contents ?? []) if (o.Key) out.keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  /** Every key under `prefix`, at any depth. */
  async listAll(prefix: string): Promise<string[]> {
    const { ListObjectsV2Command } = loadS3Sdk();
    const keys: string[] = [];
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.loc.bucket, Prefix: prefix, ContinuationToken: token }));
      } catch (err) {
        throw this.fail(err, `listing ${prefix}`);
      }
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async delete(keys: string[]): Promise<void> {
    const { DeleteObjectCommand } = loadS3Sdk();
    // One request per key: every S3-compatible server has DeleteObject (not all have the batch call).
    await mapLimit(keys, 16, async (Key) => {
      try {
        await this.s3.send(new DeleteObjectCommand({ Bucket: this.loc.bucket, Key }));
      } catch (err) {
        if (!isNotFound(err)) throw this.fail(err, `deleting ${Key}`);
      }
    });
  }

  /** Server-side copy; false when the source does not exist. */
  async copy(from: string, to: string): Promise<boolean> {
    const { CopyObjectCommand } = loadS3Sdk();
    try {
      await this.s3.send(
        new CopyObjectCommand({
          Bucket: this.loc.bucket,
          Key: to,
          CopySource: `${this.loc.bucket}/${encodeURIComponent(from).replace(/%2F/g, '/')}`,
        }),
      );
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw this.fail(err, `copying ${from}`);
    }
  }
}
