import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mockClient } from 'aws-sdk-client-mock';
import { MessageRejected, SendRawEmailCommand, SESClient, SESServiceException } from '@aws-sdk/client-ses';
import { SendError, classifySesError, createSesMailer, isAmbiguousSendFailure, parseMailbox, toSesTags } from '../../../functions/adapters/ses-mailer.js';
import { ConfigError, TransientError, ValidationError } from '../../../functions/domain/errors.js';
import { createAwsClients } from '../../../functions/adapters/aws-clients.js';
import type { OutgoingEmail } from '../../../functions/ports/index.js';

const ses = mockClient(SESClient);

const mail = (o: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  from: 'ООО «Пример Поставки» <collections@example.com>',
  to: ['buh@customer.example'],
  subject: 'Напоминание об оплате счёта № 42',
  html: '<p>Счёт № 42</p>',
  text: 'Счёт № 42',
  attachments: [{ filename: 'Счёт-42.pdf', contentType: 'application/pdf', content: new Uint8Array([0x25, 0x50, 0x44, 0x46]) }],
  tags: { customerId: 'CUST:0001', stage: 'reminder', runDate: '2026-11-24' },
  ...o,
});

function awsError(name: string, status: number, message = name): SESServiceException {
  return new SESServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message });
}
function socketError(code: string, name = 'Error', message = `socket ${code}`): Error {
  return Object.assign(new Error(message), { code, name });
}

async function sendAndCatch(err: unknown): Promise<unknown> {
  ses.reset();
  ses.on(SendRawEmailCommand).rejects(err as Error);
  const mailer = createSesMailer({ client: new SESClient({ region: 'eu-central-1' }), from: 'collections@example.com' });
  try {
    await mailer.send(mail());
  } catch (e) {
    return e;
  }
  throw new Error('send did not fail');
}

