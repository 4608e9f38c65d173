/**
 * DocumentStore over S3 (letters, print batches, court packages). Objects take the bucket's default
 * encryption (SSE-S3): no per-request KMS calls.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DocumentStore } from '../ports/index.js';

export function createS3DocumentStore(bucket: string, s3: S3Client): DocumentStore {
  return {
    async put(key, body, contentType) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
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
