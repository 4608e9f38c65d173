/**
 * Balances per contract (pure): what the customer owes under each contract, for reports, credit checks
 * and the reconciliation statement by contract (акт сверки по договору).
 *
 * A contract's balance is what is open on its invoices: money reaches a contract only through the
 * invoices it settles (named by the payer, split, or applied as unnamed money — see fold.ts), so a
 * payment naming an invoice of contract K1 lowers K1 alone. What belongs to no contract — invoices
 * without a contractId, refund debits, and customer credit not applied to any invoice (an advance) — is
 * the row with `contractId: null`. Per currency, the rows add up to the customer's balance:
 * Σ rows = receivable − unapplied credit = balances[currency].
 */
import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../dates.js';
import { money, type Currency } from '../money.js';
import type { LedgerState } from './fold.js';

export interface ContractBalance {
  /** null = no contract: invoices without one, refund debits, unapplied customer credit. */
  contractId: string | null;
  /** The contract's number when the ledger knows the contract. */
  contractNumber?: string;
  currency: Currency;
  /** Positive = the customer owes. open − unappliedCredit. */
  balance: string;
  /** Σ outstanding of open invoices (and, for the null row, refund debits). */
  open: string;
  /** Of `open`, what was due before `asOf` (when asOf is given, else "0.00"). */
  overdue: string;
  /** Customer credit not applied to any invoice (null row only; "0.00" on contract rows). */
  unappliedCredit: string;
  openInvoices: number;
  /** Earliest due date among the open invoices. */
  oldestDueDate?: CalendarDate;
}

interface Acc {
  open: Decimal;
  overdue: Decimal;
  credit: Decimal;
  count: number;
  oldest?: CalendarDate;
}

/**
 * Balances of one customer per contract and currency, sorted by currency then contract (the null row
 * last). `asOf` (a business date) makes `overdue` count invoices due before it. Contracts the ledger
 * knows with nothing open are listed with zero balances, so a report can show every contract.
 */
export function balancesByContract(state: LedgerState, asOf?: CalendarDate): ContractBalance[] {
  const acc = new Map<string, Acc>();
  const keyOf = (cur: Currency, contractId: string | null) => `${cur}\u0000${contractId ?? '\uffff'}`;
  const get = (cur: Currency, contractId: string | null): Acc => {
    const k = keyOf(cur, contractId);
    let a = acc.get(k);
    if (!a) acc.set(k, (a = { open: new Decimal(0), overdue: new Decimal(0), credit: new Decimal(0), count: 0 }));
    return a;
  };
  for (const c of Object.values(state.contracts)) get(c.currency as Currency, c.contractId);
  for (const inv of state.invoices) {
    if (inv.status !== 'open') continue;
    const a = get(inv.outstanding.currency, inv.contractId ?? null);
    a.open = a.open.plus(inv.outstanding.amount);
    a.count += 1;
    if (asOf && inv.dueDate < asOf) a.overdue = a.overdue.plus(inv.outstanding.amount);
    if (!a.oldest || inv.dueDate < a.oldest) a.oldest = inv.dueDate;
  }
  for (const d of state.refundDebits) {
    if (new Decimal(d.outstanding.amount).isZero()) continue;
    const a = get(d.outstanding.currency, null);
    a.open = a.open.plus(d.outstanding.amount);
    if (asOf && d.date < asOf) a.overdue = a.overdue.plus(d.outstanding.amount);
  }
  for (const [cur, credit] of Object.entries(state.unappliedCredit) as [Currency, string][]) {
    if (new Decimal(credit).isZero()) continue;
    get(cur, null).credit = new Decimal(credit);
  }
  return [...acc.entries()]
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .map(([k, a]) => {
      const [cur, rawId] = k.split('\u0000') as [Currency, string];
      const contractId = rawId === '\uffff' ? null : rawId;
      const number = contractId ? state.contracts[contractId]?.number : undefined;
      return {
        contractId,
        ...(number ? { contractNumber: number } : {}),
        currency: cur,
        balance: money(a.open.minus(a.credit), cur).amount,
        open: money(a.open, cur).amount,
        overdue: money(a.overdue, cur).amount,
        unappliedCredit: money(a.credit, cur).amount,
        openInvoices: a.count,
        ...(a.oldest ? { oldestDueDate: a.oldest } : {}),
      };
    });
}

/** The balance of one contract (all its currencies' rows), or undefined when the customer has none. */
export function balanceOfContract(state: LedgerState, contractId: string, asOf?: CalendarDate): ContractBalance[] {
  return balancesByContract(state, asOf).filter((b) => b.contractId === contractId);
}
