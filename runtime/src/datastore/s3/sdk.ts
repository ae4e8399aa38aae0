/**
 * The AWS SDK's S3 client, loaded only when an S3 store is opened: it ships as its own bundle
 * (dist/aws-s3.js, built from ./sdkEntry.ts), so that the CLI and every task process that use
 * the local store never parse it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundle } from '../../boot/codeCache';
import { packageRoot } from '../../paths';

export type S3Sdk = typeof import('./sdkEntry');

let sdk: S3Sdk | undefined;

export function loadS3Sdk(): S3Sdk {
  if (sdk) return sdk;
  const bundle = join(packageRoot(), 'dist', 'aws-s3.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: build Stepwise first (npm run build).`);
  // The SDK warns on every process start under Node 20 that *later* SDK releases will need Node
  // 22; the version bundled here runs on Node 20 (the lockfile pins it), and the warning would
  // land in every task's stderr.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  sdk = loadBundle(bundle, module) as S3Sdk;
  return sdk;
}
