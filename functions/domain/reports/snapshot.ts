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
import { addDays, daysBetween, type CalendarDate } from '../dates.js';
import { foldLedger } from '../ledger/fold.js';
import { customerAsOf, outstandingOn, timeline } from './as-of.js';
import { bucketIndex, DEFAULT_BUCKETS, type Bucket } from './buckets.js';
import type { CustomerBook, Period } from './model.js';
import { spans } from './periods.js';
import { assembleDynamics, bySeries, dynamicsColumns } from './dynamics.js';
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
  const columns = dynamicsColumns(undefined);
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

/** Groupings a day's totals keep (what the nightly snapshot knows of each customer). */
export const SNAPSHOT_GROUPS = ['manager', 'segment', 'portfolio'] as const;
export type SnapshotGroup = (typeof SNAPSHOT_GROUPS)[number];

export interface SnapshotTotalsRow {
  /** "total", or the grouping the row sums. */
  groupBy: 'total' | SnapshotGroup;
  group: string;
  currency: string;
  receivables: string;
  overdue: string;
  newInvoices: string;
  payments: string;
}

/** A day's snapshot summed per currency, and per manager / segment / portfolio: a few KB at any ledger size. */
export interface SnapshotTotals {
  date: CalendarDate;
  rows: SnapshotTotalsRow[];
}

export function snapshotTotals(s: DailySnapshot): SnapshotTotals {
  const acc = new Map<string, { groupBy: SnapshotTotalsRow['groupBy']; group: string; currency: string; v: Decimal[] }>();
  for (const r of s.rows) {
    for (const [groupBy, group] of [
      ['total', 'total'],
      ['manager', r.manager],
      ['segment', r.segment],
      ['portfolio', r.portfolio],
    ] as const) {
      const id = `${groupBy}\u0000${group}\u0000${r.currency}`;
      const a = acc.get(id) ?? { groupBy, group, currency: r.currency, v: [0, 0, 0, 0].map(() => new Decimal(0)) };
      a.v = [a.v[0]!.plus(r.receivables), a.v[1]!.plus(r.overdue), a.v[2]!.plus(r.newInvoices), a.v[3]!.plus(r.payments)];
      acc.set(id, a);
    }
  }
  const rows = [...acc.values()]
    .sort((a, b) => a.groupBy.localeCompare(b.groupBy) || a.group.localeCompare(b.group) || a.currency.localeCompare(b.currency))
    .map((a) => ({
      groupBy: a.groupBy,
      group: a.group,
      currency: a.currency,
      receivables: safeFmt(a.v[0]!, a.currency),
      overdue: safeFmt(a.v[1]!, a.currency),
      newInvoices: safeFmt(a.v[2]!, a.currency),
      payments: safeFmt(a.v[3]!, a.currency),
    }));
  return { date: s.date, rows };
}

/**
 * Dynamics over a range by day, week or month (optionally per manager, segment or portfolio) from the
 * stored daily totals alone: receivables and overdue at each period's last day from that day's
 * totals, new invoices and payments summed over its days. The same figures and shape as
 * dynamicsReport (tested) when every day from `from` to min(`to`, asOf) has its totals; the caller
 * checks that. A customer's grouping is the one it had on each day (the ledger report uses the as-of date's).
 */
export function dynamicsFromTotals(
  totals: readonly SnapshotTotals[],
  p: { asOf: CalendarDate; from: CalendarDate; to: CalendarDate; period: Period; groupBy?: SnapshotGroup },
): Report {
  const periods = spans(p.from, p.to, p.period);
  const through = p.to < p.asOf ? p.to : p.asOf;
  const byDay = new Map(totals.map((t) => [t.date, t]));
  const want = p.groupBy ?? 'total';
  const series = new Map<string, { group: string; currency: string }>();
  const at = new Map<string, SnapshotTotalsRow>();
  for (const t of totals) {
    for (const r of t.rows) {
      if (r.groupBy !== want) continue;
      series.set(`${r.group}\u0000${r.currency}`, { group: r.group, currency: r.currency });
      at.set(`${t.date}\u0000${r.group}\u0000${r.currency}`, r);
    }
  }
  const columns = dynamicsColumns(p.groupBy);
  const rows: Row[] = [];
  for (const { group, currency } of bySeries(series.values())) {
    const cell = (day: CalendarDate, k: 'receivables' | 'overdue' | 'newInvoices' | 'payments') => new Decimal(at.get(`${day}\u0000${group}\u0000${currency}`)?.[k] ?? 0);
    for (const sp of periods) {
      const known = sp.end <= through;
      let n = new Decimal(0);
      let pay = new Decimal(0);
      for (let d = sp.start; d <= sp.end && d <= through; d = addDays(d, 1)) {
        if (!byDay.has(d)) continue;
        n = n.plus(cell(d, 'newInvoices'));
        pay = pay.plus(cell(d, 'payments'));
      }
      rows.push({
        period: sp.label,
        start: sp.start,
        end: sp.end,
        ...(p.groupBy ? { group } : {}),
        currency,
        total: known ? safeFmt(cell(sp.end, 'receivables'), currency) : null,
        overdue: known ? safeFmt(cell(sp.end, 'overdue'), currency) : null,
        newInvoices: sp.start <= through ? safeFmt(n, currency) : null,
        payments: sp.start <= through ? safeFmt(pay, currency) : null,
      });
    }
  }
  return assembleDynamics(p, columns, rows, {
    params: { source: 'snapshots' },
    lead: [
      'From the nightly snapshots (reports/snapshots/<date>.totals.json): each day as the ledger stood that night; a correction dated earlier but booked later is not in them (source=ledger gives the exact re-statement).',
    ],
    notes: [],
  });
}
