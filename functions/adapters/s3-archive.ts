/**
 * PayloadArchive + ArchiveReader over S3. One JSON object per payload
 * ({ version, source, id, archivedAt, headers, raw, digest, mac? }) under <prefix><source>/<date>/<id>-<hash>.json;
 * the reference is s3://<bucket>/<key>.
 *
 * Replay reads only this archive: another bucket, a key outside the prefix or not named like an
 * archived payload is refused before any request; what is read must match its digest and name
 * (archive-integrity.ts). Only the webhook function may write under the prefix (IAM).
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { PayloadArchive } from '../ports/index.js';
import type { ArchivedPayload, ArchiveReader } from '../ports/ingest.js';
import { archiveKey, archiveRecord, outsideArchive } from './fs-archive.js';
import { parseSealedRecord, verifyRecord } from './archive-integrity.js';

export function parseS3Ref(ref: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(ref);
  if (!m) throw outsideArchive('not an s3:// reference');
  return { bucket: m[1]!, key: m[2]! };
}

export class S3Archive implements PayloadArchive, ArchiveReader {
  private readonly s3: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly now: () => Date;
  private readonly macKey: Uint8Array | undefined;

  constructor(opts: { bucket: string; prefix?: string; s3: S3Client; now?: () => Date; macKey?: Uint8Array }) {
    this.s3 = opts.s3;
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ?? 'webhooks/';
    this.now = opts.now ?? (() => new Date());
    this.macKey = opts.macKey;
  }

  async archive(source: string, id: string, raw: string, headers: Record<string, string>): Promise<{ ref: string }> {
    const at = this.now();
    const key = `${this.prefix}${archiveKey(source, id, raw, at)}`;
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: JSON.stringify(archiveRecord(source, id, raw, headers, at, this.macKey)),
        ContentType: 'application/json',
        Metadata: { source, 'event-id': encodeURIComponent(id).slice(0, 512) },
      }),
    );
    return { ref: `s3://${this.bucket}/${key}` };
  }

  /** Bucket and key of a reference inside this archive; refuses anything else without a request. */
  resolveRef(ref: string): { bucket: string; key: string } {
    const { bucket, key } = parseS3Ref(typeof ref === 'string' ? ref : '');
    if (bucket !== this.bucket) throw outsideArchive(`not in the archive bucket ${this.bucket}`);
    if (!key.startsWith(this.prefix)) throw outsideArchive(`not under the archive prefix ${this.prefix}`);
    if (!/^[a-z]+\/\d{4}-\d{2}-\d{2}\/[^/\\]+-[0-9a-f]{12}\.json$/.test(key.slice(this.prefix.length))) {
      throw outsideArchive('not the name of an archived payload (<source>/<date>/<id>-<digest>.json)');
    }
    return { bucket, key };
  }

  async read(ref: string): Promise<ArchivedPayload> {
    const { bucket, key } = this.resolveRef(ref);
    const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new Error(`archived payload ${ref} is empty`);
    return verifyRecord(parseSealedRecord(await out.Body.transformToString('utf8')), key, this.macKey);
  }
}
