/**
 * Atomic file writes for the local stores (outbox emails, documents, archived payloads): the bytes go
 * to a temporary file in the same folder, which is then renamed over the target. A crash at any point
 * leaves either no file or the whole file, never an empty or half-written one (a reader that finds
 * the file can trust it). Temporary names start with "." and end in ".tmp", so nothing lists them as
 * letters; a crash may leave one behind, harmless.
 */
import { rename, unlink, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

export const tempNameFor = (file: string): string => path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);

export async function writeFileAtomic(file: string, data: string | Uint8Array, hooks: { beforeRename?: () => void | Promise<void> } = {}): Promise<void> {
  const tmp = tempNameFor(file);
  try {
    await writeFile(tmp, data);
    await hooks.beforeRename?.();
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
