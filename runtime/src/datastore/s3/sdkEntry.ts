/** What dist/aws-s3.js holds: the parts of the AWS SDK the S3 store uses (see ./sdk.ts). */
export {
  S3Client,
  GetObjectCommand,
  PutObjectCommand,
  HeadObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  CopyObjectCommand,
  ListObjectsV2Command,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  CompleteMultipartUploadCommand,
  AbortMultipartUploadCommand,
  CreateBucketCommand,
} from '@aws-sdk/client-s3';
export type { S3ClientConfig } from '@aws-sdk/client-s3';
