/** DocumentStore over S3 (letters, print batches, court packages). Client created once per module. */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { DocumentStore } from '../ports/index.js';
import { SDK_LOGGER } from './sdk-logger.js';

let client: S3Client | undefined;
export const s3Client = () => (client ??= new S3Client({ logger: SDK_LOGGER }));

export function createS3DocumentStore(bucket: string, s3: S3Client = s3Client()): DocumentStore {
  return {
    async put(key, body, contentType) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ServerSideEncryption: 'aws:kms' }));
      return { uri: `s3://${bucket}/${key}` };
    },
    async get(key) {
      try {
        const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return r.Body ? new Uint8Array(await r.Body.transformToByteArray()) : undefined;
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
        throw err;
      }
    },
  };
}
