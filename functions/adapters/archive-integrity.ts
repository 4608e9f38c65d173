/**
 * Integrity of archived webhook payloads (issue 12, item 4). Replay must read only what the archive
 * wrote, and only from the archive:
 * - every record carries `digest`, the SHA-256 of its canonical content (source, id, archivedAt,
 *   headers, raw), and `mac`, an HMAC-SHA256 of that digest under the archive's key when it has one
 *   (the local archive keeps its key outside the archive folder, `<data dir>/secrets/archive-mac.key`);
 * - the object name ends in the first 12 hex digits of SHA-256(raw), so the reference a dead letter or
 *   a ledger entry carries pins the payload;
 * - a record whose digest, name or MAC does not match is refused (409 ARCHIVE_TAMPERED), and so is a
 *   record without a MAC where the archive has a key.
 * Error messages never quote the file's content.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ClaimflowError } from '../domain/errors.js';
import type { ArchivedPayload } from '../ports/ingest.js';

export class ArchiveIntegrityError extends ClaimflowError {
  readonly code = 'ARCHIVE_TAMPERED';
  readonly status = 409;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function canonical(r: Pick<ArchivedPayload, 'source' | 'id' | 'archivedAt' | 'headers' | 'raw'>): string {
  const headers = Object.keys(r.headers)
    .sort()
    .map((k) => [k, r.headers[k]]);
  return JSON.stringify(['claimflow-archive-v2', r.source, r.id, r.archivedAt, headers, r.raw]);
}

export function sealRecord(r: Pick<ArchivedPayload, 'source' | 'id' | 'archivedAt' | 'headers' | 'raw'>, macKey?: Uint8Array): { digest: string; mac?: string } {
  const digest = sha256(canonical(r));
  return { digest, ...(macKey ? { mac: createHmac('sha256', macKey).update(digest).digest('hex') } : {}) };
}

/** Parses the stored text of a record; a text that is not one is refused without quoting it. */
export function parseSealedRecord(text: string): ArchivedPayload & { digest?: string; mac?: string } {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ArchiveIntegrityError('the archived object is not an archived webhook payload');
  }
  if (!rec || typeof rec !== 'object' || typeof rec.source !== 'string' || typeof rec.id !== 'string' || typeof rec.raw !== 'string' || typeof rec.archivedAt !== 'string') {
    throw new ArchiveIntegrityError('the archived object is not an archived webhook payload');
  }
  const headers = rec.headers && typeof rec.headers === 'object' ? (rec.headers as Record<string, string>) : {};
  return {
    source: rec.source,
    id: rec.id,
    raw: rec.raw,
    headers,
    archivedAt: rec.archivedAt,
    ...(typeof rec.digest === 'string' ? { digest: rec.digest } : {}),
    ...(typeof rec.mac === 'string' ? { mac: rec.mac } : {}),
  };
}

/** Checks a record against its object name and the archive's key; returns the payload or throws ArchiveIntegrityError. */
export function verifyRecord(rec: ArchivedPayload & { digest?: string; mac?: string }, objectName: string, macKey?: Uint8Array): ArchivedPayload {
  const { digest, mac } = sealRecord(rec, macKey);
  if (rec.digest !== digest) throw new ArchiveIntegrityError('the archived payload does not match its recorded digest: it was changed after archiving, or never archived');
  const nameDigest = /-([0-9a-f]{12})\.json$/.exec(objectName)?.[1];
  if (nameDigest !== sha256(rec.raw).slice(0, 12)) throw new ArchiveIntegrityError('the archived payload does not match the digest in its name');
  if (macKey) {
    if (!rec.mac || !mac || rec.mac.length !== mac.length || !timingSafeEqual(Buffer.from(rec.mac), Buffer.from(mac))) {
      throw new ArchiveIntegrityError("the archived payload does not carry the archive's seal: it was not written by this archive");
    }
  }
  return { source: rec.source, id: rec.id, raw: rec.raw, headers: rec.headers, archivedAt: rec.archivedAt };
}
