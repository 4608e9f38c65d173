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
  /**
   * The contract the row belongs to: on a statement by contract, that contract (null = no contract);
   * on the customer's statement, set when the whole row concerns one contract (an invoice of it, a
   * payment applied to its invoices only), null when it concerns none (an advance), absent when it
   * is spread over several (see `byContract`).
   */
  contractId?: string | null;
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

/** Opening, turnover and closing of one contract within a customer's statement (null = no contract). */
export interface ContractSubtotal {
  contractId: string | null;
  /** Contract number and date as the ledger knows them. */
  contract?: { number: string; date: CalendarDate };
  opening: { balance: string; debit: string; credit: string };
  turnover: { debit: string; credit: string };
  closing: { balance: string; debit: string; credit: string };
}

export interface ReconciliationStatement {
  customerId: string;
  customer?: { legalName: string; taxId?: string; kpp?: string };
  currency: Currency;
  /**
   * Set on a statement by contract (акт сверки по договору): the contract (null = what belongs to no
   * contract: invoices without one, advances, refunds). Absent: the customer's whole statement.
   */
  contractId?: string | null;
  contract?: { number: string; date: CalendarDate };
  /** Per contract subtotals of this statement's currency; they add up to opening, turnover and closing. */
  byContract: ContractSubtotal[];
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

/**
 * How each document moved each contract's balance. A contract's balance is what is open on its
 * invoices (contract-balances.ts): an invoice debits its contract; an allocation to it (payment,
 * credit note, write-off, credit used) credits it; an allocation undone (void, reversal) debits it
 * again; a void credits what was left. What a document moved beyond its contracts (an advance, a
 * refund, credit used up) belongs to no contract (key null). Keyed by entry key.
 */
export function contractMovements(state: LedgerState): Map<string, Map<string | null, { debit: Decimal; credit: Decimal }>> {
  const byInvoice = new Map(state.invoices.map((i) => [i.invoiceId, i]));
  const out = new Map<string, Map<string | null, { debit: Decimal; credit: Decimal }>>();
  const add = (entry: string, k: string | null, debit: Decimal.Value, credit: Decimal.Value) => {
    let m = out.get(entry);
    if (!m) out.set(entry, (m = new Map()));
    const v = m.get(k) ?? { debit: new Decimal(0), credit: new Decimal(0) };
    m.set(k, { debit: v.debit.plus(debit), credit: v.credit.plus(credit) });
  };
  for (const i of state.invoices) add(i.entryKey, i.contractId ?? null, i.amount.amount, 0);
  const keptOnVoid = new Map<string, Decimal>();
  for (const a of state.allocations) {
    if (a.targetKind !== 'invoice') continue;
    const inv = byInvoice.get(a.targetId);
    if (!inv) continue;
    const k = inv.contractId ?? null;
    add(a.madeBy, k, 0, a.amount.amount);
    if (a.undoneBy) add(a.undoneBy, k, a.amount.amount, 0);
    else keptOnVoid.set(inv.invoiceId, (keptOnVoid.get(inv.invoiceId) ?? new Decimal(0)).plus(a.amount.amount));
  }
  for (const d of state.documents) {
    if (d.kind !== 'void' || !d.invoiceId) continue;
    const inv = byInvoice.get(d.invoiceId);
    if (inv) add(d.entryKey, inv.contractId ?? null, 0, new Decimal(inv.amount.amount).minus(keptOnVoid.get(inv.invoiceId) ?? 0));
  }
  // What each document moved beyond its contracts' invoices: no contract.
  for (const d of state.documents) {
    const m = out.get(d.entryKey);
    let rest = new Decimal(d.debit).minus(d.credit);
    for (const v of m?.values() ?? []) rest = rest.minus(v.debit.minus(v.credit));
    if (!rest.isZero()) add(d.entryKey, null, rest.gt(0) ? rest : 0, rest.lt(0) ? rest.neg() : 0);
  }
  return out;
}

export function reconcile(
  commands: readonly LedgerCommand[],
  params: { customerId: string; from: CalendarDate; to: CalendarDate; currency?: Currency; contractId?: string | null },
): ReconciliationStatement {
  const { from, to } = params;
  if (to < from) throw new ValidationError([{ field: 'to', message: 'must not be before from' }]);
  const full = foldLedger(commands);
  const cur = pickCurrency(full, params.currency);
  const only = params.contractId;
  if (typeof only === 'string' && !full.contracts[only] && !full.invoices.some((i) => i.contractId === only)) {
    throw new ValidationError([{ field: 'contract', message: `the customer has no contract "${only}"` }]);
  }
  const moves = contractMovements(full);
  const zero = () => ({ opening: new Decimal(0), dr: new Decimal(0), cr: new Decimal(0) });
  const sub = new Map<string | null, ReturnType<typeof zero>>();
  for (const [k, c] of Object.entries(full.contracts)) if (c.currency === cur) sub.set(k, zero());
  let opening = new Decimal(0);
  let dr = new Decimal(0);
  let cr = new Decimal(0);
  const rows: StatementRow[] = [];
  for (const d of full.documents) {
    if (d.currency !== cur || d.date > to) continue;
    const parts = [...(moves.get(d.entryKey) ?? new Map<string | null, { debit: Decimal; credit: Decimal }>()).entries()].filter(
      ([, v]) => !v.debit.isZero() || !v.credit.isZero(),
    );
    for (const [k, v] of parts) {
      const t = sub.get(k) ?? zero();
      if (d.date < from) t.opening = t.opening.plus(v.debit).minus(v.credit);
      else {
        t.dr = t.dr.plus(v.debit);
        t.cr = t.cr.plus(v.credit);
      }
      sub.set(k, t);
    }
    let debit = new Decimal(d.debit);
    let credit = new Decimal(d.credit);
    let contractId: string | null | undefined;
    if (only !== undefined) {
      const v = parts.find(([k]) => k === only)?.[1];
      if (!v) continue;
      debit = v.debit;
      credit = v.credit;
      contractId = only;
    } else if (parts.length === 1) contractId = parts[0]![0];
    const delta = debit.minus(credit);
    if (d.date < from) {
      opening = opening.plus(delta);
      continue;
    }
    if (debit.isZero() && credit.isZero()) continue;
    dr = dr.plus(debit);
    cr = cr.plus(credit);
    rows.push({
      date: d.date,
      ...(contractId !== undefined ? { contractId } : {}),
      kind: d.kind,
      entryKey: d.entryKey,
      documentId: d.documentId,
      ...(d.number ? { number: d.number } : {}),
      ...(d.invoiceId ? { invoiceId: d.invoiceId } : {}),
      description: describeDocument(d),
      debit: money(debit, cur).amount,
      credit: money(credit, cur).amount,
      balance: money(opening.plus(dr).minus(cr), cur).amount,
    });
  }
  const closing = opening.plus(dr).minus(cr);
  const atTo = foldLedger(commands, { through: to });
  const openInvoices = atTo.invoices
    .filter((i) => i.amount.currency === cur && i.status === 'open' && (only === undefined || (i.contractId ?? null) === only))
    .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.invoiceId < b.invoiceId ? -1 : 1))
    .map((i) => ({ invoiceId: i.invoiceId, number: i.number, issueDate: i.issueDate, dueDate: i.dueDate, outstanding: i.outstanding.amount }));
  const noContract = only === undefined || only === null;
  const refundDebits = noContract ? atTo.refundDebits.filter((r) => r.outstanding.currency === cur).reduce((s, r) => s.plus(r.outstanding.amount), new Decimal(0)) : new Decimal(0);
  const c = full.customer;
  const contractOf = (k: string | null) => (k && full.contracts[k] ? { number: full.contracts[k]!.number, date: full.contracts[k]!.date } : undefined);
  const byContract: ContractSubtotal[] = [...sub.entries()]
    .filter(([k]) => only === undefined || k === only)
    .sort((a, b) => (a[0] === null ? 1 : b[0] === null ? -1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, t]) => {
      const ct = contractOf(k);
      return {
        contractId: k,
        ...(ct ? { contract: ct } : {}),
        opening: split(t.opening, cur),
        turnover: { debit: money(t.dr, cur).amount, credit: money(t.cr, cur).amount },
        closing: split(t.opening.plus(t.dr).minus(t.cr), cur),
      };
    });
  const ct = typeof only === 'string' ? contractOf(only) : undefined;
  return {
    customerId: params.customerId,
    ...(c ? { customer: { legalName: c.legalName, ...(c.taxId ? { taxId: c.taxId } : {}), ...(c.kpp ? { kpp: c.kpp } : {}) } } : {}),
    currency: cur,
    ...(only !== undefined ? { contractId: only } : {}),
    ...(ct ? { contract: ct } : {}),
    byContract,
    from,
    to,
    opening: split(opening, cur),
    rows,
    turnover: { debit: money(dr, cur).amount, credit: money(cr, cur).amount },
    closing: split(closing, cur),
    atClose: {
      openInvoices,
      refundDebits: money(refundDebits, cur).amount,
      unappliedCredit: noContract ? (atTo.unappliedCredit[cur] ?? money(0, cur).amount) : money(0, cur).amount,
    },
  };
}

/** "на 01.01.2025" style caption helper for renderers. */
export const periodCaption = (from: CalendarDate, to: CalendarDate): string => `за период с ${formatRu(from)} по ${formatRu(to)}`;
export const dayBefore = (d: CalendarDate): CalendarDate => addDays(d, -1);
