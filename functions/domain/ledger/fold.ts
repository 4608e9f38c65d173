/**
 * The receivables ledger of one customer, derived from its entries by a deterministic fold.
 * Pure: no I/O, no clock. Balances are never stored as the truth; they are recomputed from entries.
 *
 * Canonical order. The fold sorts entries by (business date, kind order, entry key) — never by
 * arrival — so the same set of entries in any order (with duplicates) gives the same state and the
 * same allocations. Master data (customer, contract) has no date and sorts first. On one date the kind
 * order is: invoice, void, credit note, write-off, payment, reversal, refund. Entries with the same
 * key are one entry (the first in canonical order, ties broken by content, wins).
 *
 * Settlement by document. Every money movement onto a receivable is an Allocation with a reason:
 *  - 'explicit-split'   the payment stated an amount per invoice;
 *  - 'named-by-payer'   the payment named the invoice (in the payer's order of preference);
 *  - 'oldest-due-first' money of the payment being processed, not named (or left over after the named
 *                       invoices), applied to open items by due date; items due the same day share it
 *                       in proportion to their open amounts (ГК РФ ст. 319.1 п. 3, ст. 522 п. 3; see
 *                       unnamed.ts — the same rule as the penalty calculator's);
 *  - 'unapplied-credit' customer credit left by an earlier payment, consumed later (e.g. by a new
 *                       invoice, or released by a void);
 *  - 'credit-note'      a credit note reducing an invoice (named, or as general credit);
 *  - 'write-off'        a write-off reducing its invoice.
 * Money that is not allocated is held in credit lots (source = the payment or credit note). A lot may be
 * reserved for invoices the payer named that have not arrived yet ("pending"): when the invoice arrives
 * it consumes the lot first. Unreserved credit is applied at once to open items (oldest-due-first), so
 * general credit and open items of one currency never coexist; later invoices consume what is left.
 *
 * Effective amounts. Each document moves the balance by a fixed amount that depends only on entries
 * before it in canonical order (so balances cut at any date agree with the fold of entries up to it):
 *  - invoice:        debit  = amount
 *  - void:           credit = invoice amount − credit notes that named it − write-offs of it
 *                    (a "negative invoice"); payments and general credit allocated to it are released
 *                    to unapplied credit (allocations marked undone, source kept)
 *  - credit note:    credit = amount (reduces the named invoice; any rest is credit)
 *  - write-off:      credit = the part actually applied (≤ the open amount of its invoice)
 *  - payment:        credit = amount
 *  - reversal:       debit  = payment amount − what refunds already drew from that payment's credit
 *                    (a "negative payment"); every allocation of that payment is undone, re-derived
 *  - refund:         debit  = amount; consumes the payment's credit, then other credit, and any rest
 *                    becomes a refund debit (a receivable that later money settles)
 * Identity (per currency, any period): opening + invoices − voids − credit notes − payments + reversals
 * + refunds − write-offs = closing, and closing = Σ open invoices + Σ open refund debits − unapplied credit.
 * Multi-currency customers are folded per currency: money only settles items of its own currency.
 */
import { Decimal } from 'decimal.js';
import { entryDate, entryKey, type ContractUpsert, type CustomerUpsert, type LedgerCommand } from './commands.js';
import { minorUnits, money, type Currency, type Money } from '../money.js';
import { splitUnnamed } from './unnamed.js';
import type { CalendarDate } from '../dates.js';

export type AllocationReason = 'named-by-payer' | 'explicit-split' | 'oldest-due-first' | 'unapplied-credit' | 'credit-note' | 'write-off';

export interface Allocation {
  /** Position in the fold (deterministic). */
  seq: number;
  targetKind: 'invoice' | 'refund-debit';
  /** invoiceId, or the refund's entry key for a refund debit. */
  targetId: string;
  /** Entry key of the money: payment:…, credit:…, writeoff:… */
  source: string;
  amount: Money;
  /** Business date on which the allocation was made. */
  date: CalendarDate;
  reason: AllocationReason;
  /** Entry key whose processing made the allocation. */
  madeBy: string;
  /** Set when a void or a reversal undid the allocation. */
  undoneBy?: string;
  undoneOn?: CalendarDate;
}

