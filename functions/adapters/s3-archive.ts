/**
 * PayloadArchive + ArchiveReader over S3. One JSON object per payload
 * ({ version, source, id, archivedAt, headers, raw }) under <prefix><source>/<date>/<id>-<hash>.json;
 * the reference is s3://<bucket>/<key>.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { PayloadArchive } from '../ports/index.js';
import type { ArchivedPayload, ArchiveReader } from '../ingest/ports.js';
import { archiveKey, archiveRecord, parseArchiveRecord } from './fs-archive.js';

export function parseS3Ref(ref: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(ref);
  if (!m) throw new Error(`not an s3:// reference: ${ref}`);
  return { bucket: m[1]!, key: m[2]! };
}

export class S3Archive implements PayloadArchive, ArchiveReader {
  private readonly s3: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly now: () => Date;

  constructor(opts: { bucket: string; prefix?: string; s3: S3Client; now?: () => Date }) {
    this.s3 = opts.s3;
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ?? 'webhooks/';
    this.now = opts.now ?? (() => new Date());
  }

  async archive(source: string, id: string, raw: string, headers: Record<string, string>): Promise<{ ref: string }> {
    const at = this.now();
    const key = `${this.prefix}${archiveKey(source, id, raw, at)}`;
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: JSON.stringify(archiveRecord(source, id, raw, headers, at)),
        ContentType: 'application/json',
        Metadata: { source, 'event-id': encodeURIComponent(id).slice(0, 512) },
      }),
    );
    return { ref: `s3://${this.bucket}/${key}` };
  }

  async read(ref: string): Promise<ArchivedPayload> {
    const { bucket, key } = parseS3Ref(ref);
    const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new Error(`archived payload ${ref} is empty`);
    return parseArchiveRecord(await out.Body.transformToString('utf8'), ref);
  }
}
