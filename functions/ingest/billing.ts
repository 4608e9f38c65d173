/**
 * The product's own billing webhook (1C and other billing systems).
 *
 * Signature: `X-Claimflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<rawBody>")>`.
 * Several v1 values may be sent; several secrets may be configured (rotation): any match passes.
 * Body: an envelope { eventId, type, occurredAt?, data } where `type` selects the ledger command and
 * `data` holds that command's fields (without `type`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  zContractUpsert,
  zCreditNote,
  zCustomerUpsert,
  zId,
  zInvoiceIssued,
  zInvoiceVoided,
  zPaymentReceived,
  zPaymentReversed,
  zRefundIssued,
  zWriteOff,
  type LedgerCommand,
} from '../domain/ledger/commands.js';
import { AuthenticationError } from '../domain/errors.js';
import type { WebhookSource } from './source.js';
import { header, parseJsonBody, parsePayload } from './common.js';

export const BILLING_SIGNATURE_HEADER = 'x-claimflow-signature';

/** Command schemas by envelope type, in documentation order. */
export const BILLING_COMMANDS = {
  'customer.upsert': zCustomerUpsert,
  'contract.upsert': zContractUpsert,
  'invoice.issued': zInvoiceIssued,
  'invoice.voided': zInvoiceVoided,
  'creditNote.issued': zCreditNote,
  'payment.received': zPaymentReceived,
  'payment.reversed': zPaymentReversed,
  'refund.issued': zRefundIssued,
  'writeOff.recorded': zWriteOff,
} as const;
export type BillingEventType = keyof typeof BILLING_COMMANDS;

function envelopeOf<T extends string, D extends z.ZodType>(type: T, data: D) {
  return z
    .object({
      eventId: zId.describe('Unique id of this event in the sending system; a redelivery carries the same id.'),
      type: z.literal(type),
      occurredAt: z.iso.datetime({ offset: true }).optional().describe('When the event happened in the sending system (ISO 8601).'),
      data,
    })
    .strict()
    .meta({ title: type });
}

export const zBillingEnvelope = z.discriminatedUnion('type', [
  envelopeOf('customer.upsert', zCustomerUpsert.omit({ type: true }).strict()),
  envelopeOf('contract.upsert', zContractUpsert.omit({ type: true }).strict()),
  envelopeOf('invoice.issued', zInvoiceIssued.omit({ type: true }).strict()),
  envelopeOf('invoice.voided', zInvoiceVoided.omit({ type: true }).strict()),
  envelopeOf('creditNote.issued', zCreditNote.omit({ type: true }).strict()),
  envelopeOf('payment.received', zPaymentReceived.omit({ type: true }).strict()),
  envelopeOf('payment.reversed', zPaymentReversed.omit({ type: true }).strict()),
  envelopeOf('refund.issued', zRefundIssued.omit({ type: true }).strict()),
  envelopeOf('writeOff.recorded', zWriteOff.omit({ type: true }).strict()),
]);
export type BillingEnvelope = z.infer<typeof zBillingEnvelope>;

/** The ledger command an envelope carries. */
export function envelopeCommand(e: BillingEnvelope): LedgerCommand {
  return { ...e.data, type: e.type } as LedgerCommand;
}

/** Builds the signature header value (for senders, docs and tests). */
export function signBilling(rawBody: string | Uint8Array, secret: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, unixSeconds, rawBody)}`;
}

function hmacHex(secret: string, t: number | string, rawBody: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
}

/**
 * Verifies the billing signature header. Throws AuthenticationError (missing, malformed, expired
 * or wrong signature). Comparison is constant-time.
 */
export function verifyBillingSignature(rawBody: Uint8Array, header: string | undefined, secrets: readonly string[], now: Date, toleranceSeconds: number): void {
  if (!header) throw new AuthenticationError(`missing ${BILLING_SIGNATURE_HEADER} header`);
  let t: string | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't') t = v;
    else if (k === 'v1') v1.push(v);
  }
  if (!t || !/^\d{1,12}$/.test(t) || v1.length === 0) {
    throw new AuthenticationError(`malformed ${BILLING_SIGNATURE_HEADER} header: expected t=<unix seconds>,v1=<hex>`);
  }
  const ageSeconds = Math.floor(now.getTime() / 1000) - Number(t);
  if (Math.abs(ageSeconds) > toleranceSeconds) {
    throw new AuthenticationError(`signature timestamp outside the tolerance window of ${toleranceSeconds} s`);
  }
  if (secrets.length === 0) throw new AuthenticationError('no billing webhook secret is configured');
  for (const secret of secrets) {
    const expected = Buffer.from(hmacHex(secret, t, rawBody), 'hex');
    for (const candidate of v1) {
      if (!/^[0-9a-fA-F]{64}$/.test(candidate)) continue;
      const got = Buffer.from(candidate, 'hex');
      if (got.length === expected.length && timingSafeEqual(got, expected)) return;
    }
  }
  throw new AuthenticationError('signature does not match');
}

export const billingSource: WebhookSource = {
  name: 'billing',
  enabled: (config) => config.billingSecrets.length > 0,
  authenticateAndParse(req, ctx) {
    verifyBillingSignature(req.rawBody, header(req.headers, BILLING_SIGNATURE_HEADER), ctx.config.billingSecrets, ctx.now, ctx.config.signatureToleranceSeconds);
    return parseJsonBody(req.rawBody);
  },
  parseTrusted: (raw) => parseJsonBody(raw),
  map(payload) {
    const envelope = parsePayload(zBillingEnvelope, payload);
    return { kind: 'command', eventId: envelope.eventId, command: envelopeCommand(envelope) };
  },
};
