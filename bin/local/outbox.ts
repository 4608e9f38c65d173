/**
 * Local-only adapters:
 * - createOutboxMailer: a Mailer decorator that also writes every sent email as an .eml file under
 *   <dir>/emails/<YYYY-MM-DD>/<messageId>.eml (the date of sending, UTC), so letters can be opened in
 *   any mail client;
 * - createFsDocumentStore: the DocumentStore port over a local folder (file:// URIs), standing in for S3.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { writeFileAtomic } from '../../functions/adapters/atomic-file.js';
import { buildRawEmail } from '../../functions/adapters/ses-mailer.js';
import { ValidationError } from '../../functions/domain/errors.js';
import type { DocumentStore, Mailer, OutgoingEmail } from '../../functions/ports/index.js';

const logger = new Logger({ serviceName: 'claimflow-local', logLevel: (process.env.LOG_LEVEL as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | undefined) ?? 'WARN' });

export interface OutboxMailerOptions {
  /** Outbox root, e.g. `.local/outbox`; emails go to `<dir>/emails/<date>/`. */
  dir: string;
  /**
   * Source of the .eml when the inner mailer does not return the `raw` MIME it sent: pass the local
   * SES's `emlOf` to store exactly what its inbox holds. Without either, the MIME is composed from the
   * OutgoingEmail with the same builder the SES mailer uses.
   */
  emlOf?: (messageId: string) => Promise<string | Uint8Array>;
  /** Sender used when the mail has none (as configured on the SES mailer). */
  defaultFrom?: string;
  /** Clock for the date folder (default: the machine clock). */
  now?: () => Date;
  /** Told the path of every file written. */
  onWritten?: (filePath: string, messageId: string) => void;
}

/** File-name-safe form of a message id. */
export function outboxFileName(messageId: string): string {
  return `${messageId.replace(/[^A-Za-z0-9._@-]/g, '_').replace(/^\.+/, '_') || 'message'}.eml`;
}

/**
 * Decorates `inner`: sends first, then writes the .eml (atomically: a crash never leaves an empty copy). Writing is best effort: the email is already
 * sent, so a failed write is logged and never turned into a send failure (a retry would send twice).
 */
export function createOutboxMailer(inner: Mailer, opts: OutboxMailerOptions): Mailer {
  const now = opts.now ?? (() => new Date());
  const folders = new KnownFolders();
  return {
    async send(mail: OutgoingEmail) {
      const result = await inner.send(mail);
      const sentAt = now();
      try {
        const eml = result.raw ?? (opts.emlOf ? await opts.emlOf(result.messageId) : await buildRawEmail(mail, { defaultFrom: opts.defaultFrom, date: sentAt }));
        const folder = path.join(opts.dir, 'emails', sentAt.toISOString().slice(0, 10));
        const file = path.join(folder, outboxFileName(result.messageId));
        await folders.write(folder, () => writeFileAtomic(file, eml));
        opts.onWritten?.(file, result.messageId);
      } catch (err) {
        logger.warn('sent, but could not write the email to the local outbox', { messageId: result.messageId, dir: opts.dir, error: err as Error });
      }
      return result;
    },
  };
}

/**
 * Folders this process has created: a recursive mkdir of an existing folder still costs a few system
 * calls, once per email or document. A folder removed behind our back is created again on ENOENT.
 */
class KnownFolders {
  private readonly made = new Set<string>();
  async ensure(folder: string): Promise<void> {
    if (this.made.has(folder)) return;
    await mkdir(folder, { recursive: true });
    this.made.add(folder);
  }
  /** Runs write; if the folder vanished since it was made, makes it again and retries once. */
  async write<T>(folder: string, write: () => Promise<T>): Promise<T> {
    await this.ensure(folder);
    try {
      return await write();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.made.delete(folder);
      await this.ensure(folder);
      return write();
    }
  }
}

/** Resolves a document key inside root; refuses absolute keys and keys escaping root. */
function resolveKey(root: string, key: string): string {
  if (typeof key !== 'string' || key.trim() === '' || key.includes('\0')) {
    throw new ValidationError([{ field: 'key', message: 'must be a non-empty path' }]);
  }
  if (path.isAbsolute(key) || /^[A-Za-z]:/.test(key)) throw new ValidationError([{ field: 'key', message: `"${key}" must be relative` }]);
  const abs = path.resolve(root, key);
  const rel = path.relative(path.resolve(root), abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new ValidationError([{ field: 'key', message: `"${key}" points outside the document store` }]);
  }
  return abs;
}

/** DocumentStore over a local folder: put writes <root>/<key> (atomically) and returns its file:// URI. */
export function createFsDocumentStore(root: string): DocumentStore & { root: string; pathOf(key: string): string } {
  const absRoot = path.resolve(root);
  const folders = new KnownFolders();
  return {
    root: absRoot,
    pathOf: (key: string) => resolveKey(absRoot, key),
    async put(key: string, body: Uint8Array | string, _contentType: string) {
      const file = resolveKey(absRoot, key);
      await folders.write(path.dirname(file), () => writeFileAtomic(file, body));
      return { uri: pathToFileURL(file).href };
    },
    async get(key: string) {
      const file = resolveKey(absRoot, key);
      try {
        const buf = await readFile(file);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
  };
}
