/**
 * Stripe webhooks, verified with the official SDK (`Stripe.webhooks.constructEvent`).
 *
 * Booked events (see docs/webhooks.md):
 *  - invoice.finalized        → invoice.issued   (amount = total; a zero invoice is acknowledged, not booked)
 *  - invoice.paid             → payment.received (amount_paid; paid_out_of_band invoices are not booked:
 *                                                 that money arrives through another channel, e.g. the bank)
 *  - payment_intent.succeeded → payment.received for stand-alone payments only (a payment intent of an
 *                                                 invoice, or one without claimflow metadata, is acknowledged
 *                                                 and not booked: invoice.paid books that money)
 *  - charge.succeeded         → payment.received only for legacy charges without a payment intent
 *  - charge.refunded          → refund.issued for the newly refunded part
 *                               (amount_refunded − previous_attributes.amount_refunded)
 * Everything else is acknowledged (200, "ignored").
 *
 * Customer: metadata.claimflow_customer_id (required on booked objects). Invoice link:
 * metadata.claimflow_invoice_id, else the Stripe invoice id. Contract: metadata.claimflow_contract_id.
 */
import Stripe from 'stripe';
import { z } from 'zod';
import { AuthenticationError, ValidationError } from '../domain/errors.js';
import { MAX_UNIX_SECONDS } from '../domain/instants.js';
import { header, minorToDecimal, parseJsonBody, parsePayload, unixToDate, validateCommand } from './common.js';
import type { Mapped, SourceContext, WebhookSource } from './source.js';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

const zMeta = z.record(z.string(), z.string()).default({});
const zMinor = z.number().int().min(0);
const zUnix = z.number().int().positive().max(MAX_UNIX_SECONDS, { message: 'is not a unix time in seconds' });

const zEvent = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created: zUnix,
  data: z.object({ object: z.record(z.string(), z.unknown()), previous_attributes: z.record(z.string(), z.unknown()).optional() }),
});

const zInvoice = z.object({
  id: z.string().min(1),
  number: z.string().nullish(),
  currency: z.string().min(3),
  total: zMinor,
  amount_paid: zMinor.default(0),
  created: zUnix,
  due_date: zUnix.nullish(),
  paid_out_of_band: z.boolean().default(false),
  status_transitions: z.object({ finalized_at: zUnix.nullish(), paid_at: zUnix.nullish() }).partial().default({}),
  metadata: zMeta,
});

const zPaymentIntent = z.object({
  id: z.string().min(1),
  amount_received: zMinor,
  currency: z.string().min(3),
  invoice: z.unknown().optional(),
  metadata: zMeta,
});

const zCharge = z.object({
  id: z.string().min(1),
  amount: zMinor,
  amount_refunded: zMinor.default(0),
  currency: z.string().min(3),
  payment_intent: z.string().nullish(),
  invoice: z.unknown().optional(),
  metadata: zMeta,
});

const OBJ = 'data.object';
const customerIdOf = (meta: Record<string, string>): string => {
  const id = meta['claimflow_customer_id'];
  if (!id) throw new ValidationError([{ field: `${OBJ}.metadata.claimflow_customer_id`, message: 'is required to book this event' }]);
  return id;
};
const invoiceIdsOf = (meta: Record<string, string>): string[] | undefined => {
  const v = meta['claimflow_invoice_id'];
  return v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
};
const moneyMap = (amountField: string) => ({
  'amount.amount': `${OBJ}.${amountField}`,
  'amount.currency': `${OBJ}.currency`,
  amount: `${OBJ}.${amountField}`,
  customerId: `${OBJ}.metadata.claimflow_customer_id`,
  invoiceIds: `${OBJ}.metadata.claimflow_invoice_id`,
  invoiceId: `${OBJ}.metadata.claimflow_invoice_id`,
  contractId: `${OBJ}.metadata.claimflow_contract_id`,
});

