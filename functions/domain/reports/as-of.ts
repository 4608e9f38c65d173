/**
 * A customer as of a date: the ledger folded through that date (entries dated after it left out),
 * the dunning stage each invoice had reached, the open claim case and the collection method. And a
 * receivable timeline, read from one fold, that gives any invoice's outstanding amount on any day up
 * to the fold's date (used by dynamics, the calendar and the efficiency figures).
 *
 * Why the timeline is exact: the fold processes entries in date order, and each allocation carries the
 * date of the entry that made it (and `undoneOn` of the entry that undid it). So the allocations of a
 * fold through D, cut at an earlier day E (made on or before E, not undone by E), are the allocations
 * of a fold through E. test/unit/reports checks this against folds through E.
 */
import { Decimal } from 'decimal.js';
import { addDays, type CalendarDate } from '../dates.js';
import { foldLedger, type LedgerState } from '../ledger/fold.js';
import type { Currency } from '../money.js';
import { paymentDiscipline, type DisciplineMetrics } from '../credit/discipline.js';
import type { DisciplineRules } from '../credit/policy.js';
import { STAGES, type StageName } from '../policy/schema.js';
import type { CaseRecord, CollectionMethod, CustomerBook, GroupKeys, PromiseRecord } from './model.js';
import { NO_CONTRACT, NO_MANAGER } from './model.js';
import type { Column, Row } from './table.js';

export interface CustomerAsOf {
  customerId: string;
  name: string;
  segment: string;
  manager: string;
  state: LedgerState;
  /** Highest stage sent on or before asOf, per invoice. */
  stageOf: Map<string, StageName>;
  openCase?: CaseRecord;
  method: CollectionMethod;
  /** Promises and schedules given on or before asOf. */
  promises: PromiseRecord[];
}

export function stageAsOf(book: CustomerBook, asOf: CalendarDate): Map<string, StageName> {
  const out = new Map<string, StageName>();
  for (const h of book.stages) {
    let best = -1;
    for (const s of h.stages) if (s.runDate <= asOf) best = Math.max(best, STAGES.indexOf(s.stage));
    if (best >= 0) out.set(h.invoiceId, STAGES[best]!);
  }
  return out;
}

export function openCaseAsOf(book: CustomerBook, asOf: CalendarDate): CaseRecord | undefined {
  return book.cases.find((c) => c.openedOn <= asOf && !(c.closedOn && c.closedOn <= asOf));
}

export function customerAsOf(book: CustomerBook, asOf: CalendarDate, state?: LedgerState): CustomerAsOf {
  const st = state ?? foldLedger(book.entries, { through: asOf });
  const stageOf = stageAsOf(book, asOf);
  const openCase = openCaseAsOf(book, asOf);
  let method: CollectionMethod = 'none';
  if (openCase) method = `strategy:${strategyOn(openCase, asOf)}`;
  else {
    let best = -1;
    for (const inv of st.invoices) {
      if (inv.status !== 'open') continue;
      const s = stageOf.get(inv.invoiceId);
      if (s) best = Math.max(best, STAGES.indexOf(s));
    }
    if (best >= 0) method = `stage:${STAGES[best]!}`;
  }
  return {
    customerId: book.customerId,
    name: st.customer?.legalName ?? book.customerId,
    segment: st.customer?.segment ?? 'wholesale',
    manager: st.customer?.manager ?? NO_MANAGER,
    state: st,
    stageOf,
    ...(openCase ? { openCase } : {}),
    method,
    promises: book.promises.filter((p) => p.madeOn <= asOf),
  };
}

/** Portfolio of a customer: its collection method (claim strategy wait/collect/sell, dunning stage, or none). */
export const portfolioOf = (c: CustomerAsOf): string => c.method;

/** The columns that say whose a row is (customer, manager, segment, portfolio, contract): first in every row-level report. */
export const WHO_COLUMNS: Column[] = [
  { key: 'customerId', label: 'Customer', type: 'text' },
  { key: 'customerName', label: 'Name', type: 'text' },
  { key: 'manager', label: 'Manager', type: 'text' },
  { key: 'segment', label: 'Segment', type: 'text' },
  { key: 'portfolio', label: 'Portfolio', type: 'text' },
  { key: 'contract', label: 'Contract', type: 'text' },
];

/** The WHO_COLUMNS cells of a customer's row; `contract` is the row's contract label (groupKeys().contract or a note). */
export function whoCells(c: CustomerAsOf, contract: string): Row {
  return { customerId: c.customerId, customerName: c.name, manager: c.manager, segment: c.segment, portfolio: portfolioOf(c), contract };
}

