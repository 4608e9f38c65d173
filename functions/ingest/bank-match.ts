/**
 * Matching of 1C bank documents: incoming payments → customers by tax id (INN, KPP) and → invoices
 * by the invoice numbers written in the payment purpose ("по счету № 123", "сч. 415 от …",
 * "счет-фактура 45", "по счетам №12, 13 и 14", "с/ф А-17", "invoice INV-2026-15").
 */
import { createHash } from 'node:crypto';
import { zPaymentReceived, zodFields, type PaymentReceived } from '../domain/ledger/commands.js';
import type { Currency } from '../domain/money.js';
import type { BankDocument, CustomerDirectory } from '../ports/ingest.js';

const KEYWORD = String.raw`(?<![\p{L}\/])(?<!расч\.?\s?)(?:сч[её]т(?:ам|ов|[ауеа])?|сч|с\/ф|с-ф|инвойс(?:ам|у|а|ы)?|invoices?|inv)(?:\s?-\s?фактур\p{L}*|\.?\s?ф\.)?(?![\p{L}])\.?`;
const FILLER = String.raw`\s*(?:на\s+оплату\s*)?(?:от\s+\d{1,2}\.\d{1,2}\.\d{2,4}\s*(?:г\.?)?\s*)?(?:№|N\s|No\.?|#)?\s*`;
const TOKEN = String.raw`(?:\p{L}{1,4}-?)?\d[\p{L}\d\/_-]*`;
const LIST = String.raw`${TOKEN}(?:\s*(?:,|;|\s+и\s+)\s*(?:№\s*)?${TOKEN})*`;
const INVOICE_REF = new RegExp(`${KEYWORD}${FILLER}(${LIST})`, 'giu');
const TOKEN_RE = new RegExp(TOKEN, 'gu');

/** Invoice numbers mentioned in a payment purpose, in order, without duplicates. */
export function extractInvoiceNumbers(purpose: string | undefined): string[] {
  if (!purpose) return [];
  const found: string[] = [];
  for (const m of purpose.matchAll(INVOICE_REF)) {
    for (const t of m[1]!.matchAll(TOKEN_RE)) {
      const token = t[0].replace(/[-/_]+$/, '');
      if (/\d{15,}/.test(token)) continue; // a bank account, not an invoice
      if (!found.includes(token)) found.push(token);
    }
  }
  return found;
}

/** Stable payment id of a bank document: reimporting the same file books nothing twice. */
export function bankPaymentId(doc: Pick<BankDocument, 'date' | 'number' | 'payerInn' | 'amount'>): string {
  const h = createHash('sha256')
    .update(`${doc.date}|${doc.number}|${doc.payerInn ?? ''}|${doc.amount}`)
    .digest('hex');
  return `bank:${h.slice(0, 32)}`;
}

export type BankMatch =
  | { kind: 'skip'; reason: string }
  | { kind: 'review'; reason: string }
  | { kind: 'payment'; command: PaymentReceived; invoiceNumbers: string[]; unmatchedNumbers: string[] };

export interface MatchOptions {
  /** The company's accounts; a document is incoming when ПолучательСчет is one of them (all documents when empty). */
  companyAccounts: readonly string[];
  currency: Currency;
}

export async function matchBankDocument(directory: CustomerDirectory, doc: BankDocument, opts: MatchOptions): Promise<BankMatch> {
  if (opts.companyAccounts.length > 0) {
    if (doc.payerAccount && opts.companyAccounts.includes(doc.payerAccount) && !(doc.payeeAccount && opts.companyAccounts.includes(doc.payeeAccount))) {
      return { kind: 'skip', reason: 'outgoing payment' };
    }
    if (!doc.payeeAccount || !opts.companyAccounts.includes(doc.payeeAccount)) {
      return { kind: 'skip', reason: `payee account ${doc.payeeAccount ?? '(none)'} is not one of the company's accounts` };
    }
  }
  if (!doc.payerInn) return { kind: 'review', reason: 'the payer has no INN: match the customer by hand' };
  const customer = await directory.findCustomerByTaxId(doc.payerInn, doc.payerKpp);
  if (!customer) {
    return { kind: 'review', reason: `no single customer with INN ${doc.payerInn}${doc.payerKpp ? ` / KPP ${doc.payerKpp}` : ''}` };
  }
  const numbers = extractInvoiceNumbers(doc.purpose);
  const invoices = numbers.length ? await directory.findInvoicesByNumber(customer.customerId, numbers) : [];
  const norm = (s: string) => s.replace(/^0+(?=\d)/, '').toLowerCase();
  const matchedNorm = new Set(invoices.map((i) => norm(i.number)));
  const unmatchedNumbers = numbers.filter((n) => !matchedNorm.has(norm(n)));
  // Keep the order in which the payer named them.
  const ordered = numbers.flatMap((n) => invoices.filter((i) => norm(i.number) === norm(n)).map((i) => i.invoiceId));
  const invoiceIds = [...new Set([...ordered, ...invoices.map((i) => i.invoiceId)])];
  const candidate = {
    type: 'payment.received' as const,
    customerId: customer.customerId,
    paymentId: bankPaymentId(doc),
    date: doc.receivedDate ?? doc.date,
    amount: { amount: doc.amount, currency: opts.currency },
    ...(invoiceIds.length ? { invoiceIds } : {}),
    channel: 'bank',
    reference: `п/п № ${doc.number} от ${doc.date}${doc.purpose ? `: ${doc.purpose}` : ''}`.slice(0, 500),
  };
  const r = zPaymentReceived.safeParse(candidate);
  if (!r.success)
    return {
      kind: 'review',
      reason: `not a valid payment: ${zodFields(r.error)
        .map((f) => `${f.field} ${f.message}`)
        .join('; ')}`,
    };
  return { kind: 'payment', command: r.data, invoiceNumbers: numbers, unmatchedNumbers };
}