export function mapStripeEvent(payload: unknown, ctx: SourceContext): Mapped {
  const event = parsePayload(zEvent, payload);
  const tz = ctx.config.timeZone;
  const eventId = event.id;
  const obj = event.data.object;
  const ignored = (reason: string): Mapped => ({ kind: 'ignored', eventId, reason });

  switch (event.type) {
    case 'invoice.finalized': {
      const inv = parsePayload(zInvoice, obj, OBJ);
      if (inv.total === 0) return ignored('zero invoice');
      const issueDate = unixToDate(inv.status_transitions.finalized_at ?? inv.created, tz);
      const command = validateCommand(
        {
          type: 'invoice.issued',
          customerId: customerIdOf(inv.metadata),
          contractId: inv.metadata['claimflow_contract_id'],
          invoiceId: inv.metadata['claimflow_invoice_id'] ?? inv.id,
          number: inv.number ?? inv.id,
          issueDate,
          dueDate: inv.due_date ? unixToDate(inv.due_date, tz) : issueDate,
          amount: { amount: minorToDecimal(inv.total, inv.currency), currency: inv.currency.toUpperCase() },
        },
        { ...moneyMap('total'), number: `${OBJ}.number`, dueDate: `${OBJ}.due_date` },
      );
      return { kind: 'command', eventId, command };
    }
    case 'invoice.paid': {
      const inv = parsePayload(zInvoice, obj, OBJ);
      if (inv.paid_out_of_band) return ignored('paid out of band: booked from the channel that received the money');
      if (inv.amount_paid === 0) return ignored('nothing paid (zero amount)');
      const command = validateCommand(
        {
          type: 'payment.received',
          customerId: customerIdOf(inv.metadata),
          paymentId: `stripe:${inv.id}`,
          date: unixToDate(inv.status_transitions.paid_at ?? event.created, tz),
          amount: { amount: minorToDecimal(inv.amount_paid, inv.currency), currency: inv.currency.toUpperCase() },
          invoiceIds: invoiceIdsOf(inv.metadata) ?? [inv.id],
          channel: 'stripe',
          reference: inv.number ?? inv.id,
        },
        moneyMap('amount_paid'),
      );
      return { kind: 'command', eventId, command };
    }
    case 'payment_intent.succeeded': {
      const pi = parsePayload(zPaymentIntent, obj, OBJ);
      if (pi.invoice) return ignored('payment of a Stripe invoice: booked from invoice.paid');
      if (!pi.metadata['claimflow_customer_id']) return ignored('no metadata.claimflow_customer_id: not a claimflow payment (invoice payments are booked from invoice.paid)');
      const command = validateCommand(
        {
          type: 'payment.received',
          customerId: customerIdOf(pi.metadata),
          paymentId: `stripe:${pi.id}`,
          date: unixToDate(event.created, tz),
          amount: { amount: minorToDecimal(pi.amount_received, pi.currency), currency: pi.currency.toUpperCase() },
          invoiceIds: invoiceIdsOf(pi.metadata),
          channel: 'stripe',
          reference: pi.id,
        },
        moneyMap('amount_received'),
      );
      return { kind: 'command', eventId, command };
    }
    case 'charge.succeeded': {
      const ch = parsePayload(zCharge, obj, OBJ);
      if (ch.payment_intent) return ignored('charge of a payment intent: booked from payment_intent.succeeded or invoice.paid');
      if (ch.invoice) return ignored('charge of a Stripe invoice: booked from invoice.paid');
      const command = validateCommand(
        {
          type: 'payment.received',
          customerId: customerIdOf(ch.metadata),
          paymentId: `stripe:${ch.id}`,
          date: unixToDate(event.created, tz),
          amount: { amount: minorToDecimal(ch.amount, ch.currency), currency: ch.currency.toUpperCase() },
          invoiceIds: invoiceIdsOf(ch.metadata),
          channel: 'stripe',
          reference: ch.id,
        },
        moneyMap('amount'),
      );
      return { kind: 'command', eventId, command };
    }
    case 'charge.refunded': {
      const ch = parsePayload(zCharge, obj, OBJ);
      const prevRaw = event.data.previous_attributes?.['amount_refunded'];
      const previous = typeof prevRaw === 'number' && Number.isInteger(prevRaw) && prevRaw >= 0 ? prevRaw : 0;
      const delta = ch.amount_refunded - previous;
      if (delta <= 0) return ignored('no newly refunded amount');
      const payment = ch.invoice ? undefined : (ch.payment_intent ?? ch.id);
      const command = validateCommand(
        {
          type: 'refund.issued',
          customerId: customerIdOf(ch.metadata),
          // The cumulative refunded total identifies this refund step: a redelivery books nothing new.
          refundId: `stripe:${ch.id}:${ch.amount_refunded}`,
          paymentId: payment ? `stripe:${payment}` : undefined,
          date: unixToDate(event.created, tz),
          amount: { amount: minorToDecimal(delta, ch.currency), currency: ch.currency.toUpperCase() },
        },
        moneyMap('amount_refunded'),
      );
      return { kind: 'command', eventId, command };
    }
    default:
      return ignored(`event type ${event.type} is not booked`);
  }
}

export const stripeSource: WebhookSource = {
  name: 'stripe',
  enabled: (config) => config.stripeSecrets.length > 0,
  authenticateAndParse(req, ctx: SourceContext) {
    const sig = header(req.headers, STRIPE_SIGNATURE_HEADER);
    if (!sig) throw new AuthenticationError(`missing ${STRIPE_SIGNATURE_HEADER} header`);
    let lastError: unknown;
    for (const secret of ctx.config.stripeSecrets) {
      try {
        return Stripe.webhooks.constructEvent(req.rawBody, sig, secret, ctx.config.signatureToleranceSeconds, undefined, ctx.now.getTime());
      } catch (err) {
        if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
          lastError = err;
          continue;
        }
        if (err instanceof SyntaxError) {
          throw new ValidationError([{ field: '(body)', message: `is not valid JSON (${err.message})` }], { cause: err });
        }
        throw err;
      }
    }
    throw new AuthenticationError(`Stripe signature verification failed: ${(lastError as Error | undefined)?.message ?? 'no secret configured'}`, {
      cause: lastError,
    });
  },
  parseTrusted: (raw) => parseJsonBody(raw),
  map: mapStripeEvent,
};
