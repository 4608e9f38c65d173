/**
 * Daily snapshots: one small row per customer and currency for a day — receivables and overdue at
 * the end of the day, the principal in each aging bucket, invoices issued and payments received that
 * day, the customer's manager, segment and collection method. A day's snapshot is computed once (by
 * the nightly job) and stored; dynamics over any range and totals for past dates are then sums of
 * stored rows (a year of days = 365 small objects) instead of folds of the whole ledger.
 * Pure. Summed over customers, a snapshot's figures equal the dynamics and aging reports of that day
 * (tested).
 */
import { Decimal } from 'decimal.js';
import { daysBetween, type CalendarDate } from '../dates.js';
import { foldLedger } from '../ledger/fold.js';
import { customerAsOf, outstandingOn, timeline } from './as-of.js';
import { bucketIndex, DEFAULT_BUCKETS, type Bucket } from './buckets.js';
import type { CustomerBook } from './model.js';
import { safeFmt, type Report, type Row } from './table.js';

export interface SnapshotRow {
  customerId: string;
  currency: string;
  manager: string;
  segment: string;
  portfolio: string;
  receivables: string;
  overdue: string;
  /** Principal per bucket, in the order of `buckets`. */
  buckets: string[];
  newInvoices: string;
  payments: string;
}

export interface DailySnapshot {
  date: CalendarDate;
  buckets: Bucket[];
  rows: SnapshotRow[];
}

export function dailySnapshot(books: readonly CustomerBook[], date: CalendarDate, buckets: readonly Bucket[] = DEFAULT_BUCKETS): DailySnapshot {
  const rows: SnapshotRow[] = [];
  for (const book of books) {
    const state = foldLedger(book.entries, { through: date });
    const c = customerAsOf(book, date, state);
    const per = new Map<string, { r: Decimal; o: Decimal; b: Decimal[]; n: Decimal; p: Decimal }>();
    const acc = (cur: string) => {
      let a = per.get(cur);
      if (!a) per.set(cur, (a = { r: new Decimal(0), o: new Decimal(0), b: buckets.map(() => new Decimal(0)), n: new Decimal(0), p: new Decimal(0) }));
      return a;
    };
    for (const l of timeline(state)) {
      const out = outstandingOn(l, date);
      const a = acc(l.currency);
      if (l.kind === 'invoice' && l.issueDate === date) a.n = a.n.plus(l.amount);
      if (out.isZero()) continue;
      a.r = a.r.plus(out);
      if (l.dueDate < date) a.o = a.o.plus(out);
      const i = bucketIndex(buckets, daysBetween(l.dueDate, date));
      a.b[i] = a.b[i]!.plus(out);
    }
    for (const p of state.payments) if (p.date === date) acc(p.amount.currency).p = acc(p.amount.currency).p.plus(p.amount.amount);
    for (const [cur, a] of [...per].sort((x, y) => x[0].localeCompare(y[0]))) {
      if (a.r.isZero() && a.n.isZero() && a.p.isZero()) continue;
      rows.push({
        customerId: c.customerId,
        currency: cur,
        manager: c.manager,
        segment: c.segment,
        portfolio: c.method,
        receivables: safeFmt(a.r, cur),
        overdue: safeFmt(a.o, cur),
        buckets: a.b.map((x) => safeFmt(x, cur)),
        newInvoices: safeFmt(a.n, cur),
        payments: safeFmt(a.p, cur),
      });
    }
  }
  return { date, buckets: [...buckets], rows };
}

/**
 * Dynamics (per day) from stored snapshots: receivables and overdue at each day's end, new invoices
 * and payments of the day, per currency — the same figures as dynamicsReport with period "day",
 * without reading the ledger. Days without a snapshot are listed in the notes and left empty.
 */
export function dynamicsFromSnapshots(snapshots: readonly DailySnapshot[], p: { asOf: CalendarDate; from: CalendarDate; to: CalendarDate; days: CalendarDate[] }): Report {
  const byDay = new Map(snapshots.map((s) => [s.date, s]));
  const rows: Row[] = [];
  const missing: string[] = [];
  for (const day of p.days) {
    const s = byDay.get(day);
    if (!s) {
      missing.push(day);
      continue;
    }
    const per = new Map<string, Decimal[]>();
    for (const r of s.rows) {
      const a = per.get(r.currency) ?? [0, 0, 0, 0].map(() => new Decimal(0));
      a[0] = a[0]!.plus(r.receivables);
      a[1] = a[1]!.plus(r.overdue);
      a[2] = a[2]!.plus(r.newInvoices);
      a[3] = a[3]!.plus(r.payments);
      per.set(r.currency, a);
    }
    for (const [cur, a] of [...per].sort((x, y) => x[0].localeCompare(y[0]))) {
      rows.push({
        period: day,
        start: day,
        end: day,
        currency: cur,
        total: safeFmt(a[0]!, cur),
        overdue: safeFmt(a[1]!, cur),
        newInvoices: safeFmt(a[2]!, cur),
        payments: safeFmt(a[3]!, cur),
      });
    }
  }
  const columns = [
    { key: 'period', label: 'Period', type: 'text' as const },
    { key: 'start', label: 'From', type: 'date' as const },
    { key: 'end', label: 'To', type: 'date' as const },
    { key: 'currency', label: 'Currency', type: 'text' as const },
    { key: 'total', label: 'Receivables at end', type: 'money' as const },
    { key: 'overdue', label: 'Overdue at end', type: 'money' as const },
    { key: 'newInvoices', label: 'New invoices', type: 'money' as const },
    { key: 'payments', label: 'Payments', type: 'money' as const },
  ];
  return {
    report: 'dynamics',
    title: `Receivables dynamics ${p.from} – ${p.to} by day (from daily snapshots)`,
    asOf: p.asOf,
    from: p.from,
    to: p.to,
    period: 'day',
    params: { source: 'snapshots' },
    detail: { columns, rows },
    groups: { columns: [], rows: [] },
    totals: { columns, rows },
    charts: [],
    notes: missing.length ? [`No snapshot for ${missing.length} day(s): ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ' …' : ''}`] : [],
  };
}
