/**
 * Ledger commands: the one vocabulary every input (own webhook, Stripe, YooKassa, CloudPayments,
 * 1C bank file, CLI) is mapped to. Validated with zod; amounts are decimal strings with currency.
 * This file is the contract between ingestion (functions/ingest) and the ledger (functions/domain/ledger).
 */
import { z } from 'zod';
import { Decimal } from 'decimal.js';
import { DECIMAL_RE, isCurrency, minorUnits } from '../money.js';
import { isCalendarDate, type CalendarDate } from '../dates.js';

export const zDate = z
  .string()
  .refine(isCalendarDate, { message: 'must be a real calendar date YYYY-MM-DD' })
  .transform((s) => s as CalendarDate);

export const zCurrency = z.string().refine(isCurrency, { message: 'unknown currency' });

/** A decimal string amount (no floats, no exponent). Decimal places are checked against the currency by zMoney. */
export const zDecimal = z.string().regex(DECIMAL_RE, { message: 'must be a decimal string such as "1250.00"' });

export const zMoney = z
  .object({ amount: zDecimal, currency: zCurrency })
  .superRefine((m, ctx) => {
    if (m.amount.startsWith('-')) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'must not be negative' });
    if (isCurrency(m.currency)) {
      const dp = (m.amount.split('.')[1] ?? '').length;
      if (dp > minorUnits(m.currency)) {
        ctx.addIssue({ code: 'custom', path: ['amount'], message: `${m.currency} allows at most ${minorUnits(m.currency)} decimals` });
      }
    }
  })
  .transform((m) => ({ amount: m.amount, currency: m.currency as import('../money.js').Currency }));

export const zPositiveMoney = zMoney.refine((m) => new Decimal(m.amount).gt(0), {
  message: 'must be greater than zero',
  path: ['amount'],
});

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\p{L}\p{N}_.:/#@+-]+$/u, { message: 'letters, digits and _.:/#@+- only' });
export const zId = id;

export const zPenaltyRule = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('contractual'), ratePctPerDay: zDecimal, capPct: zDecimal.optional(), clause: z.string().max(200).optional() }),
  z.object({ rule: z.literal('interest395'), clause: z.string().max(200).optional() }),
  z.object({ rule: z.literal('housing'), clause: z.string().max(200).optional() }),
]);
export type PenaltyRule = z.infer<typeof zPenaltyRule>;

export const zAddress = z.object({
  postalCode: z.string().max(20).optional(),
  country: z.string().max(80).optional(),
  city: z.string().max(120),
  line1: z.string().max(300),
  line2: z.string().max(300).optional(),
});

export const zCustomerUpsert = z.object({
  type: z.literal('customer.upsert'),
  customerId: id,
  legalName: z.string().min(1).max(300),
  taxId: z
    .string()
    .regex(/^\d{10}(\d{2})?$/, { message: 'INN must be 10 or 12 digits' })
    .optional(),
  kpp: z
    .string()
    .regex(/^\d{9}$/, { message: 'KPP must be 9 digits' })
    .optional(),
  emails: z.array(z.email()).max(10).default([]),
  phone: z.string().max(40).optional(),
  postalAddress: zAddress.optional(),
  locale: z.enum(['ru', 'en']).default('ru'),
  segment: z.string().max(60).default('wholesale'),
  manager: z.string().max(120).optional(),
  paymentTermsDays: z.number().int().min(0).max(365).optional(),
  creditLimit: zMoney.optional(),
});

export const zContractUpsert = z.object({
  type: z.literal('contract.upsert'),
  customerId: id,
  contractId: id,
  number: z.string().min(1).max(60),
  date: zDate,
  currency: zCurrency,
  paymentTermsDays: z.number().int().min(0).max(365).default(0),
  penalty: zPenaltyRule.optional(),
  /**
   * Days the debtor has to answer the pre-trial claim before a suit may be filed (АПК РФ ст. 4 ч. 5:
   * 30 calendar days unless the contract sets another term). Absent = 30.
   */
  claimPeriodDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .optional()
    .describe('Days the debtor has to answer the pre-trial claim before a suit may be filed (АПК РФ ст. 4 ч. 5); absent = 30.'),
});

