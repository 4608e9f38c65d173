/**
 * Mailer over Amazon SES v1 SendRawEmail (attachments need the raw API). nodemailer's MailComposer
 * builds the MIME: multipart/alternative (text + HTML), attachments, RFC 2047 subjects and RFC 2231
 * file names, so Cyrillic survives every hop.
 *
 * Exactly-once matters more than a quick retry here, so failures are told apart:
 * - throttling (Throttling / TooManyRequests / MaxSendingRateExceeded, HTTP 429) and failures before
 *   the request left (connection refused, DNS, connect timeout) → TransientError: nothing was sent,
 *   safe to retry (the state machine retries `TransientError`);
 * - any other 4xx answer → SendError with `ambiguous: false`: SES refused it, nothing was sent;
 * - 5xx answers, timeouts and connection resets after the request was written → SendError with
 *   `ambiguous: true`: SES may have accepted the message; do not blindly resend.
 * The SDK's own retries are switched off for the SES client (functions/adapters/aws-clients.ts) for the same reason (a silent SDK retry
 * after a read timeout could deliver twice).
 *
 * Local SES validates nothing, so addresses are validated here (ValidationError with field issues).
 */
import { domainToASCII } from 'node:url';
import { SendRawEmailCommand, type MessageTag, type SESClient, type SendRawEmailCommandOutput } from '@aws-sdk/client-ses';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import addressparser from 'nodemailer/lib/addressparser/index.js';
import { z } from 'zod';
import { ClaimflowError, ConfigError, TransientError, ValidationError, type FieldIssue } from '../domain/errors.js';
import type { Mailer, OutgoingEmail } from '../ports/index.js';

/** A send that failed for a reason other than throttling. */
export class SendError extends ClaimflowError {
  readonly code = 'SEND_FAILED';
  readonly status = 502;
  /** True when SES may have accepted the message (timeout / reset / 5xx after the request was sent). */
  readonly ambiguous: boolean;
  /** The AWS error name (e.g. MessageRejected), when SES answered. */
  readonly awsCode?: string;
  /** The HTTP status SES answered with, when it answered. */
  readonly httpStatus?: number;
  constructor(message: string, opts: { ambiguous: boolean; cause?: unknown; awsCode?: string; httpStatus?: number }) {
    super(message, { cause: opts.cause });
    this.ambiguous = opts.ambiguous;
    this.awsCode = opts.awsCode;
    this.httpStatus = opts.httpStatus;
  }
}

/** True only when a send failed in a way that may still have delivered the message. */
export function isAmbiguousSendFailure(err: unknown): boolean {
  return err instanceof SendError && err.ambiguous;
}

export interface SesMailerOptions {
  /** An SES v1 client (real, local endpoint, or aws-sdk-client-mock). */
  client: Pick<SESClient, 'send'>;
  /** The verified sender identity, e.g. "ООО Ромашка <billing@example.com>"; the envelope sender and the default From. */
  from: string;
  /** SES configuration set (event destinations for bounces/complaints). */
  configurationSet?: string;
}

/** SES v1 raw message limit. */
export const SES_MAX_RAW_BYTES = 10 * 1024 * 1024;
/** SES v1 limit on recipients per message. */
export const SES_MAX_RECIPIENTS = 50;

/** WHATWG (HTML5) address syntax, run on the punycode form; the domain must have a dot (no bare hosts). */
const zEmail = z.email({ pattern: z.regexes.html5Email });

export interface Mailbox {
  name: string;
  /** ASCII form (IDN domains in punycode). */
  address: string;
}