export type InvoiceStatus = 'open' | 'paid' | 'void';

export interface InvoiceState {
  invoiceId: string;
  entryKey: string;
  number: string;
  contractId?: string;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  amount: Money;
  outstanding: Money;
  status: InvoiceStatus;
  voidedOn?: CalendarDate;
}

/** A refund larger than the customer's credit: the rest is a receivable due on the refund date. */
export interface RefundDebitState {
  refundKey: string;
  date: CalendarDate;
  amount: Money;
  outstanding: Money;
}

export interface CreditLotState {
  seq: number;
  source: string;
  remaining: Money;
  /** Invoices (not yet seen) this credit waits for; empty = general credit. */
  reservedFor: string[];
}

export interface PaymentState {
  paymentId: string;
  date: CalendarDate;
  amount: Money;
  /** Active allocations of this payment's money. */
  allocated: Money;
  /** Credit of this payment still unapplied. */
  unapplied: Money;
  /** Drawn by refunds. */
  refunded: Money;
  reversed: boolean;
  channel: string;
  reference?: string;
}

export type DocumentKind = 'invoice' | 'void' | 'credit-note' | 'write-off' | 'payment' | 'reversal' | 'refund';

/** The balance effect of one document (the rows of a reconciliation statement). */
export interface DocumentEffect {
  entryKey: string;
  kind: DocumentKind;
  date: CalendarDate;
  currency: Currency;
  /** invoiceId, paymentId, creditNoteId, writeOffId or refundId. */
  documentId: string;
  /** Invoice number (invoice, void, write-off, named credit note) or payment reference. */
  number?: string;
  invoiceId?: string;
  /** Increases what the customer owes. */
  debit: string;
  /** Decreases what the customer owes. */
  credit: string;
}

export interface CurrencyTotals {
  invoices: string;
  voids: string;
  creditNotes: string;
  payments: string;
  reversals: string;
  refunds: string;
  writeOffs: string;
}

export interface LedgerState {
  customer?: CustomerUpsert;
  contracts: Record<string, ContractUpsert>;
  /** Sorted by invoiceId. */
  invoices: InvoiceState[];
  refundDebits: RefundDebitState[];
  /** In fold order, including undone ones. */
  allocations: Allocation[];
  /** Credit lots with money left, in fold order. */
  credits: CreditLotState[];
  payments: PaymentState[];
  /** Canonical order (date, kind, key). */
  documents: DocumentEffect[];
  /** Per currency: Σ debit − Σ credit. Positive = the customer owes. */
  balances: Partial<Record<Currency, string>>;
  /** Per currency: Σ outstanding of open invoices and refund debits. */
  receivable: Partial<Record<Currency, string>>;
  /** Per currency: Σ credit lots. */
  unappliedCredit: Partial<Record<Currency, string>>;
  totals: Partial<Record<Currency, CurrencyTotals>>;
  /** Entries whose money waits for a document not seen yet. */
  pending: { entryKey: string; waitingFor: string[] }[];
  /** Entries that could not fully take effect (the adapter refuses these up front; kept for audit). */
  anomalies: { entryKey: string; message: string }[];
  /** Entry keys folded, in canonical order. */
  entryKeys: string[];
  /** Earliest due date among open invoices (debtor index). */
  minOpenDueDate?: CalendarDate;
}

const KIND_ORDER: Record<LedgerCommand['type'], number> = {
  'customer.upsert': 0,
  'contract.upsert': 1,
  'invoice.issued': 2,
  'invoice.voided': 3,
  'creditNote.issued': 4,
  'writeOff.recorded': 5,
  'payment.received': 6,
  'payment.reversed': 7,
  'refund.issued': 8,
};

/** JSON with sorted keys: a content tie-breaker independent of property order. */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}