export function groupKeys(c: CustomerAsOf, contractId?: string): GroupKeys {
  const contract = contractId ? (c.state.contracts[contractId]?.number ? `${c.state.contracts[contractId]!.number}` : contractId) : NO_CONTRACT;
  return {
    customer: c.customerId,
    contract: contractId ? `${c.customerId}/${contract}` : `${c.customerId}/${NO_CONTRACT}`,
    manager: c.manager,
    segment: c.segment,
    portfolio: portfolioOf(c),
  };
}

// ------------------------------------------------------------------------------------ timeline

export interface ReceivableLine {
  kind: 'invoice' | 'refund-debit';
  id: string;
  number: string;
  contractId?: string;
  currency: Currency;
  amount: Decimal;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  voidedOn?: CalendarDate;
  /** Money applied to it: made on `date`, undone on `undoneOn`. */
  applied: { date: CalendarDate; undoneOn?: CalendarDate; amount: Decimal; source: string }[];
}

/** Every receivable of a fold with the money applied to it over time. */
export function timeline(state: LedgerState): ReceivableLine[] {
  const lines = new Map<string, ReceivableLine>();
  for (const i of state.invoices) {
    lines.set(`invoice:${i.invoiceId}`, {
      kind: 'invoice',
      id: i.invoiceId,
      number: i.number,
      ...(i.contractId ? { contractId: i.contractId } : {}),
      currency: i.amount.currency,
      amount: new Decimal(i.amount.amount),
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      ...(i.voidedOn ? { voidedOn: i.voidedOn } : {}),
      applied: [],
    });
  }
  for (const r of state.refundDebits) {
    lines.set(`refund-debit:${r.refundKey}`, {
      kind: 'refund-debit',
      id: r.refundKey,
      number: r.refundKey,
      currency: r.amount.currency,
      amount: new Decimal(r.amount.amount),
      issueDate: r.date,
      dueDate: r.date,
      applied: [],
    });
  }
  for (const a of state.allocations) {
    const l = lines.get(`${a.targetKind}:${a.targetId}`);
    if (!l) continue;
    l.applied.push({ date: a.date, ...(a.undoneOn ? { undoneOn: a.undoneOn } : {}), amount: new Decimal(a.amount.amount), source: a.source });
  }
  return [...lines.values()];
}

/** Outstanding amount of a receivable at the end of `day` (0 before it was issued and once void). */
export function outstandingOn(l: ReceivableLine, day: CalendarDate): Decimal {
  if (l.issueDate > day) return new Decimal(0);
  if (l.voidedOn && l.voidedOn <= day) return new Decimal(0);
  let open = l.amount;
  for (const a of l.applied) if (a.date <= day && !(a.undoneOn && a.undoneOn <= day)) open = open.minus(a.amount);
  return open;
}

/**
 * Unapplied credit of a customer at the end of `day`, per currency: Σ payments and credit notes made
 * minus what was applied, reversed or refunded — read as balance identity:
 * credit = Σ open receivables − balance (docs/reports.md).
 */
export function balanceOn(state: LedgerState, day: CalendarDate): Map<Currency, Decimal> {
  const out = new Map<Currency, Decimal>();
  for (const d of state.documents) {
    if (d.date > day) continue;
    out.set(d.currency, (out.get(d.currency) ?? new Decimal(0)).plus(d.debit).minus(d.credit));
  }
  return out;
}

export const dayBefore = (d: CalendarDate): CalendarDate => addDays(d, -1);

/** A case's strategy on a date: the last one of its history that took effect on or before it (else the current one). */
function strategyOn(c: CaseRecord, day: CalendarDate): CaseRecord['strategy'] {
  const h = c.strategyHistory;
  if (!h?.length) return c.strategy;
  let s = h[0]!.strategy;
  for (const x of h) if (x.on <= day) s = x.strategy;
  return s;
}

/** The customer's payment discipline as of the date (credit module), its promises to pay counted. */
export function disciplineAsOf(c: CustomerAsOf, asOf: CalendarDate, rules: DisciplineRules): DisciplineMetrics {
  const promises = c.promises
    .filter((x) => x.kind === 'promise' && x.amount)
    .map((x) => ({ date: x.until, madeOn: x.madeOn, amount: { amount: x.amount!.amount, currency: x.amount!.currency as Currency } }));
  return paymentDiscipline(c.state, asOf, rules, promises);
}
