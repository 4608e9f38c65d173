/**
 * YooKassa notifications. No signature: authenticity is the sender IP, checked against an allowlist
 * of CIDRs (configuration; default YooKassa's published ranges). No event id: the dedupe key is
 * `<event>:<object.id>`.
 *
 *  - payment.succeeded → payment.received (customer: object.metadata.claimflow_customer_id,
 *                        invoices: object.metadata.claimflow_invoice_id, comma-separated allowed)
 *  - refund.succeeded  → refund.issued    (customer: object.metadata.claimflow_customer_id;
 *                        paymentId links to the payment object.payment_id)
 *  - payment.canceled and anything else → acknowledged (200), nothing stored.
 */
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';
import { AuthenticationError, ValidationError } from '../domain/errors.js';
import { instantToDate, parseJsonBody, parsePayload, validateCommand } from './common.js';
import type { Mapped, SourceContext, WebhookSource } from './source.js';

/** Builds a matcher for CIDRs / single addresses (IPv4 and IPv6, IPv4-mapped IPv6 senders included). */
export function ipAllowlist(cidrs: readonly string[]): (ip: string | undefined) => boolean {
  const list = new BlockList();
  for (const entry of cidrs) {
    const [addr, prefix] = entry.trim().split('/');
    const family = isIP(addr ?? '');
    if (!addr || family === 0) throw new Error(`invalid allowlist entry "${entry}"`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(addr, type);
    else {
      const bits = Number(prefix);
      if (!/^\d{1,3}$/.test(prefix) || bits > (family === 6 ? 128 : 32)) throw new Error(`invalid allowlist entry "${entry}"`);
      list.addSubnet(addr, bits, type);
    }
  }
  return (ip) => {
    if (!ip) return false;
    let candidate = ip.trim();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(candidate);
    if (mapped) candidate = mapped[1]!;
    const family = isIP(candidate);
    if (family === 0) return false;
    return list.check(candidate, family === 6 ? 'ipv6' : 'ipv4');
  };
}

const allowlists = new Map<string, (ip: string | undefined) => boolean>();
function allowlistFor(cidrs: readonly string[]) {
  const key = cidrs.join(',');
  let m = allowlists.get(key);
  if (!m) {
    m = ipAllowlist(cidrs);
    allowlists.set(key, m);
  }
  return m;
}

const zMeta = z
  .record(
    z.string(),
    z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v == null ? undefined : String(v))),
  )
  .default({});
const zNotification = z.object({
  type: z.literal('notification'),
  event: z.string().min(1),
  object: z.object({ id: z.string().min(1) }).loose(),
});
const zAmount = z.object({ value: z.string(), currency: z.string() });
const zPayment = z.object({
  id: z.string().min(1),
  status: z.string(),
  amount: zAmount,
  captured_at: z.string().optional(),
  created_at: z.string(),
  description: z.string().optional(),
  metadata: zMeta,
});
const zRefund = z.object({
  id: z.string().min(1),
  payment_id: z.string().min(1),
  status: z.string(),
  amount: zAmount,
  created_at: z.string(),
  metadata: zMeta,
});

const fieldMap = {
  'amount.amount': 'object.amount.value',
  'amount.currency': 'object.amount.currency',
  amount: 'object.amount.value',
  customerId: 'object.metadata.claimflow_customer_id',
  invoiceIds: 'object.metadata.claimflow_invoice_id',
  date: 'object.created_at',
};

function requireCustomer(meta: Record<string, string | undefined>): string {
  const id = meta['claimflow_customer_id'];
  if (!id) throw new ValidationError([{ field: 'object.metadata.claimflow_customer_id', message: 'is required to book this event' }]);
  return id;
}

function dateOf(text: string | undefined, field: string, tz: string) {
  const d = text ? instantToDate(text, tz) : undefined;
  if (!d) throw new ValidationError([{ field, message: 'must be an ISO 8601 instant' }]);
  return d;
}

export function mapYooKassa(payload: unknown, ctx: SourceContext): Mapped {
  const n = parsePayload(zNotification, payload);
  const eventId = `${n.event}:${n.object.id}`;
  const tz = ctx.config.timeZone;
  switch (n.event) {
    case 'payment.succeeded': {
      const p = parsePayload(zPayment, n.object, 'object');
      const inv = p.metadata['claimflow_invoice_id'];
      const command = validateCommand(
        {
          type: 'payment.received',
          customerId: requireCustomer(p.metadata),
          paymentId: `yookassa:${p.id}`,
          date: dateOf(p.captured_at ?? p.created_at, p.captured_at ? 'object.captured_at' : 'object.created_at', tz),
          amount: { amount: p.amount.value, currency: p.amount.currency },
          invoiceIds: inv
            ? inv
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : undefined,
          channel: 'yookassa',
          reference: p.description ?? p.id,
        },
        fieldMap,
      );
      return { kind: 'command', eventId, command };
    }
    case 'refund.succeeded': {
      const r = parsePayload(zRefund, n.object, 'object');
      const command = validateCommand(
        {
          type: 'refund.issued',
          customerId: requireCustomer(r.metadata),
          refundId: `yookassa:${r.id}`,
          paymentId: `yookassa:${r.payment_id}`,
          date: dateOf(r.created_at, 'object.created_at', tz),
          amount: { amount: r.amount.value, currency: r.amount.currency },
        },
        fieldMap,
      );
      return { kind: 'command', eventId, command };
    }
    case 'payment.canceled':
      return { kind: 'ignored', eventId, reason: 'payment canceled: no money moved' };
    default:
      return { kind: 'ignored', eventId, reason: `event ${n.event} is not booked` };
  }
}

export const yookassaSource: WebhookSource = {
  name: 'yookassa',
  enabled: (config) => config.yookassaAllowedCidrs.length > 0,
  authenticateAndParse(req, ctx) {
    if (!allowlistFor(ctx.config.yookassaAllowedCidrs)(req.sourceIp)) {
      throw new AuthenticationError(`sender ${req.sourceIp ?? '(unknown)'} is not in the YooKassa IP allowlist`);
    }
    return parseJsonBody(req.rawBody);
  },
  parseTrusted: (raw) => parseJsonBody(raw),
  map: mapYooKassa,
};
