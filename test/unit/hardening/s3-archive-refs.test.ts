/** The S3 archive reads only its own bucket and prefix, and only what it sealed (issue 12, item 4). */
import { describe, expect, it } from 'vitest';
import { S3Archive } from '../../../functions/adapters/s3-archive.js';

function fakeS3() {
  const objects = new Map<string, string>();
  const sends: string[] = [];
  const s3 = {
    async send(cmd: { constructor: { name: string }; input: { Bucket: string; Key: string; Body?: string } }) {
      sends.push(`${cmd.constructor.name} ${cmd.input.Bucket}/${cmd.input.Key}`);
      if (cmd.constructor.name === 'PutObjectCommand') objects.set(`${cmd.input.Bucket}/${cmd.input.Key}`, cmd.input.Body!);
      const body = objects.get(`${cmd.input.Bucket}/${cmd.input.Key}`);
      return body === undefined ? {} : { Body: { transformToString: async () => body } };
    },
  };
  return { s3, objects, sends };
}

describe('S3 archive references', () => {
  it.each(['s3://other-bucket/archive/billing/2026-11-20/e-0123456789ab.json', 's3://docs/letters/2026-11-20/x.pdf', 's3://docs/archive/../letters/x.json', 'file:///etc/passwd'])(
    'refuses %s without a request',
    async (ref) => {
      // Prepare
      const { s3, sends } = fakeS3();
      const archive = new S3Archive({ bucket: 'docs', prefix: 'archive/', s3: s3 as never });
      // Act / Assess
      await expect(archive.read(ref)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(sends).toEqual([]);
    },
  );

  it('replays what it archived, refuses it once changed', async () => {
    // Prepare
    const { s3, objects } = fakeS3();
    const archive = new S3Archive({ bucket: 'docs', prefix: 'archive/', s3: s3 as never, now: () => new Date('2026-11-20T09:00:00Z') });
    const { ref } = await archive.archive('billing', 'evt-1', '{"amount":"10.00"}', {});
    // Act
    const back = await archive.read(ref);
    const key = [...objects.keys()][0]!;
    objects.set(key, objects.get(key)!.replace('10.00', '99.00'));
    // Assess
    expect(back.raw).toBe('{"amount":"10.00"}');
    await expect(archive.read(ref)).rejects.toMatchObject({ code: 'ARCHIVE_TAMPERED' });
  });
});
