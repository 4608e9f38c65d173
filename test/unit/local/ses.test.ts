import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSesClient, startLocalSes, type LocalSes } from '../../../bin/local/ses.js';
import { freePort, PortBusyError } from '../../../bin/local/ports.js';
import { createSesMailer } from '../../../functions/adapters/ses-mailer.js';
import type { OutgoingEmail } from '../../../functions/ports/index.js';

const PDF = new Uint8Array(Buffer.from('%PDF-1.4\n% claimflow test letter\n%%EOF\n'));

function reminder(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    from: 'ООО «Пример Поставки» <collections@example.com>',
    to: ['Бухгалтерия <buh@customer.example>'],
    subject: 'Напоминание: счёт № 42 на 12 345,67 ₽ — срок 27.11.2026',
    html: '<p>Здравствуйте! Напоминаем об оплате счёта <b>№ 42</b>.</p>',
    text: 'Здравствуйте! Напоминаем об оплате счёта № 42.',
    attachments: [{ filename: 'Счёт-42.pdf', contentType: 'application/pdf', content: PDF }],
    tags: { customerId: 'CUST-0001', stage: 'reminder', runDate: '2026-11-24' },
    ...overrides,
  };
}

describe('local SES (aws-ses-v2-local) round trip', () => {
  let ses: LocalSes;
  beforeAll(async () => {
    ses = await startLocalSes({ port: await freePort() });
  });
  afterAll(async () => {
    await ses?.stop();
  });

  it('stores a SendRawEmail with a Cyrillic subject, HTML, text and a PDF attachment', async () => {
    // Prepare
    await ses.clear();
    const mailer = createSesMailer({ client: localSesClient(ses.endpoint), from: 'collections@example.com', configurationSet: 'claimflow-local' });

    // Act
    const { messageId } = await mailer.send(reminder());
    const emails = await ses.listEmails();

    // Assess
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email!.messageId).toBe(messageId);
    expect(email!.subject).toBe('Напоминание: счёт № 42 на 12 345,67 ₽ — срок 27.11.2026');
    expect(email!.from).toContain('collections@example.com');
    expect(email!.from).toContain('ООО «Пример Поставки»');
    expect(email!.destination.to.join(',')).toContain('buh@customer.example');
    expect(email!.body.html).toContain('<b>№ 42</b>');
    expect(email!.body.text).toContain('Напоминаем об оплате счёта № 42.');
    expect(email!.attachments).toHaveLength(1);
    expect(email!.attachments[0]!.filename).toBe('Счёт-42.pdf');
    expect(email!.attachments[0]!.contentType).toBe('application/pdf');
    expect(Buffer.from(email!.attachments[0]!.content, 'base64')).toEqual(Buffer.from(PDF));
    expect(email!.attachments[0]!.size).toBe(PDF.byteLength);
  });

  it('gives the message back as .eml, and clear() empties the store', async () => {
    // Prepare
    await ses.clear();
    const mailer = createSesMailer({ client: localSesClient(ses.endpoint), from: 'collections@example.com' });
    const { messageId } = await mailer.send(reminder({ subject: 'Претензия по договору № 7' }));

    // Act
    const eml = await ses.emlOf(messageId);
    await ses.clear();
    const after = await ses.listEmails();

    // Assess
    expect(eml).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(eml).toContain('Content-Type: application/pdf');
    expect(eml).toMatch(/Content-Type: multipart\/alternative/);
    expect(after).toEqual([]);
    await expect(ses.emlOf(messageId)).rejects.toThrow(/no email/);
  });

  it('filters by since (whole seconds)', async () => {
    // Prepare
    await ses.clear();
    const mailer = createSesMailer({ client: localSesClient(ses.endpoint), from: 'collections@example.com' });
    await mailer.send(reminder());

    // Act
    const past = await ses.listEmails(new Date(Date.now() - 3_600_000));
    const future = await ses.listEmails(new Date(Date.now() + 3_600_000));

    // Assess
    expect(past).toHaveLength(1);
    expect(future).toHaveLength(0);
  });

  it('serves the web inbox', async () => {
    // Prepare
    const url = ses.inboxUrl;

    // Act
    const res = await fetch(url);
    const html = await res.text();

    // Assess
    expect(res.status).toBe(200);
    expect(html.toLowerCase()).toContain('<html');
  });
});

describe('startLocalSes on a busy port', () => {
  it('throws PortBusyError naming the port instead of crashing', async () => {
    // Prepare
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));

    // Act
    let caught: unknown;
    try {
      await startLocalSes({ port });
    } catch (err) {
      caught = err;
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }

    // Assess
    expect(caught).toBeInstanceOf(PortBusyError);
    expect((caught as PortBusyError).port).toBe(port);
    expect((caught as Error).message).toContain(`Port ${port} (local SES) is already in use`);
  });
});
