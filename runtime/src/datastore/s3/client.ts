/**
 * The S3 client, configured from the AWS SDK's standard chain (credentials, region) and the
 * standard variables: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL for MinIO, Ceph RGW, R2 or a local
 * server (path-style addressing whenever an endpoint is set), AWS_MAX_ATTEMPTS for retries. Only
 * what AWS S3, MinIO, Ceph RGW and R2 all do is used: no conditional writes, no checksum headers
 * (blobs are verified by their own sha256).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { DatastoreError } from '../files';
import { loadS3Sdk } from './sdk';

/** Attempts per request (the SDK retries throttling, 5xx and dropped connections with backoff). */
const DEFAULT_ATTEMPTS = 5;
/** A socket idle this long is dropped and the request retried. */
const REQUEST_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 5_000;

export function endpointOf(env: NodeJS.ProcessEnv): string | undefined {
  return env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
}

export function makeS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const { S3Client } = loadS3Sdk();
  const endpoint = endpointOf(env);
  const attempts = Number(env.AWS_MAX_ATTEMPTS);
  return new S3Client({
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    maxAttempts: Number.isInteger(attempts) && attempts > 0 ? attempts : DEFAULT_ATTEMPTS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    followRegionRedirects: true,
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  });
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function isNotFound(err: unknown): boolean {
  const e = err as SdkError;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** One message naming the store, what failed and the fix; never an SDK stack. */
export function s3Failure(err: unknown, what: string, url: string, env: NodeJS.ProcessEnv = process.env): DatastoreError {
  const e = err as SdkError;
  const name = e?.name ?? '';
  const code = e?.code ?? (err as { cause?: { code?: string } })?.cause?.code ?? '';
  const endpoint = endpointOf(env) ?? 'AWS S3';
  let why: string;
  if (name === 'NoSuchBucket') why = `the bucket does not exist: create it, or fix STEPWISE_DATASTORE_SYSROOT_S3`;
  else if (name === 'AccessDenied' || e?.$metadata?.httpStatusCode === 403)
    why = `access denied (${name || 403}): check the AWS credentials and the bucket's policy`;
  else if (name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch')
    why = `${name}: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  else if (name === 'CredentialsProviderError')
    why = `no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)`;
  else if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT'].includes(code) || name === 'TimeoutError')
    why = `cannot reach ${endpoint} (${code || name}): check AWS_ENDPOINT_URL_S3 and the network`;
  else why = `${name || code || 'error'}: ${e?.message ?? String(err)}`;
  return new DatastoreError(url, `S3 datastore ${url}: ${what} failed: ${why}.`);
}
