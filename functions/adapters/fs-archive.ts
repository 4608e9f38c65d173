/**
 * PayloadArchive + ArchiveReader over the local file system (local stack, CLI). Each payload is one
 * JSON file: { version, source, id, archivedAt, headers, raw, digest, mac }. The reference is a
 * file:// URL.
 *
 * Replay reads only inside the archive folder: a reference elsewhere (file:///etc/passwd,
 * ../../etc/passwd, a symlink out of the folder, anything but a .json record) is refused before
 * anything is read; what is read must carry the archive's seal (archive-integrity.ts).
 */
import { mkdir, readFile, realpath } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from './atomic-file.js';
import { parseSealedRecord, sealRecord, verifyRecord } from './archive-integrity.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { PayloadArchive } from '../ports/index.js';
import type { ArchivedPayload, ArchiveReader } from '../ports/ingest.js';

/** Relative object key of an archived payload: <source>/<YYYY-MM-DD>/<id>-<sha256 prefix>.json */
export function archiveKey(source: string, id: string, raw: string, at: Date): string {
  const safeId = id.replace(/[^A-Za-z0-9_.:@+-]/g, '_').slice(0, 150);
  const digest = createHash('sha256').update(raw).digest('hex').slice(0, 12);
  return `${source}/${at.toISOString().slice(0, 10)}/${safeId}-${digest}.json`;
}

export function archiveRecord(
  source: string,
  id: string,
  raw: string,
  headers: Record<string, string>,
  at: Date,
  macKey?: Uint8Array,
): ArchivedPayload & { version: 2; digest: string; mac?: string } {
  const rec = { source, id, archivedAt: at.toISOString(), headers, raw };
  return { version: 2, ...rec, ...sealRecord(rec, macKey) };
}

/** The refusal of a reference outside the archive: names the field, never the content. */
export const outsideArchive = (what: string) => new ValidationError([{ field: 'archiveRef', message: `${what}: replay reads only archived payloads` }]);

export class FsArchive implements PayloadArchive, ArchiveReader {
  private readonly root: string;
  private readonly macKey: Uint8Array | undefined;
  constructor(opts: { dir: string; now?: () => Date; macKey?: Uint8Array }) {
    this.root = path.resolve(opts.dir);
    this.now = opts.now ?? (() => new Date());
    this.macKey = opts.macKey;
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
    await writeFileAtomic(file, JSON.stringify(archiveRecord(source, id, raw, headers, at, this.macKey)));
    return { ref: pathToFileURL(file).href };
  }

  /** The file a reference names, if it lies inside the archive folder; refuses anything else without reading it. */
  resolveRef(ref: string): string {
    if (typeof ref !== 'string' || ref.trim() === '' || ref.includes('\0') || ref.length > 2048) throw outsideArchive('not an archive reference');
    let file: string;
    if (ref.startsWith('file:')) {
      try {
        file = fileURLToPath(ref);
      } catch {
        throw outsideArchive('not a file reference');
      }
    } else if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(ref) && !/^[A-Za-z]:[\\/]/.test(ref)) throw outsideArchive('not a reference to the local archive');
    else file = path.resolve(this.root, ref);
    const rel = path.relative(this.root, file);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw outsideArchive(`outside the archive folder ${this.root}`);
    if (!/^[a-z]+\/\d{4}-\d{2}-\d{2}\/[^/\\]+-[0-9a-f]{12}\.json$/.test(rel.split(path.sep).join('/')))
      throw outsideArchive('not the name of an archived payload (<source>/<date>/<id>-<digest>.json)');
    return file;
  }

  async read(ref: string): Promise<ArchivedPayload> {
    const file = this.resolveRef(ref);
    // A symlink inside the folder must not lead out of it.
    let real: string;
    try {
      real = await realpath(file);
    } catch {
      throw new NotFoundError('no archived payload under this reference');
    }
    const realRoot = await realpath(this.root).catch(() => this.root);
    const rel = path.relative(realRoot, real);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw outsideArchive('leads outside the archive folder');
    return verifyRecord(parseSealedRecord(await readFile(real, 'utf8')), path.basename(file), this.macKey);
  }
}