describe('createSesMailer: the SendRawEmail call', () => {
  beforeEach(() => ses.reset());

  it('sends the raw MIME with source, destinations, configuration set and sanitized tags', async () => {
    // Prepare
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'mid-1' });
    const mailer = createSesMailer({ client: new SESClient({ region: 'eu-central-1' }), from: 'Claimflow <collections@example.com>', configurationSet: 'claimflow-prod' });

    // Act
    const out = await mailer.send(mail({ to: ['Иван <ivan@почта.рф>', 'b@customer.example'] }));

    // Assess
    const calls = ses.commandCalls(SendRawEmailCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    // The exact bytes handed to SES come back with the id (the local outbox writes them as the .eml).
    expect(out).toEqual({ messageId: 'mid-1', raw: input.RawMessage!.Data });
    expect(input.Source).toBe('collections@example.com');
    expect(input.Destinations).toEqual(['ivan@xn--80a1acny.xn--p1ai', 'b@customer.example']);
    expect(input.ConfigurationSetName).toBe('claimflow-prod');
    expect(input.Tags).toEqual([
      { Name: 'customerId', Value: 'CUST_0001' },
      { Name: 'stage', Value: 'reminder' },
      { Name: 'runDate', Value: '2026-11-24' },
    ]);
    const raw = Buffer.from(input.RawMessage!.Data!).toString('utf8');
    expect(raw).toMatch(/^Subject: =\?UTF-8\?B\?/m);
    expect(raw).toContain('Content-Type: multipart/mixed');
    expect(raw).toContain('Content-Type: multipart/alternative');
    expect(raw).toContain('Content-Type: application/pdf');
    expect(raw).toContain("filename*0*=utf-8''");
    expect(raw).toContain('JVBERg=='); // %PDF in base64
    // The From header is the mail's own sender, encoded.
    expect(raw).toMatch(/^From: =\?UTF-8\?B\?[^\n]*\n(?:\s[^\n]*\n)*?.*<collections@example\.com>/m);
  });

  it('encodes text and HTML bodies as base64, also when they are mostly ASCII markup', async () => {
    // Prepare: styled HTML is mostly ASCII, for which nodemailer would pick quoted-printable by itself.
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'mid-b64' });
    const mailer = createSesMailer({ client: new SESClient({ region: 'eu-central-1' }), from: 'collections@example.com' });
    const html = `<table style="border-collapse:collapse;width:100%;font-family:Arial,sans-serif">${'<tr><td style="padding:4px">INV-1</td></tr>'.repeat(20)}</table><p>Долг</p>`;

    // Act
    await mailer.send(mail({ html, text: `Invoice INV-1 ${'.'.repeat(200)} долг`, attachments: undefined }));

    // Assess
    const raw = Buffer.from(ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input.RawMessage!.Data!).toString('utf8');
    expect(raw.match(/^Content-Transfer-Encoding: .+$/gm)).toEqual(['Content-Transfer-Encoding: base64', 'Content-Transfer-Encoding: base64']);
  });

  it('omits the configuration set and tags when there are none', async () => {
    // Prepare
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'mid-2' });
    const mailer = createSesMailer({ client: new SESClient({ region: 'eu-central-1' }), from: 'collections@example.com' });

    // Act
    await mailer.send(mail({ tags: undefined, attachments: undefined }));

    // Assess
    const input = ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input;
    expect(input.ConfigurationSetName).toBeUndefined();
    expect(input.Tags).toBeUndefined();
    expect(Buffer.from(input.RawMessage!.Data!).toString('utf8')).not.toContain('multipart/mixed');
  });

  it('falls back to the configured sender when the mail has no From', async () => {
    // Prepare
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'mid-3' });
    const mailer = createSesMailer({ client: new SESClient({ region: 'eu-central-1' }), from: 'collections@example.com' });

    // Act
    await mailer.send(mail({ from: '' }));

    // Assess
    const raw = Buffer.from(ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input.RawMessage!.Data!).toString('utf8');
    expect(raw).toMatch(/^From: collections@example\.com$/m);
  });

  it('refuses bad addresses itself (local SES accepts anything) and never calls SES', async () => {
    // Prepare
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'never' });
    const mailer = createSesMailer({ client: new SESClient({ region: 'eu-central-1' }), from: 'collections@example.com' });

    // Act
    let caught: unknown;
    try {
      await mailer.send(mail({ from: 'not an address', to: ['ok@customer.example', 'broken@', 'a@b', 'x@y.example\r\nBcc: evil@example.com'], subject: '' }));
    } catch (err) {
      caught = err;
    }

    // Assess
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).fields.map((f) => f.field)).toEqual(['from', 'to[1]', 'to[2]', 'to[3]', 'subject']);
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });

  it('refuses an empty recipient list and a message with no body', async () => {
    // Prepare
    const mailer = createSesMailer({ client: new SESClient({ region: 'eu-central-1' }), from: 'collections@example.com' });

    // Act
    const err = await mailer.send(mail({ to: [], html: '', text: '' })).catch((e: unknown) => e);

    // Assess
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields).toEqual([
      { field: 'to', message: 'needs at least one recipient' },
      { field: 'text', message: 'the email has neither a text nor an HTML body' },
    ]);
  });

  it('refuses a bad configured sender at construction with a ConfigError', () => {
    // Prepare
    const create = () => createSesMailer({ client: new SESClient({ region: 'eu-central-1' }), from: 'collections-at-example.com' });

    // Act / Assess
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(/SES sender "from"/);
  });
});

