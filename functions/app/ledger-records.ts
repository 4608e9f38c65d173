/**
 * What the ledger materializes from a fold, as plain records the store keeps: each invoice with its
 * active allocations, and the customer's summary. Pure.
 */
import { Decimal } from 'decimal.js';
import { stableStringify, type InvoiceState, type LedgerState } from '../domain/ledger/fold.js';
import type { Currency, Money } from '../domain/money.js';
import type { InvoiceDetail, SummaryRecord } from '../ports/ledger.js';
import { clean } from '../util/clean.js';

/** Active allocations to invoices, by invoice, in fold order. */
function activeAllocations(s: LedgerState): Map<string, LedgerState['allocations']> {
  const byInvoice = new Map<string, LedgerState['allocations']>();
  for (const a of s.allocations) {
    if (a.undoneBy || a.targetKind !== 'invoice') continue;
    const list = byInvoice.get(a.targetId);
    if (list) list.push(a);
    else byInvoice.set(a.targetId, [a]);
  }
  return byInvoice;
}

function invoiceRecord(inv: InvoiceState, s: LedgerState, active: LedgerState['allocations']): InvoiceDetail {
  const k = inv.contractId ? s.contracts[inv.contractId] : undefined;
  const allocations = active.map((a) => ({ source: a.source, amount: a.amount.amount, date: a.date, reason: a.reason }));
  const paidOn = inv.status === 'paid' ? allocations.reduce<InvoiceDetail['paidOn']>((m, a) => (!m || a.date > m ? a.date : m), undefined) : undefined;
  return clean({
    invoiceId: inv.invoiceId,
    number: inv.number,
    contractId: inv.contractId,
    contractNumber: k?.number,
    contractDate: k?.date,
    issueDate: inv.issueDate,
    dueDate: inv.dueDate,
    amount: inv.amount,
    outstanding: inv.outstanding,
    status: inv.status,
    voidedOn: inv.voidedOn,
    paidOn,
    allocations,
  });
}

/** Every invoice of the state as the store keeps it. */
export function invoiceRecords(s: LedgerState): InvoiceDetail[] {
  const byInvoice = activeAllocations(s);
  return s.invoices.map((inv) => invoiceRecord(inv, s, byInvoice.get(inv.invoiceId) ?? []));
}

/** The same stored invoice state (defined fields equal). */
export const sameInvoice = (a: InvoiceDetail, b: InvoiceDetail): boolean => stableStringify(a) === stableStringify(b);

/** The invoices whose record differs from the stored one (or that are new). */
export function changedInvoices(s: LedgerState, stored: Map<string, InvoiceDetail>): InvoiceDetail[] {
  return invoiceRecords(s).filter((r) => {
    const old = stored.get(r.invoiceId);
    return !old || !sameInvoice(old, r);
  });
}

function addAmounts(a: string | undefined, b: Money): string {
  if (!a) return b.amount;
  const digits = b.amount.split('.')[1]?.length ?? 0;
  return new Decimal(a).plus(b.amount).toFixed(digits); // exact: decimal strings of one currency
}

export function summaryRecord(s: LedgerState): SummaryRecord {
  const refundDebt: Partial<Record<Currency, string>> = {};
  for (const r of s.refundDebits) {
    const cur = r.outstanding.currency;
    refundDebt[cur] = addAmounts(refundDebt[cur], r.outstanding);
  }
  return clean({
    legalName: s.customer?.legalName,
    balances: s.balances,
    receivable: s.receivable,
    unappliedCredit: s.unappliedCredit,
    refundDebt,
    openInvoiceCount: s.invoices.filter((i) => i.status === 'open').length,
    minOpenDueDate: s.minOpenDueDate,
    pendingCount: s.pending.length,
    lastEntryDate: s.documents.length ? s.documents[s.documents.length - 1]!.date : undefined,
  });
}
