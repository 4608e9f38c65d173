import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FsArchive } from '../../../functions/adapters/fs-archive.js';
import { parseS3Ref } from '../../../functions/adapters/s3-archive.js';

describe('payload archive', () => {
  it('file-system archive round-trips the exact raw body and headers under a file:// reference', async () => {
    // Prepare
    const dir = mkdtempSync(path.join(tmpdir(), 'claimflow-archive-'));
    const archive = new FsArchive({ dir, now: () => new Date('2026-11-20T09:00:00Z') });
    const raw = '{"eventId":"evt/1","note":"Оплата по счету № 415"}';
    // Act
    const { ref } = await archive.archive('billing', 'evt/1', raw, { 'x-claimflow-signature': 't=1,v1=ab' });
    const back = await archive.read(ref);
    // Assess
    expect(ref).toMatch(/^file:\/\/.*\/billing\/2026-11-20\/evt_1-[0-9a-f]{12}\.json$/);
    expect(back).toEqual({ source: 'billing', id: 'evt/1', raw, headers: { 'x-claimflow-signature': 't=1,v1=ab' }, archivedAt: '2026-11-20T09:00:00.000Z' });
  });

  it('parses s3:// references', () => {
    // Prepare
    const ref = 's3://claimflow-docs/archive/stripe/2026-11-20/evt_1-abc.json';
    // Act
    const parsed = parseS3Ref(ref);
    // Assess
    expect(parsed).toEqual({ bucket: 'claimflow-docs', key: 'archive/stripe/2026-11-20/evt_1-abc.json' });
    expect(() => parseS3Ref('file:///x')).toThrow(/not an s3:\/\//);
  });
});