/** Parses one mailbox ("Name <a@b.c>" or "a@b.c"); returns an issue message instead of throwing. */
export function parseMailbox(raw: string): Mailbox | string {
  if (typeof raw !== 'string' || raw.trim() === '') return 'is empty';
  if (/[\r\n]/.test(raw)) return 'contains a line break';
  const parsed = addressparser(raw, { flatten: true });
  if (parsed.length !== 1) return `must hold exactly one address, found ${parsed.length}`;
  const { name, address } = parsed[0]!;
  // Without angle brackets the whole text must be the address: "ivan petrov@x.ru" is a typo, not a name.
  if (!raw.includes('<') && (name !== '' || address !== raw.trim())) return `"${raw.trim()}" is not an email address`;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return `"${address}" is not an email address`;
  const local = address.slice(0, at);
  const domain = domainToASCII(address.slice(at + 1));
  if (!domain) return `"${address}" has an invalid domain`;
  const ascii = `${local}@${domain}`;
  if (!zEmail.safeParse(ascii).success || !domain.includes('.') || local.length > 64 || ascii.length > 254) {
    return `"${address}" is not a valid email address`;
  }
  return { name, address: ascii };
}

/** Validates recipients, sender and content; throws ValidationError naming each bad field. */
export function validateOutgoingEmail(mail: OutgoingEmail, defaultFrom?: string): { from: Mailbox; to: Mailbox[] } {
  const issues: FieldIssue[] = [];
  const fromRaw = mail.from && mail.from.trim() !== '' ? mail.from : defaultFrom;
  const from = parseMailbox(fromRaw ?? '');
  if (typeof from === 'string') issues.push({ field: 'from', message: from });
  const to: Mailbox[] = [];
  if (!Array.isArray(mail.to) || mail.to.length === 0) issues.push({ field: 'to', message: 'needs at least one recipient' });
  else if (mail.to.length > SES_MAX_RECIPIENTS) issues.push({ field: 'to', message: `has ${mail.to.length} recipients; SES allows ${SES_MAX_RECIPIENTS}` });
  else
    mail.to.forEach((r, i) => {
      const m = parseMailbox(r);
      if (typeof m === 'string') issues.push({ field: `to[${i}]`, message: m });
      else to.push(m);
    });
  if (typeof mail.subject !== 'string' || mail.subject.trim() === '') issues.push({ field: 'subject', message: 'is empty' });
  else if (/[\r\n]/.test(mail.subject)) issues.push({ field: 'subject', message: 'contains a line break' });
  for (const [k, v] of Object.entries(mail.headers ?? {})) {
    if (!/^X-[A-Za-z0-9-]{1,60}$/.test(k) || /[\r\n]/.test(v) || v.length > 500) issues.push({ field: `headers.${k}`, message: 'must be an X- header without line breaks' });
  }
  if (!mail.html && !mail.text) issues.push({ field: 'text', message: 'the email has neither a text nor an HTML body' });
  (mail.attachments ?? []).forEach((a, i) => {
    if (!a.filename || /[\r\n/\\]/.test(a.filename)) issues.push({ field: `attachments[${i}].filename`, message: 'is empty or contains a line break or a slash' });
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(a.contentType ?? '')) issues.push({ field: `attachments[${i}].contentType`, message: `"${a.contentType}" is not a MIME type` });
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return { from: from as Mailbox, to };
}

/** Builds the RFC 5322 message SES sends (the same bytes are written to the local outbox). */
export async function buildRawEmail(mail: OutgoingEmail, opts: { defaultFrom?: string; date?: Date } = {}): Promise<Buffer> {
  return composeRawEmail(mail, validateOutgoingEmail(mail, opts.defaultFrom), opts.date);
}

/** The MIME of a mail whose addresses validateOutgoingEmail has already parsed. */
function composeRawEmail(mail: OutgoingEmail, { from, to }: { from: Mailbox; to: Mailbox[] }, date?: Date): Promise<Buffer> {
  const composer = new MailComposer({
    from: { name: from.name, address: from.address },
    to: to.map((m) => ({ name: m.name, address: m.address })),
    subject: mail.subject,
    text: mail.text || undefined,
    html: mail.html || undefined,
    ...(mail.headers && Object.keys(mail.headers).length ? { headers: mail.headers } : {}),
    date,
    // Letters are Russian: base64 is about half the size of quoted-printable for Cyrillic text and is
    // not chosen by a scan of every body (nodemailer's default picks per body).
    textEncoding: 'base64',
    attachments: (mail.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
    })),
  });
  return composer.compile().build();
}

