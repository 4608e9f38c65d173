/**
 * Reconciliation statement (акт сверки взаимных расчетов) for one customer, one currency and a period
 * [from, to]: opening balance, every document of the period in date order with its debit and credit,
 * closing balance. Pure: computed from the customer's entries.
 *
 * Sign: balance > 0 means the customer owes the company (debit balance, "в пользу <компании>").
 * Closing = opening + Σ debit − Σ credit of the rows, and equals the open invoices (and refund debits)
 * minus unapplied credit at `to` (both are reported so the reader can check).
 */
import { Decimal } from 'decimal.js';
import { ValidationError } from '../errors.js';
import { addDays, formatRu, type CalendarDate } from '../dates.js';
import { money, type Currency } from '../money.js';
import type { LedgerCommand } from './commands.js';
import { foldLedger, type DocumentEffect, type DocumentKind, type LedgerState } from './fold.js';

export interface StatementRow {
  date: CalendarDate;
  kind: DocumentKind;
  entryKey: string;
  documentId: string;
  number?: string;
  invoiceId?: string;
  /** Russian wording for the printed statement. */
  description: string;
  debit: string;
  credit: string;
  /** Running balance after this row. */
  balance: string;
}

export interface ReconciliationStatement {
  customerId: string;
  customer?: { legalName: string; taxId?: string; kpp?: string };
  currency: Currency;
  from: CalendarDate;
  to: CalendarDate;
  opening: { balance: string; debit: string; credit: string };
  rows: StatementRow[];
  turnover: { debit: string; credit: string };
  closing: { balance: string; debit: string; credit: string };
  /** State at `to`: open invoices and unapplied credit, whose difference is the closing balance. */
  atClose: {
    openInvoices: { invoiceId: string; number: string; issueDate: CalendarDate; dueDate: CalendarDate; outstanding: string }[];
    refundDebits: string;
    unappliedCredit: string;
  };
}

const KIND_RU: Record<DocumentKind, (d: DocumentEffect) => string> = {
  invoice: (d) => `Счет № ${d.number ?? d.documentId}`,
  void: (d) => `Аннулирование счета № ${d.number ?? d.invoiceId ?? d.documentId}`,
  'credit-note': (d) => `Корректировка (кредит-нота ${d.documentId}${d.number ? `, счет № ${d.number}` : ''})`,
  'write-off': (d) => `Списание задолженности по счету № ${d.number ?? d.invoiceId ?? ''}`.trim(),
  payment: (d) => `Оплата${d.number ? ` (${d.number})` : ` ${d.documentId}`}`,
  reversal: (d) => `Отмена оплаты${d.number ? ` (${d.number})` : ` ${d.documentId}`}`,
  refund: (d) => `Возврат денежных средств ${d.documentId}`,
};

export function describeDocument(d: DocumentEffect): string {
  return KIND_RU[d.kind](d);
}

/** Picks the statement currency: the given one, else the only one the customer uses. */
function pickCurrency(state: LedgerState, wanted?: Currency): Currency {
  if (wanted) return wanted;
  const used = new Set<Currency>(state.documents.map((d) => d.currency));
  for (const k of Object.values(state.contracts)) used.add(k.currency as Currency);
  if (used.size > 1) throw new ValidationError([{ field: 'currency', message: `the customer settles in ${[...used].sort().join(', ')}; name one` }]);
  return used.values().next().value ?? 'RUB';
}

const split = (bal: Decimal, cur: Currency) => ({
  balance: money(bal, cur).amount,
  debit: money(bal.gt(0) ? bal : 0, cur).amount,
  credit: money(bal.lt(0) ? bal.neg() : 0, cur).amount,
});

export function reconcile(
  commands: readonly LedgerCommand[],
  params: { customerId: string; from: CalendarDate; to: CalendarDate; currency?: Currency },
): ReconciliationStatement {
  const { from, to } = params;
  if (to < from) throw new ValidationError([{ field: 'to', message: 'must not be before from' }]);
  const full = foldLedger(commands);
  const cur = pickCurrency(full, params.currency);
  let opening = new Decimal(0);
  let dr = new Decimal(0);
  let cr = new Decimal(0);
  const rows: StatementRow[] = [];
  for (const d of full.documents) {
    if (d.currency !== cur || d.date > to) continue;
    const delta = new Decimal(d.debit).minus(d.credit);
    if (d.date < from) {
      opening = opening.plus(delta);
      continue;
    }
    if (new Decimal(d.debit).isZero() && new Decimal(d.credit).isZero()) continue;
    dr = dr.plus(d.debit);
    cr = cr.plus(d.credit);
    rows.push({
      date: d.date,
      kind: d.kind,
      entryKey: d.entryKey,
      documentId: d.documentId,
      ...(d.number ? { number: d.number } : {}),
      ...(d.invoiceId ? { invoiceId: d.invoiceId } : {}),
      description: describeDocument(d),
      debit: d.debit,
      credit: d.credit,
      balance: money(opening.plus(dr).minus(cr), cur).amount,
    });
  }
  const closing = opening.plus(dr).minus(cr);
  const atTo = foldLedger(commands, { through: to });
  const openInvoices = atTo.invoices
    .filter((i) => i.amount.currency === cur && i.status === 'open')
    .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.invoiceId < b.invoiceId ? -1 : 1))
    .map((i) => ({ invoiceId: i.invoiceId, number: i.number, issueDate: i.issueDate, dueDate: i.dueDate, outstanding: i.outstanding.amount }));
  const refundDebits = atTo.refundDebits
    .filter((r) => r.outstanding.currency === cur)
    .reduce((s, r) => s.plus(r.outstanding.amount), new Decimal(0));
  const c = full.customer;
  return {
    customerId: params.customerId,
    ...(c ? { customer: { legalName: c.legalName, ...(c.taxId ? { taxId: c.taxId } : {}), ...(c.kpp ? { kpp: c.kpp } : {}) } } : {}),
    currency: cur,
    from,
    to,
    opening: split(opening, cur),
    rows,
    turnover: { debit: money(dr, cur).amount, credit: money(cr, cur).amount },
    closing: split(closing, cur),
    atClose: {
      openInvoices,
      refundDebits: money(refundDebits, cur).amount,
      unappliedCredit: atTo.unappliedCredit[cur] ?? money(0, cur).amount,
    },
  };
}

/** "на 01.01.2025" style caption helper for renderers. */
export const periodCaption = (from: CalendarDate, to: CalendarDate): string => `за период с ${formatRu(from)} по ${formatRu(to)}`;
export const dayBefore = (d: CalendarDate): CalendarDate => addDays(d, -1);
