/**
 * Letters, documents and archived payloads are written atomically (issue 12, item 5): a write that
 * dies half way (modelled by a writeFile that leaves an empty file and throws, as a kill -9 between
 * create and write would) leaves no file under the real name, so an empty copy never reads as a letter.
 */
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const crash = { on: false };
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const writeFile = (async (file: string, data: unknown, opts?: unknown) => {
    if (!crash.on) return real.writeFile(file as never, data as never, opts as never);
    await real.writeFile(file as never, '');
    throw new Error('killed in the middle of the write');
  }) as typeof real.writeFile;
  return { ...real, default: { ...real, writeFile }, writeFile };
});

const { createOutboxMailer, createFsDocumentStore } = await import('../../../bin/local/outbox.js');
const { FsArchive } = await import('../../../functions/adapters/fs-archive.js');

async function filesUnder(dir: string): Promise<{ name: string; size: number }[]> {
  const out: { name: string; size: number }[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    out.push({ name: path.relative(dir, p), size: (await stat(p)).size });
  }
  return out;
}
const visible = (files: { name: string }[]) => files.filter((f) => !path.basename(f.name).startsWith('.'));

afterEach(() => {
  crash.on = false;
});

describe('atomic local writes', () => {
  it('an email whose .eml write dies leaves no empty .eml', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'atomic-outbox-'));
    const mailer = createOutboxMailer({ send: async () => ({ messageId: 'm-1', raw: Buffer.from('MIME') }) }, { dir });
    crash.on = true;
    // Act
    await mailer.send({ from: 'a@b.ru', to: ['c@d.ru'], subject: 's', text: 't', html: '' });
    crash.on = false;
    // Assess
    expect(visible(await filesUnder(dir))).toEqual([]);
  });

  it('a complete email is written under its name', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'atomic-outbox-'));
    const mailer = createOutboxMailer({ send: async () => ({ messageId: 'm-2', raw: Buffer.from('MIME') }) }, { dir });
    // Act
    await mailer.send({ from: 'a@b.ru', to: ['c@d.ru'], subject: 's', text: 't', html: '' });
    // Assess
    const files = await filesUnder(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ size: 4 });
    expect(files[0]!.name).toMatch(/m-2\.eml$/);
  });

  it('a document whose write dies leaves no file under its key', async () => {
    // Prepare
    const store = createFsDocumentStore(await mkdtemp(path.join(tmpdir(), 'atomic-docs-')));
    crash.on = true;
    // Act
    await expect(store.put('letters/2026-11-24/claim/c-1.pdf', new Uint8Array([1, 2, 3]), 'application/pdf')).rejects.toThrow(/killed/);
    crash.on = false;
    // Assess
    expect(await store.get('letters/2026-11-24/claim/c-1.pdf')).toBeUndefined();
  });

  it('an archived payload whose write dies leaves no record', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'atomic-archive-'));
    const archive = new FsArchive({ dir });
    crash.on = true;
    // Act
    await expect(archive.archive('billing', 'evt-1', '{"a":1}', {})).rejects.toThrow(/killed/);
    crash.on = false;
    // Assess
    expect(visible(await filesUnder(dir))).toEqual([]);
  });
});
