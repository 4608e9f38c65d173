/**
 * CloudPayments notifications (Pay, Refund, Fail).
 *
 * Authenticity: `Content-HMAC` or `X-Content-HMAC` = base64 HMAC-SHA256(API secret, raw body)
 * (X-Content-HMAC is also accepted over the URL-decoded body, as CloudPayments computes it).
 * Bodies are form-encoded (default) or JSON. The reply is {"code":0}.
 *
 * Kind: the sub-route /webhooks/cloudpayments/{pay|refund|fail} when configured that way, else
 * inferred: OperationType=Refund → refund; a Reason/ReasonCode without Status → fail; else pay.
 *  - Pay (Status Completed) → payment.received  paymentId cloudpayments:<TransactionId>;
 *    Status Authorized (two-stage, not captured) → acknowledged, not booked.
 *  - Refund → refund.issued  refundId cloudpayments:<TransactionId>, paymentId cloudpayments:<PaymentTransactionId>
 *  - Fail → acknowledged, nothing stored.
 * AccountId → customer id (required to book); InvoiceId → invoice id.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AuthenticationError, ValidationError } from '../domain/errors.js';
import { isCurrency, minorUnits } from '../domain/money.js';
import { header, instantToDate, majorAmountText, padDecimals, parseJsonBody, parsePayload, validateCommand } from './common.js';
import type { Mapped, SourceContext, WebhookSource } from './source.js';

export function signCloudPayments(rawBody: string | Uint8Array, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

function sameBase64(candidate: string, expected: string): boolean {
  const a = Buffer.from(candidate.trim(), 'base64');
  const b = Buffer.from(expected, 'base64');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

export function verifyCloudPayments(rawBody: Buffer, headers: Record<string, string>, secrets: readonly string[]): void {
  const contentHmac = header(headers, 'content-hmac');
  const xContentHmac = header(headers, 'x-content-hmac');
  if (!contentHmac && !xContentHmac) throw new AuthenticationError('missing Content-HMAC / X-Content-HMAC header');
  if (secrets.length === 0) throw new AuthenticationError('no CloudPayments API secret is configured');
  let decoded: string | undefined;
  try {
    decoded = decodeURIComponent(rawBody.toString('utf8').replace(/\+/g, ' '));
  } catch {
    decoded = undefined;
  }
  for (const secret of secrets) {
    const overRaw = signCloudPayments(rawBody, secret);
    if (contentHmac && sameBase64(contentHmac, overRaw)) return;
    if (xContentHmac && sameBase64(xContentHmac, overRaw)) return;
    if (xContentHmac && decoded !== undefined && sameBase64(xContentHmac, signCloudPayments(decoded, secret))) return;
  }
  throw new AuthenticationError('CloudPayments HMAC does not match');
}

/** Parses a form-encoded or JSON CloudPayments body into a flat object. */
export function parseCloudPaymentsBody(raw: Buffer, headers: Record<string, string>): Record<string, unknown> {
  const text = raw.toString('utf8');
  const ct = header(headers, 'content-type') ?? '';
  if (ct.includes('json') || /^\s*\{/.test(text)) {
    const parsed = parseJsonBody(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ValidationError([{ field: '(body)', message: 'must be a JSON object' }]);
    }
    return parsed as Record<string, unknown>;
  }
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  if (Object.keys(out).length === 0) throw new ValidationError([{ field: '(body)', message: 'is empty' }]);
  return out;
}

const zIdText = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/, 'must be a number')]).transform(String);
const zText = z.union([z.string(), z.number()]).transform(String);
const zNotification = z.object({
  TransactionId: zIdText,
  Amount: z.union([z.number(), z.string()]).transform(majorAmountText),
  Currency: z.string().min(1),
  DateTime: z.string().min(1),
  InvoiceId: zText.optional(),
  AccountId: zText.optional(),
  OperationType: z.string().optional(),
  Status: z.string().optional(),
  PaymentTransactionId: zIdText.optional(),
  Reason: z.string().optional(),
  ReasonCode: zText.optional(),
  Description: z.string().optional(),
});

export type CloudPaymentsKind = 'pay' | 'refund' | 'fail';

export function cloudPaymentsKind(n: { OperationType?: string; Status?: string; Reason?: string; ReasonCode?: string }, subPath?: string): CloudPaymentsKind {
  const explicit = subPath?.toLowerCase();
  if (explicit === 'pay' || explicit === 'refund' || explicit === 'fail') return explicit;
  if (n.OperationType?.toLowerCase() === 'refund') return 'refund';
  if (!n.Status && (n.Reason !== undefined || (n.ReasonCode !== undefined && n.ReasonCode !== '0'))) return 'fail';
  return 'pay';
}

const fieldMap = {
  'amount.amount': 'Amount',
  'amount.currency': 'Currency',
  amount: 'Amount',
  customerId: 'AccountId',
  invoiceIds: 'InvoiceId',
  date: 'DateTime',
};

export function mapCloudPayments(payload: unknown, ctx: SourceContext): Mapped {
  const n = parsePayload(zNotification, payload);
  const kind = cloudPaymentsKind(n, ctx.subPath);
  const eventId = `${kind}:${n.TransactionId}`;
  if (kind === 'fail') return { kind: 'ignored', eventId, reason: `payment failed: ${n.Reason ?? n.ReasonCode ?? 'no reason given'}` };
  if (kind === 'pay' && n.Status && n.Status !== 'Completed') {
    return { kind: 'ignored', eventId, reason: `payment status ${n.Status}: booked only when completed` };
  }
  if (!n.AccountId) throw new ValidationError([{ field: 'AccountId', message: 'is required: it names the claimflow customer' }]);
  const date = instantToDate(n.DateTime, ctx.config.timeZone);
  if (!date) throw new ValidationError([{ field: 'DateTime', message: 'must be "YYYY-MM-DD HH:mm:ss" (UTC) or ISO 8601' }]);
  const currency = n.Currency.toUpperCase();
  const amount = { amount: isCurrency(currency) ? padDecimals(n.Amount, minorUnits(currency)) : n.Amount, currency };
  const command =
    kind === 'pay'
      ? validateCommand(
          {
            type: 'payment.received',
            customerId: n.AccountId,
            paymentId: `cloudpayments:${n.TransactionId}`,
            date,
            amount,
            invoiceIds: n.InvoiceId ? [n.InvoiceId] : undefined,
            channel: 'cloudpayments',
            reference: n.Description ?? n.TransactionId,
          },
          fieldMap,
        )
      : validateCommand(
          {
            type: 'refund.issued',
            customerId: n.AccountId,
            refundId: `cloudpayments:${n.TransactionId}`,
            paymentId: n.PaymentTransactionId ? `cloudpayments:${n.PaymentTransactionId}` : undefined,
            date,
            amount,
          },
          fieldMap,
        );
  return { kind: 'command', eventId, command };
}

export const cloudpaymentsSource: WebhookSource = {
  name: 'cloudpayments',
  enabled: (config) => config.cloudpaymentsSecrets.length > 0,
  authenticateAndParse(req, ctx: SourceContext) {
    verifyCloudPayments(req.rawBody, req.headers, ctx.config.cloudpaymentsSecrets);
    return parseCloudPaymentsBody(req.rawBody, req.headers);
  },
  parseTrusted: (raw, headers) => parseCloudPaymentsBody(raw, headers),
  map: mapCloudPayments,
  successBody: () => ({ code: 0 }),
};
