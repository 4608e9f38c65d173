/** Reads an uploaded object (a bank statement) by bucket, key and, on a versioned bucket, version. */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface ObjectRef {
  bucket: string;
  key: string;
  versionId?: string;
}

export interface ObjectReader {
  bytes(ref: ObjectRef): Promise<Uint8Array>;
}

export function createS3ObjectReader(s3: S3Client): ObjectReader {
  return {
    async bytes(ref) {
      // With a VersionId this is s3:GetObjectVersion in IAM terms (the role grants both).
      const out = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, ...(ref.versionId ? { VersionId: ref.versionId } : {}) }));
      if (!out.Body) throw new Error(`s3://${ref.bucket}/${ref.key} is empty`);
      return out.Body.transformToByteArray();
    },
  };
}
