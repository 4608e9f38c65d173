/**
 * PayloadArchive + ArchiveReader over the local file system (local stack, CLI). Each payload is one
 * JSON file: { version, source, id, archivedAt, headers, raw }. The reference is a file:// URL.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file.js';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PayloadArchive } from '../ports/index.js';
import type { ArchivedPayload, ArchiveReader } from '../ports/ingest.js';

/** Relative object key of an archived payload: <source>/<YYYY-MM-DD>/<id>-<sha256 prefix>.json */
export function archiveKey(source: string, id: string, raw: string, at: Date): string {
  const safeId = id.replace(/[^A-Za-z0-9_.:@+-]/g, '_').slice(0, 150);
  const digest = createHash('sha256').update(raw).digest('hex').slice(0, 12);
  return `${source}/${at.toISOString().slice(0, 10)}/${safeId}-${digest}.json`;
}

export function archiveRecord(source: string, id: string, raw: string, headers: Record<string, string>, at: Date): ArchivedPayload & { version: 1 } {
  return { version: 1, source, id, archivedAt: at.toISOString(), headers, raw };
}

export function parseArchiveRecord(text: string, ref: string): ArchivedPayload {
  const rec = JSON.parse(text) as Partial<ArchivedPayload>;
  if (typeof rec.source !== 'string' || typeof rec.id !== 'string' || typeof rec.raw !== 'string') {
    throw new Error(`${ref} is not an archived webhook payload`);
  }
  return { source: rec.source, id: rec.id, raw: rec.raw, headers: rec.headers ?? {}, archivedAt: rec.archivedAt ?? '' };
}

export class FsArchive implements PayloadArchive, ArchiveReader {
  private readonly root: string;
  constructor(opts: { dir: string; now?: () => Date }) {
    this.root = path.resolve(opts.dir);
    this.now = opts.now ?? (() => new Date());
  }
  private readonly now: () => Date;
  /** Folders already created (one per source and day): no mkdir per payload. */
  private readonly dirs = new Set<string>();

  async archive(source: string, id: string, raw: string, headers: Record<string, string>): Promise<{ ref: string }> {
    const at = this.now();
    const file = path.join(this.root, archiveKey(source, id, raw, at));
    const dir = path.dirname(file);
    if (!this.dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.dirs.add(dir);
    }
    await writeFileAtomic(file, JSON.stringify(archiveRecord(source, id, raw, headers, at)));
    return { ref: pathToFileURL(file).href };
  }

  async read(ref: string): Promise<ArchivedPayload> {
    const file = ref.startsWith('file:') ? fileURLToPath(ref) : path.resolve(this.root, ref);
    return parseArchiveRecord(await readFile(file, 'utf8'), ref);
  }
}