/** SES tag names and values allow ASCII letters, digits, '_' and '-' (≤ 256 chars); others become '_'. */
export function toSesTags(tags: Record<string, string> | undefined): MessageTag[] | undefined {
  if (!tags) return undefined;
  const clean = (s: string) =>
    String(s)
      .replace(/[^A-Za-z0-9_-]/g, '_')
      .slice(0, 256) || '_';
  const out = Object.entries(tags).map(([Name, Value]) => ({ Name: clean(Name), Value: clean(Value) }));
  return out.length > 0 ? out : undefined;
}

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequests', 'TooManyRequestsException', 'MaxSendingRateExceeded', 'SendingRateExceeded']);
/** Socket errors raised before a byte of the request reached SES. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** Maps an error from SESClient.send to TransientError or SendError (see module comment). */
export function classifySesError(err: unknown): TransientError | SendError {
  const e = (err ?? {}) as {
    name?: string;
    code?: string;
    message?: string;
    Code?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { statusCode?: number };
    $retryable?: { throttling?: boolean };
  };
  const name = e.name ?? e.Code ?? 'Error';
  const message = e.message ?? String(err);
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;

  if (THROTTLING.has(name) || THROTTLING.has(e.Code ?? '') || status === 429 || e.$retryable?.throttling === true || /maximum sending rate exceeded/i.test(message)) {
    return new TransientError(`SES throttled the send (${name}); nothing was sent, retry later`, { cause: err });
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return new SendError(`SES refused the email (${name}, HTTP ${status}): ${message}`, { ambiguous: false, cause: err, awsCode: name, httpStatus: status });
  }
  if (status !== undefined && status >= 500) {
    return new SendError(`SES failed while handling the email (${name}, HTTP ${status}); it may have been accepted: ${message}`, {
      ambiguous: true,
      cause: err,
      awsCode: name,
      httpStatus: status,
    });
  }
  // No HTTP answer.
  const notSent = NOT_SENT_CODES.has(e.code ?? '') || /did not establish a connection/i.test(message);
  if (notSent) {
    return new TransientError(`SES could not be reached (${e.code ?? name}); nothing was sent, retry later`, { cause: err });
  }
  if (name === 'CredentialsProviderError' || name === 'ConfigError') {
    return new SendError(`no AWS credentials to call SES: ${message}`, { ambiguous: false, cause: err, awsCode: name });
  }
  return new SendError(`the SES call ended without an answer (${e.code ?? name}); the email may have been accepted: ${message}`, {
    ambiguous: true,
    cause: err,
    awsCode: name,
  });
}

export function createSesMailer(opts: SesMailerOptions): Mailer {
  const sender = parseMailbox(opts.from);
  if (typeof sender === 'string') throw new ConfigError(`invalid configuration: SES sender "from" ${sender}`);
  return {
    async send(mail: OutgoingEmail): Promise<{ messageId: string; raw: Uint8Array }> {
      const addresses = validateOutgoingEmail(mail, opts.from);
      const { to } = addresses;
      const raw = await composeRawEmail(mail, addresses);
      if (raw.length > SES_MAX_RAW_BYTES) {
        throw new ValidationError([{ field: 'attachments', message: `the message is ${raw.length} bytes; SES accepts at most ${SES_MAX_RAW_BYTES}` }]);
      }
      let out: SendRawEmailCommandOutput;
      try {
        out = await opts.client.send(
          new SendRawEmailCommand({
            RawMessage: { Data: raw },
            Source: sender.address,
            Destinations: to.map((m) => m.address),
            ConfigurationSetName: opts.configurationSet || undefined,
            Tags: toSesTags(mail.tags),
          }),
        );
      } catch (err) {
        throw classifySesError(err);
      }
      if (!out?.MessageId) throw new SendError('SES answered without a MessageId; the email may have been accepted', { ambiguous: true });
      return { messageId: out.MessageId, raw };
    },
  };
}
