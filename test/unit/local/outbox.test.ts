import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFsDocumentStore, createOutboxMailer, outboxFileName } from '../../../bin/local/outbox.js';
import { localSesClient, startLocalSes, type LocalSes } from '../../../bin/local/ses.js';
import { freePort } from '../../../bin/local/ports.js';
import { createSesMailer } from '../../../functions/adapters/ses-mailer.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import type { Mailer, OutgoingEmail } from '../../../functions/ports/index.js';

const mail: OutgoingEmail = {
  from: 'collections@example.com',
  to: ['buh@customer.example'],
  subject: 'Предупреждение о просрочке по счёту № 42',
  html: '<p>Просрочка 10 дней</p>',
  text: 'Просрочка 10 дней',
  attachments: [{ filename: 'Претензия.pdf', contentType: 'application/pdf', content: new Uint8Array(Buffer.from('%PDF-1.4 test')) }],
};
const FIXED = new Date('2026-11-24T06:00:05Z');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'claimflow-outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createOutboxMailer', () => {
  it('writes the composed .eml under emails/<date>/<messageId>.eml and returns the inner result', async () => {
    // Prepare
    const sent: OutgoingEmail[] = [];
    const inner: Mailer = {
      send: async (m) => {
        sent.push(m);
        return { messageId: 'abc-123' };
      },
    };
    const written: string[] = [];
    const mailer = createOutboxMailer(inner, { dir, now: () => FIXED, onWritten: (p) => written.push(p) });

    // Act
    const out = await mailer.send(mail);

    // Assess
    const file = path.join(dir, 'emails', '2026-11-24', 'abc-123.eml');
    expect(out).toEqual({ messageId: 'abc-123' });
    expect(sent).toEqual([mail]);
    expect(written).toEqual([file]);
    const eml = await readFile(file, 'utf8');
    expect(eml).toMatch(/^Subject: =\?UTF-8\?B\?/m);
    expect(eml).toContain('Content-Type: application/pdf');
    expect(eml).toContain('Date: Tue, 24 Nov 2026 06:00:05 +0000');
  });

  it('writes the exact bytes the inner mailer sent when it returns them, and recreates a removed date folder', async () => {
    // Prepare
    const raw = new Uint8Array(Buffer.from('Subject: sent as is\r\n\r\nbody'));
    const mailer = createOutboxMailer({ send: async () => ({ messageId: 'raw-1', raw }) }, { dir, now: () => FIXED });
    await mailer.send(mail);
    await rm(path.join(dir, 'emails'), { recursive: true });

    // Act
    const out = await mailer.send(mail);

    // Assess
    expect(out.messageId).toBe('raw-1');
    expect(new Uint8Array(await readFile(path.join(dir, 'emails', '2026-11-24', 'raw-1.eml')))).toEqual(raw);
  });

  it('does not write when the send fails, and passes the error on', async () => {
    // Prepare
    const boom = new Error('SES down');
    const mailer = createOutboxMailer({ send: async () => Promise.reject(boom) }, { dir, now: () => FIXED });

    // Act
    const err = await mailer.send(mail).catch((e: unknown) => e);

    // Assess
    expect(err).toBe(boom);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps the send result when the .eml cannot be fetched (the email is already out)', async () => {
    // Prepare
    const mailer = createOutboxMailer({ send: async () => ({ messageId: 'm-1' }) }, { dir, now: () => FIXED, emlOf: async () => Promise.reject(new Error('gone')) });

    // Act
    const out = await mailer.send(mail);

    // Assess
    expect(out).toEqual({ messageId: 'm-1' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('makes message ids safe file names', () => {
    // Prepare
    const ids = ['0100018c-aaaa@email.amazonses.com', '../../etc/passwd', 'a/b\\c'];

    // Act
    const names = ids.map(outboxFileName);

    // Assess
    expect(names).toEqual(['0100018c-aaaa@email.amazonses.com.eml', '__.._etc_passwd.eml', 'a_b_c.eml']);
  });
});

describe('createOutboxMailer over local SES', () => {
  let ses: LocalSes;
  beforeAll(async () => {
    ses = await startLocalSes({ port: await freePort() });
  });
  afterAll(async () => {
    await ses?.stop();
  });

  it('writes the exact .eml the local inbox holds', async () => {
    // Prepare
    const mailer = createOutboxMailer(createSesMailer({ client: localSesClient(ses.endpoint), from: 'collections@example.com' }), {
      dir,
      now: () => FIXED,
      emlOf: (id) => ses.emlOf(id),
    });

    // Act
    const { messageId } = await mailer.send(mail);

    // Assess
    const file = path.join(dir, 'emails', '2026-11-24', outboxFileName(messageId));
    const eml = await readFile(file, 'utf8');
    // The server re-renders the message on every request (fresh Message-ID and boundaries): compare the headers that matter.
    const fresh = await ses.emlOf(messageId);
    const header = (text: string, name: string) => new RegExp(`^${name}: .*(?:\\r?\\n[ \\t].*)*`, 'm').exec(text)?.[0];
    for (const h of ['From', 'To', 'Subject']) expect(header(eml, h)).toBe(header(fresh, h));
    expect(header(eml, 'Subject')).toMatch(/^Subject: =\?UTF-8\?/);
    expect(eml).toContain('Content-Type: application/pdf');
    expect(eml).toContain('buh@customer.example');
  });
});

describe('createFsDocumentStore', () => {
  it('puts a document, returns its file:// URI and gets the same bytes back', async () => {
    // Prepare
    const store = createFsDocumentStore(dir);
    const body = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]);

    // Act
    const { uri } = await store.put('letters/2026-11-24/CUST-1/claim.pdf', body, 'application/pdf');
    const back = await store.get('letters/2026-11-24/CUST-1/claim.pdf');

    // Assess
    expect(uri.startsWith('file://')).toBe(true);
    expect(fileURLToPath(uri)).toBe(path.join(dir, 'letters', '2026-11-24', 'CUST-1', 'claim.pdf'));
    expect(back).toBeInstanceOf(Uint8Array);
    expect(Array.from(back!)).toEqual(Array.from(body));
  });

  it('stores strings as UTF-8 and overwrites on a second put', async () => {
    // Prepare
    const store = createFsDocumentStore(dir);
    await store.put('notes/a.txt', 'первый', 'text/plain');

    // Act
    await store.put('notes/a.txt', 'второй', 'text/plain');
    const back = await store.get('notes/a.txt');

    // Assess
    expect(Buffer.from(back!).toString('utf8')).toBe('второй');
    expect(await readdir(path.join(dir, 'notes'))).toEqual(['a.txt']);
  });

  it('puts again after its folder was removed behind its back', async () => {
    // Prepare
    const store = createFsDocumentStore(dir);
    await store.put('letters/2026-11-24/claim/C1.pdf', 'one', 'application/pdf');
    await rm(path.join(dir, 'letters'), { recursive: true });

    // Act
    await store.put('letters/2026-11-24/claim/C1.pdf', 'two', 'application/pdf');

    // Assess
    expect(Buffer.from((await store.get('letters/2026-11-24/claim/C1.pdf'))!).toString('utf8')).toBe('two');
  });

  it('returns undefined for a missing key', async () => {
    // Prepare
    const store = createFsDocumentStore(dir);

    // Act
    const back = await store.get('nope/missing.pdf');

    // Assess
    expect(back).toBeUndefined();
  });

  it.each(['../escape.pdf', 'a/../../escape.pdf', '/etc/passwd', '', 'a\0b'])('refuses the key %j', async (key) => {
    // Prepare
    const store = createFsDocumentStore(dir);

    // Act
    const err = await store.put(key, 'x', 'text/plain').catch((e: unknown) => e);

    // Assess
    expect(err).toBeInstanceOf(ValidationError);
  });
});