describe('createSesMailer: failures', () => {
  it.each([
    ['Throttling (HTTP 400)', awsError('Throttling', 400, 'Maximum sending rate exceeded.')],
    ['TooManyRequestsException (HTTP 429)', awsError('TooManyRequestsException', 429)],
    ['MaxSendingRateExceeded', awsError('MaxSendingRateExceeded', 400)],
  ])('maps %s to TransientError (nothing sent)', async (_label, err) => {
    // Prepare
    const thrown = err;

    // Act
    const caught = await sendAndCatch(thrown);

    // Assess
    expect(caught).toBeInstanceOf(TransientError);
    expect((caught as Error).name).toBe('TransientError');
    expect((caught as Error).cause).toBe(thrown);
    expect(isAmbiguousSendFailure(caught)).toBe(false);
  });

  it('maps a 4xx refusal to SendError with ambiguous=false, carrying the cause', async () => {
    // Prepare
    const thrown = new MessageRejected({ $metadata: { httpStatusCode: 400 }, message: 'Email address is not verified.' });

    // Act
    const caught = await sendAndCatch(thrown);

    // Assess
    expect(caught).toBeInstanceOf(SendError);
    expect(caught).toMatchObject({ ambiguous: false, awsCode: 'MessageRejected', httpStatus: 400, code: 'SEND_FAILED' });
    expect((caught as Error).cause).toBe(thrown);
  });

  it.each([
    ['a request timeout', socketError('ETIMEDOUT', 'TimeoutError', 'a request has exceeded the configured 20000 ms requestTimeout.')],
    ['a connection reset', socketError('ECONNRESET', 'TimeoutError')],
    ['an unknown network error', socketError('EPIPE')],
    ['a 5xx answer', awsError('InternalFailure', 500)],
  ])('maps %s to SendError with ambiguous=true', async (_label, err) => {
    // Prepare
    const thrown = err;

    // Act
    const caught = await sendAndCatch(thrown);

    // Assess
    expect(caught).toBeInstanceOf(SendError);
    expect((caught as SendError).ambiguous).toBe(true);
    expect(isAmbiguousSendFailure(caught)).toBe(true);
    expect((caught as Error).cause).toBe(thrown);
  });

  it.each([
    ['connection refused', socketError('ECONNREFUSED')],
    ['DNS failure', socketError('ENOTFOUND')],
    [
      'connect timeout',
      Object.assign(new Error('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 3000 ms.'), {
        name: 'TimeoutError',
      }),
    ],
  ])('maps %s (before the request left) to TransientError', async (_label, err) => {
    // Prepare
    const thrown = err;

    // Act
    const caught = await sendAndCatch(thrown);

    // Assess
    expect(caught).toBeInstanceOf(TransientError);
    expect(isAmbiguousSendFailure(caught)).toBe(false);
  });

  it('treats an answer without MessageId as ambiguous', async () => {
    // Prepare
    ses.reset();
    ses.on(SendRawEmailCommand).resolves({});
    const mailer = createSesMailer({ client: new SESClient({ region: 'eu-central-1' }), from: 'collections@example.com' });

    // Act
    const caught = await mailer.send(mail()).catch((e: unknown) => e);

    // Assess
    expect(caught).toBeInstanceOf(SendError);
    expect((caught as SendError).ambiguous).toBe(true);
  });

  it('classifies plain objects without throwing', () => {
    // Prepare
    const inputs: unknown[] = [undefined, null, 'boom', 42, {}];

    // Act
    const out = inputs.map((i) => classifySesError(i));

    // Assess
    expect(out.every((e) => e instanceof SendError && e.ambiguous)).toBe(true);
  });
});

describe('address and tag helpers', () => {
  it.each([
    ['a@b.example', 'a@b.example'],
    ['Иван Петров <ivan.petrov+inv@customer.example>', 'ivan.petrov+inv@customer.example'],
    ['ivan@почта.рф', 'ivan@xn--80a1acny.xn--p1ai'],
  ])('accepts %s', (raw, ascii) => {
    // Prepare
    const input = raw;

    // Act
    const m = parseMailbox(input);

    // Assess
    expect(typeof m).toBe('object');
    expect((m as { address: string }).address).toBe(ascii);
  });

  it.each(['', 'plain', 'a@b', '@b.example', 'a@', 'a@b.example, c@d.example', 'a b@c.example', 'a@-b.example'])('rejects %j', (raw) => {
    // Prepare
    const input = raw;

    // Act
    const m = parseMailbox(input);

    // Assess
    expect(typeof m).toBe('string');
  });

  it('property: nothing with a line break is ever accepted (no header injection)', () => {
    // Prepare
    const arb = fc.tuple(fc.string(), fc.constantFrom('\r', '\n', '\r\n'), fc.string()).map(([a, br, b]) => `${a}${br}${b}`);

    // Act / Assess
    fc.assert(fc.property(arb, (s) => typeof parseMailbox(`x@y.example${s}`) === 'string' && typeof parseMailbox(s) === 'string'));
  });

  it('property: SES tags only ever carry [A-Za-z0-9_-]{1,256}', () => {
    // Prepare
    const arb = fc.dictionary(fc.string({ minLength: 1 }), fc.string({ maxLength: 400 }));

    // Act / Assess
    fc.assert(
      fc.property(arb, (tags) => {
        const out = toSesTags(tags) ?? [];
        expect(out).toHaveLength(Object.keys(tags).length);
        for (const t of out) {
          expect(t.Name).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
          expect(t.Value).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
        }
      }),
    );
  });
});

describe('the SES client (functions/adapters/aws-clients.ts)', () => {
  it('is built once per client set, with SDK retries off and the configured endpoint and region', async () => {
    // Prepare
    const clients = createAwsClients({ ses: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:8005' } });

    // Act
    const a = clients.ses;
    const b = clients.ses;

    // Assess
    expect(b).toBe(a);
    expect(await a.config.region()).toBe('eu-west-1');
    expect(await a.config.maxAttempts()).toBe(1);
    const endpoint = await a.config.endpoint!();
    expect(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe('http://127.0.0.1:8005');
  });
});