interface Sortable {
  cmd: LedgerCommand;
  key: string;
  date: string;
  order: number;
  content?: string;
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const content = (r: Sortable): string => (r.content ??= stableStringify(r.cmd));
const cmpRows = (a: Sortable, b: Sortable): number => cmpStr(a.date, b.date) || a.order - b.order || cmpStr(a.key, b.key) || (a.cmd === b.cmd ? 0 : cmpStr(content(a), content(b)));
const toRow = (cmd: LedgerCommand): Sortable => ({ cmd, key: entryKey(cmd), date: entryDate(cmd) ?? '', order: KIND_ORDER[cmd.type] });

/** Canonical order of entries, duplicates (same entry key) removed deterministically. */
export function canonicalOrder(commands: readonly LedgerCommand[]): LedgerCommand[] {
  return canonicalRows(commands).map((r) => r.cmd);
}

function canonicalRows(commands: readonly LedgerCommand[]): Sortable[] {
  const rows = commands.map(toRow);
  rows.sort(cmpRows);
  const seen = new Set<string>();
  const out: Sortable[] = [];
  for (const r of rows) {
    if (seen.has(r.key)) continue;
    seen.add(r.key);
    out.push(r);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Internal mutable state (Decimal arithmetic, exact)

interface Recv {
  kind: 'invoice' | 'refund-debit';
  id: string;
  key: string;
  currency: Currency;
  amount: Decimal;
  open: Decimal;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  status: InvoiceStatus;
  number: string;
  contractId?: string;
  voidedOn?: CalendarDate;
}

interface Lot {
  seq: number;
  source: string;
  sourceKind: 'payment' | 'credit-note';
  currency: Currency;
  remaining: Decimal;
  reservedFor: string[];
  /** Reason recorded when a reserved lot is consumed by the invoice it waits for. */
  reason: AllocationReason;
}

interface Pay {
  paymentId: string;
  key: string;
  date: CalendarDate;
  currency: Currency;
  amount: Decimal;
  refunded: Decimal;
  reversed: boolean;
  channel: string;
  reference?: string;
}

interface MutAlloc {
  seq: number;
  target: Recv;
  source: string;
  currency: Currency;
  amount: Decimal;
  date: CalendarDate;
  reason: AllocationReason;
  madeBy: string;
  undoneBy?: string;
  undoneOn?: CalendarDate;
}

type Totals = Record<keyof CurrencyTotals, Decimal>;
const ZERO = new Decimal(0);
const D = (s: string): Decimal => new Decimal(s);
const dmin = (a: Decimal, b: Decimal): Decimal => (a.lte(b) ? a : b);

function byDue(a: Recv, b: Recv): number {
  return cmpStr(a.dueDate, b.dueDate) || cmpStr(a.issueDate, b.issueDate) || cmpStr(a.id, b.id) || cmpStr(a.kind, b.kind);
}

class Folder {
  customer?: CustomerUpsert;
  contracts = new Map<string, ContractUpsert>();
  invoices = new Map<string, Recv>();
  debits = new Map<string, Recv>();
  lots: Lot[] = [];
  allocs: MutAlloc[] = [];
  allocsByTarget = new Map<Recv, MutAlloc[]>();
  allocsBySource = new Map<string, MutAlloc[]>();
  payments = new Map<string, Pay>();
  /** credit note key → invoice it names. */
  creditNoteFor = new Map<string, string>();
  docs: DocumentEffect[] = [];
  totals = new Map<Currency, Totals>();
  anomalies: { entryKey: string; message: string }[] = [];
  keys: string[] = [];
  private seq = 0;

  run(cmd: LedgerCommand): void {
    const key = entryKey(cmd);
    this.keys.push(key);
    switch (cmd.type) {
      case 'customer.upsert':
        this.customer = cmd;
        return;
      case 'contract.upsert':
        this.contracts.set(cmd.contractId, cmd);
        return;
      case 'invoice.issued':
        this.invoice(cmd, key);
        break;
      case 'invoice.voided':
        this.void(cmd, key);
        break;
      case 'creditNote.issued':
        this.creditNote(cmd, key);
        break;
      case 'writeOff.recorded':
        this.writeOff(cmd, key);
        break;
      case 'payment.received':
        this.payment(cmd, key);
        break;
      case 'payment.reversed':
        this.reversal(cmd, key);
        break;
      case 'refund.issued':
        this.refund(cmd, key);
        break;
    }
    this.settleAll(key, entryDate(cmd) as CalendarDate);
  }

  // --- primitives --------------------------------------------------------------------------

  private tot(c: Currency): Totals {
    let t = this.totals.get(c);
    if (!t) {
      t = { invoices: ZERO, voids: ZERO, creditNotes: ZERO, payments: ZERO, reversals: ZERO, refunds: ZERO, writeOffs: ZERO };
      this.totals.set(c, t);
    }
    return t;
  }

  private doc(d: Omit<DocumentEffect, 'debit' | 'credit'> & { debit?: Decimal; credit?: Decimal }): void {
    this.docs.push({ ...d, debit: money(d.debit ?? ZERO, d.currency).amount, credit: money(d.credit ?? ZERO, d.currency).amount });
  }

  private newLot(source: string, sourceKind: Lot['sourceKind'], currency: Currency, amount: Decimal, reservedFor: string[], reason: AllocationReason): Lot {
    const lot: Lot = { seq: this.seq++, source, sourceKind, currency, remaining: amount, reservedFor, reason };
    this.lots.push(lot);
    return lot;
  }

  private allocate(target: Recv, source: string, amount: Decimal, reason: AllocationReason, madeBy: string, date: CalendarDate, lot?: Lot): void {
    if (amount.lte(0)) return;
    if (amount.gt(target.open)) throw new Error(`internal: allocation ${amount} exceeds open ${target.open} of ${target.id}`);
    if (lot) {
      if (amount.gt(lot.remaining)) throw new Error(`internal: allocation ${amount} exceeds credit ${lot.remaining} of ${lot.source}`);
      lot.remaining = lot.remaining.minus(amount);
    }
    const a: MutAlloc = { seq: this.seq++, target, source, currency: target.currency, amount, date, reason, madeBy };
    this.allocs.push(a);
    push(this.allocsByTarget, target, a);
    push(this.allocsBySource, source, a);
    target.open = target.open.minus(amount);
    if (target.open.isZero() && target.status === 'open') target.status = 'paid';
  }

  private undo(a: MutAlloc, by: string, date: CalendarDate): void {
    a.undoneBy = by;
    a.undoneOn = date;
    const t = a.target;
    if (t.status === 'void') return;
    t.open = t.open.plus(a.amount);
    if (t.open.gt(0)) t.status = 'open';
  }

  private activeOn(t: Recv): MutAlloc[] {
    return (this.allocsByTarget.get(t) ?? []).filter((a) => !a.undoneBy);
  }

  private reasonFor(lot: Lot, processing: string): AllocationReason {
    if (lot.sourceKind === 'credit-note') return 'credit-note';
    return lot.source === processing ? 'oldest-due-first' : 'unapplied-credit';
  }

  /** Applies general (unreserved) credit to open items oldest-due-first, per currency. */
  private settleAll(processing: string, date: CalendarDate): void {
    const currencies = new Set<Currency>();
    for (const l of this.lots) if (l.reservedFor.length === 0 && l.remaining.gt(0)) currencies.add(l.currency);
    for (const cur of currencies) {
      const lots = this.lots.filter((l) => l.currency === cur && l.reservedFor.length === 0 && l.remaining.gt(0));
      const targets = [...this.invoices.values(), ...this.debits.values()].filter((r) => r.currency === cur && r.status === 'open' && r.open.gt(0)).sort(byDue);
      // Earliest due first; items due the same day share the money pro rata (unnamed.ts).
      const available = lots.reduce((s, l) => s.plus(l.remaining), ZERO);
      const shares = splitUnnamed(
        available,
        targets.map((t) => ({ due: t.dueDate, open: t.open, tie: `${t.issueDate}|${t.id}|${t.kind}` })),
        minorUnits(cur),
      );
      targets.forEach((t, i) => {
        let share = shares[i]!;
        for (const lot of lots) {
          if (share.isZero()) break;
          if (lot.remaining.isZero()) continue;
          const x = dmin(lot.remaining, share);
          this.allocate(t, lot.source, x, this.reasonFor(lot, processing), processing, date, lot);
          share = share.minus(x);
        }
      });
    }
    this.lots = this.lots.filter((l) => l.remaining.gt(0));
  }

  // --- documents ---------------------------------------------------------------------------

  private invoice(c: Extract<LedgerCommand, { type: 'invoice.issued' }>, key: string): void {
    if (this.invoices.has(c.invoiceId)) {
      this.anomalies.push({ entryKey: key, message: `invoice ${c.invoiceId} already issued` });
      return;
    }
    const cur = c.amount.currency;
    const amount = D(c.amount.amount);
    const inv: Recv = {
      kind: 'invoice',
      id: c.invoiceId,
      key,
      currency: cur,
      amount,
      open: amount,
      issueDate: c.issueDate,
      dueDate: c.dueDate,
      status: 'open',
      number: c.number,
      contractId: c.contractId,
    };
    this.invoices.set(c.invoiceId, inv);
    this.tot(cur).invoices = this.tot(cur).invoices.plus(amount);
    this.doc({ entryKey: key, kind: 'invoice', date: c.issueDate, currency: cur, documentId: c.invoiceId, number: c.number, invoiceId: c.invoiceId, debit: amount });
    // Money that waited for this invoice (named by the payer, or a credit note naming it).
    for (const lot of this.lots) {
      const i = lot.reservedFor.indexOf(c.invoiceId);
      if (i < 0) continue;
      lot.reservedFor = lot.reservedFor.filter((x) => x !== c.invoiceId);
      if (lot.currency !== cur || inv.open.isZero()) continue;
      this.allocate(inv, lot.source, dmin(lot.remaining, inv.open), lot.reason, key, c.issueDate, lot);
    }
  }

  private void(c: Extract<LedgerCommand, { type: 'invoice.voided' }>, key: string): void {
    const inv = this.invoices.get(c.invoiceId);
    if (!inv) {
      this.anomalies.push({ entryKey: key, message: `void of unknown invoice ${c.invoiceId}: no effect` });
      return;
    }
    if (inv.status === 'void') {
      this.anomalies.push({ entryKey: key, message: `invoice ${c.invoiceId} already void` });
      return;
    }
    let retained = ZERO;
    for (const a of this.activeOn(inv)) {
      const keeps = a.source.startsWith('writeoff:') || this.creditNoteFor.get(a.source) === inv.id;
      if (keeps) {
        retained = retained.plus(a.amount);
        continue;
      }
      this.undo(a, key, c.date);
      // Released money is customer credit again, keeping its source (a later reversal still finds it).
      this.newLot(a.source, a.source.startsWith('credit:') ? 'credit-note' : 'payment', inv.currency, a.amount, [], 'unapplied-credit');
    }
    const v = inv.amount.minus(retained);
    inv.status = 'void';
    inv.open = ZERO;
    inv.voidedOn = c.date;
    this.tot(inv.currency).voids = this.tot(inv.currency).voids.plus(v);
    this.doc({ entryKey: key, kind: 'void', date: c.date, currency: inv.currency, documentId: c.invoiceId, number: inv.number, invoiceId: inv.id, credit: v });
  }

  private creditNote(c: Extract<LedgerCommand, { type: 'creditNote.issued' }>, key: string): void {
    const cur = c.amount.currency;
    const amount = D(c.amount.amount);
    this.tot(cur).creditNotes = this.tot(cur).creditNotes.plus(amount);
    const inv = c.invoiceId ? this.invoices.get(c.invoiceId) : undefined;
    this.doc({
      entryKey: key,
      kind: 'credit-note',
      date: c.date,
      currency: cur,
      documentId: c.creditNoteId,
      number: inv?.number,
      invoiceId: c.invoiceId,
      credit: amount,
    });
    const lot = this.newLot(key, 'credit-note', cur, amount, [], 'credit-note');
    if (!c.invoiceId) return;
    this.creditNoteFor.set(key, c.invoiceId);
    if (!inv) {
      lot.reservedFor = [c.invoiceId];
      return;
    }
    if (inv.currency === cur && inv.status === 'open') this.allocate(inv, key, dmin(amount, inv.open), 'credit-note', key, c.date, lot);
  }

  private writeOff(c: Extract<LedgerCommand, { type: 'writeOff.recorded' }>, key: string): void {
    const inv = this.invoices.get(c.invoiceId);
    const cur = c.amount.currency;
    const amount = D(c.amount.amount);
    if (!inv || inv.status === 'void' || inv.currency !== cur) {
      this.anomalies.push({ entryKey: key, message: `write-off of ${inv ? 'void or other-currency' : 'unknown'} invoice ${c.invoiceId}: no effect` });
      return;
    }
    const applied = dmin(amount, inv.open);
    if (applied.lt(amount)) this.anomalies.push({ entryKey: key, message: `write-off ${amount} exceeds open ${inv.open}; applied ${applied}` });
    this.allocate(inv, key, applied, 'write-off', key, c.date);
    this.tot(cur).writeOffs = this.tot(cur).writeOffs.plus(applied);
    this.doc({ entryKey: key, kind: 'write-off', date: c.date, currency: cur, documentId: c.writeOffId, number: inv.number, invoiceId: inv.id, credit: applied });
  }

  private payment(c: Extract<LedgerCommand, { type: 'payment.received' }>, key: string): void {
    const cur = c.amount.currency;
    const amount = D(c.amount.amount);
    this.payments.set(c.paymentId, {
      paymentId: c.paymentId,
      key,
      date: c.date,
      currency: cur,
      amount,
      refunded: ZERO,
      reversed: false,
      channel: c.channel,
      reference: c.reference,
    });
    this.tot(cur).payments = this.tot(cur).payments.plus(amount);
    this.doc({ entryKey: key, kind: 'payment', date: c.date, currency: cur, documentId: c.paymentId, number: c.reference, credit: amount });
    const lot = this.newLot(key, 'payment', cur, amount, [], 'oldest-due-first');
    const split = new Set<string>();
    for (const s of c.allocations ?? []) {
      if (s.amount.currency !== cur) {
        this.anomalies.push({ entryKey: key, message: `split for ${s.invoiceId} in ${s.amount.currency}, payment in ${cur}: ignored` });
        continue;
      }
      if (split.has(s.invoiceId)) continue;
      split.add(s.invoiceId);
      const want = dmin(D(s.amount.amount), lot.remaining);
      if (want.lte(0)) break;
      const inv = this.invoices.get(s.invoiceId);
      if (!inv) {
        lot.remaining = lot.remaining.minus(want);
        this.newLot(key, 'payment', cur, want, [s.invoiceId], 'explicit-split');
      } else if (inv.currency === cur && inv.status === 'open') {
        this.allocate(inv, key, dmin(want, inv.open), 'explicit-split', key, c.date, lot);
      }
    }
    const unknown: string[] = [];
    for (const id of new Set(c.invoiceIds ?? [])) {
      if (split.has(id)) continue;
      const inv = this.invoices.get(id);
      if (!inv) unknown.push(id);
      else if (inv.currency === cur && inv.status === 'open' && lot.remaining.gt(0)) {
        this.allocate(inv, key, dmin(lot.remaining, inv.open), 'named-by-payer', key, c.date, lot);
      }
    }
    if (unknown.length > 0 && lot.remaining.gt(0)) {
      lot.reservedFor = unknown;
      lot.reason = 'named-by-payer';
    }
  }

  private reversal(c: Extract<LedgerCommand, { type: 'payment.reversed' }>, key: string): void {
    const pay = this.payments.get(c.paymentId);
    if (!pay || pay.reversed) {
      this.anomalies.push({ entryKey: key, message: `reversal of ${pay ? 'already reversed' : 'unknown'} payment ${c.paymentId}: no effect` });
      return;
    }
    let eff = ZERO;
    for (const a of this.allocsBySource.get(pay.key) ?? []) {
      if (a.undoneBy) continue;
      this.undo(a, key, c.date);
      eff = eff.plus(a.amount);
    }
    for (const lot of this.lots) {
      if (lot.source !== pay.key) continue;
      eff = eff.plus(lot.remaining);
      lot.remaining = ZERO;
      lot.reservedFor = [];
    }
    pay.reversed = true;
    this.tot(pay.currency).reversals = this.tot(pay.currency).reversals.plus(eff);
    this.doc({ entryKey: key, kind: 'reversal', date: c.date, currency: pay.currency, documentId: c.paymentId, number: pay.reference, debit: eff });
  }

  private refund(c: Extract<LedgerCommand, { type: 'refund.issued' }>, key: string): void {
    const cur = c.amount.currency;
    const amount = D(c.amount.amount);
    this.tot(cur).refunds = this.tot(cur).refunds.plus(amount);
    this.doc({ entryKey: key, kind: 'refund', date: c.date, currency: cur, documentId: c.refundId, debit: amount });
    let rest = amount;
    const draw = (lot: Lot) => {
      if (rest.isZero() || lot.currency !== cur || lot.remaining.isZero()) return;
      const x = dmin(rest, lot.remaining);
      lot.remaining = lot.remaining.minus(x);
      rest = rest.minus(x);
      if (lot.sourceKind === 'payment') {
        const p = this.payments.get(lot.source.slice('payment:'.length));
        if (p) p.refunded = p.refunded.plus(x);
      }
      if (lot.remaining.isZero()) lot.reservedFor = [];
    };
    if (c.paymentId) for (const lot of this.lots) if (lot.source === `payment:${c.paymentId}`) draw(lot);
    for (const lot of this.lots) if (lot.reservedFor.length === 0) draw(lot);
    for (const lot of this.lots) draw(lot);
    if (rest.gt(0)) {
      this.debits.set(key, {
        kind: 'refund-debit',
        id: key,
        key,
        currency: cur,
        amount: rest,
        open: rest,
        issueDate: c.date,
        dueDate: c.date,
        status: 'open',
        number: c.refundId,
      });
    }
  }

  // --- output ------------------------------------------------------------------------------

  state(): LedgerState {
    const invoices: InvoiceState[] = [...this.invoices.values()]
      .sort((a, b) => cmpStr(a.id, b.id))
      .map((r) => ({
        invoiceId: r.id,
        entryKey: r.key,
        number: r.number,
        ...(r.contractId ? { contractId: r.contractId } : {}),
        issueDate: r.issueDate,
        dueDate: r.dueDate,
        amount: money(r.amount, r.currency),
        outstanding: money(r.open, r.currency),
        status: r.status,
        ...(r.voidedOn ? { voidedOn: r.voidedOn } : {}),
      }));
    const refundDebits: RefundDebitState[] = [...this.debits.values()]
      .sort((a, b) => cmpStr(a.id, b.id))
      .map((r) => ({ refundKey: r.id, date: r.issueDate, amount: money(r.amount, r.currency), outstanding: money(r.open, r.currency) }));
    const allocations: Allocation[] = this.allocs.map((a) => ({
      seq: a.seq,
      targetKind: a.target.kind,
      targetId: a.target.id,
      source: a.source,
      amount: money(a.amount, a.currency),
      date: a.date,
      reason: a.reason,
      madeBy: a.madeBy,
      ...(a.undoneBy ? { undoneBy: a.undoneBy, undoneOn: a.undoneOn } : {}),
    }));
    const lots = this.lots.filter((l) => l.remaining.gt(0));
    const credits: CreditLotState[] = lots.map((l) => ({ seq: l.seq, source: l.source, remaining: money(l.remaining, l.currency), reservedFor: [...l.reservedFor] }));
    const payments: PaymentState[] = [...this.payments.values()]
      .sort((a, b) => cmpStr(a.paymentId, b.paymentId))
      .map((p) => {
        const allocated = (this.allocsBySource.get(p.key) ?? []).filter((a) => !a.undoneBy).reduce((s, a) => s.plus(a.amount), ZERO);
        const unapplied = lots.filter((l) => l.source === p.key).reduce((s, l) => s.plus(l.remaining), ZERO);
        return {
          paymentId: p.paymentId,
          date: p.date,
          amount: money(p.amount, p.currency),
          allocated: money(allocated, p.currency),
          unapplied: money(unapplied, p.currency),
          refunded: money(p.refunded, p.currency),
          reversed: p.reversed,
          channel: p.channel,
          ...(p.reference ? { reference: p.reference } : {}),
        };
      });

    const balances: Partial<Record<Currency, string>> = {};
    const receivable: Partial<Record<Currency, string>> = {};
    const unappliedCredit: Partial<Record<Currency, string>> = {};
    const totals: Partial<Record<Currency, CurrencyTotals>> = {};
    const currencies = new Set<Currency>([...this.totals.keys()]);
    for (const cur of currencies) {
      const t = this.tot(cur);
      const bal = t.invoices.minus(t.voids).minus(t.creditNotes).minus(t.payments).plus(t.reversals).plus(t.refunds).minus(t.writeOffs);
      balances[cur] = money(bal, cur).amount;
      const recv = [...this.invoices.values(), ...this.debits.values()].filter((r) => r.currency === cur && r.status !== 'void').reduce((s, r) => s.plus(r.open), ZERO);
      receivable[cur] = money(recv, cur).amount;
      unappliedCredit[cur] = money(
        lots.filter((l) => l.currency === cur).reduce((s, l) => s.plus(l.remaining), ZERO),
        cur,
      ).amount;
      totals[cur] = {
        invoices: money(t.invoices, cur).amount,
        voids: money(t.voids, cur).amount,
        creditNotes: money(t.creditNotes, cur).amount,
        payments: money(t.payments, cur).amount,
        reversals: money(t.reversals, cur).amount,
        refunds: money(t.refunds, cur).amount,
        writeOffs: money(t.writeOffs, cur).amount,
      };
    }
    let minOpenDueDate: CalendarDate | undefined;
    for (const r of this.invoices.values()) {
      if (r.status === 'open' && r.open.gt(0) && (!minOpenDueDate || r.dueDate < minOpenDueDate)) minOpenDueDate = r.dueDate;
    }
    const pending = lots.filter((l) => l.reservedFor.length > 0).map((l) => ({ entryKey: l.source, waitingFor: l.reservedFor.map((id) => `invoice:${id}`) }));
    const contracts: Record<string, ContractUpsert> = {};
    for (const [k, v] of [...this.contracts.entries()].sort((a, b) => cmpStr(a[0], b[0]))) contracts[k] = v;
    return {
      ...(this.customer ? { customer: this.customer } : {}),
      contracts,
      invoices,
      refundDebits,
      allocations,
      credits,
      payments,
      documents: [...this.docs],
      balances,
      receivable,
      unappliedCredit,
      totals,
      pending,
      anomalies: [...this.anomalies],
      entryKeys: [...this.keys],
      ...(minOpenDueDate ? { minOpenDueDate } : {}),
    };
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const arr = m.get(k);
  if (arr) arr.push(v);
  else m.set(k, [v]);
}

export interface FoldOptions {
  /** Only entries dated on or before this date (master data always). */
  through?: CalendarDate;
}

/**
 * Folds a customer's entries (any order, duplicates allowed) into its ledger state.
 * Deterministic: the result depends only on the set of entries.
 */
export function foldLedger(commands: readonly LedgerCommand[], opts: FoldOptions = {}): LedgerState {
  const f = new Folder();
  for (const r of canonicalRows(commands)) {
    if (opts.through && r.date && r.date > opts.through) continue;
    f.run(r.cmd);
  }
  return f.state();
}

/**
 * The state before and after adding one entry (an entry with the same key replaces the stored one,
 * as upserts do). When the new entry sorts after every stored entry — the usual case — the fold simply
 * continues; otherwise (back-dated entry, replacement) it re-runs from the start. Same result as two
 * foldLedger calls.
 */
export function foldWithNext(commands: readonly LedgerCommand[], next: LedgerCommand): { before: LedgerState; after: LedgerState } {
  const rows = canonicalRows(commands);
  const f = new Folder();
  for (const r of rows) f.run(r.cmd);
  const before = f.state();
  const nr = toRow(next);
  const last = rows[rows.length - 1];
  if (rows.some((r) => r.key === nr.key) || (last && cmpRows(last, nr) >= 0)) {
    return { before, after: foldLedger([...rows.filter((r) => r.key !== nr.key).map((r) => r.cmd), next]) };
  }
  f.run(next);
  return { before, after: f.state() };
}