export const zInvoiceIssued = z.object({
  type: z.literal('invoice.issued'),
  customerId: id,
  contractId: id.optional(),
  invoiceId: id,
  number: z.string().min(1).max(60),
  issueDate: zDate,
  dueDate: zDate,
  amount: zPositiveMoney,
  /** The order system's order this invoice bills: it consumes that order's credit reservation. */
  orderId: id.optional(),
});

export const zInvoiceVoided = z.object({
  type: z.literal('invoice.voided'),
  customerId: id,
  invoiceId: id,
  date: zDate,
  reason: z.string().max(500).optional(),
});

export const zCreditNote = z.object({
  type: z.literal('creditNote.issued'),
  customerId: id,
  creditNoteId: id,
  invoiceId: id.optional(),
  date: zDate,
  amount: zPositiveMoney,
  reason: z.string().max(500).optional(),
});

export const zPaymentReceived = z.object({
  type: z.literal('payment.received'),
  customerId: id,
  paymentId: id,
  /** The day the money arrived (never earlier). */
  date: zDate,
  amount: zPositiveMoney,
  /** Invoices the payer named, in order of preference. */
  invoiceIds: z.array(id).max(200).optional(),
  /** Explicit split per named invoice, when the source states it. */
  allocations: z
    .array(z.object({ invoiceId: id, amount: zPositiveMoney }))
    .max(200)
    .optional(),
  /** Where the money came from: 'webhook', 'stripe', 'yookassa', 'cloudpayments', 'bank', 'aggregator', 'writ'. */
  channel: z.string().max(40).default('webhook'),
  reference: z.string().max(500).optional(),
});

export const zPaymentReversed = z.object({
  type: z.literal('payment.reversed'),
  customerId: id,
  paymentId: id,
  date: zDate,
  reason: z.string().max(500).optional(),
});

export const zRefundIssued = z.object({
  type: z.literal('refund.issued'),
  customerId: id,
  refundId: id,
  paymentId: id.optional(),
  date: zDate,
  amount: zPositiveMoney,
});

export const zWriteOff = z.object({
  type: z.literal('writeOff.recorded'),
  customerId: id,
  writeOffId: id,
  invoiceId: id,
  date: zDate,
  amount: zPositiveMoney,
  reason: z.string().min(1).max(500),
});

export const zLedgerCommand = z.discriminatedUnion('type', [
  zCustomerUpsert,
  zContractUpsert,
  zInvoiceIssued,
  zInvoiceVoided,
  zCreditNote,
  zPaymentReceived,
  zPaymentReversed,
  zRefundIssued,
  zWriteOff,
]);
export type LedgerCommand = z.infer<typeof zLedgerCommand>;
export type CustomerUpsert = z.infer<typeof zCustomerUpsert>;
export type ContractUpsert = z.infer<typeof zContractUpsert>;
export type InvoiceIssued = z.infer<typeof zInvoiceIssued>;
export type PaymentReceived = z.infer<typeof zPaymentReceived>;

/** The unique, idempotent key of the ledger entry a command creates. */
export function entryKey(c: LedgerCommand): string {
  switch (c.type) {
    case 'customer.upsert':
      return `customer:${c.customerId}`;
    case 'contract.upsert':
      return `contract:${c.contractId}`;
    case 'invoice.issued':
      return `invoice:${c.invoiceId}`;
    case 'invoice.voided':
      return `void:${c.invoiceId}`;
    case 'creditNote.issued':
      return `credit:${c.creditNoteId}`;
    case 'payment.received':
      return `payment:${c.paymentId}`;
    case 'payment.reversed':
      return `reversal:${c.paymentId}`;
    case 'refund.issued':
      return `refund:${c.refundId}`;
    case 'writeOff.recorded':
      return `writeoff:${c.writeOffId}`;
  }
}

/** The business date of a command, for closed-period checks (profiles have none). */
export function entryDate(c: LedgerCommand): CalendarDate | undefined {
  switch (c.type) {
    case 'customer.upsert':
    case 'contract.upsert':
      return undefined;
    case 'invoice.issued':
      return c.issueDate;
    default:
      return c.date;
  }
}

/** Converts zod issues into field-level errors ("payload.amount.amount: must be …"). */
export function zodFields(err: z.ZodError, prefix = ''): { field: string; message: string }[] {
  return err.issues.map((i) => ({ field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)', message: i.message }));
}
