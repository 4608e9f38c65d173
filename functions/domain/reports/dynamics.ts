/**
 * Receivables dynamics over a date range, per day, week or month: at each period's end the total
 * receivables and the overdue part (outstanding of items due before that day), and within the period
 * the new invoices and the payments received. Read from one fold per customer (as-of.ts timeline),
 * summed by sweeping dated changes, so a year of days costs one pass over the items.
 */
import { Decimal } from 'decimal.js';
import { addDays, type CalendarDate } from '../dates.js';
import { foldLedger } from '../ledger/fold.js';
import { customerAsOf, groupKeys, outstandingOn, timeline, type ReceivableLine } from './as-of.js';
import type { CustomerBook, GroupBy, Period } from './model.js';
import { spans } from './periods.js';
import { safeFmt, sumBy, type Column, type Report, type Row } from './table.js';

export interface DynamicsParams {
  asOf: CalendarDate;
  from: CalendarDate;
  to: CalendarDate;
  period: Period;
  groupBy?: GroupBy;
}

type Series = { total: Map<string, Decimal>; overdue: Map<string, Decimal>; invoiced: Map<string, Decimal>; paid: Map<string, Decimal> };
const add = (m: Map<string, Decimal>, day: string, x: Decimal) => m.set(day, (m.get(day) ?? new Decimal(0)).plus(x));

export function dynamicsReport(books: readonly CustomerBook[], p: DynamicsParams): Report {
  const through = p.to < p.asOf ? p.to : p.asOf;
  const periods = spans(p.from, p.to, p.period);
  // Per (group, currency): dated changes.
  const series = new Map<string, { group: string; currency: string; s: Series }>();
  const get = (group: string, currency: string) => {
    const id = `${group}\u0000${currency}`;
    let x = series.get(id);
    if (!x) {
      x = { group, currency, s: { total: new Map(), overdue: new Map(), invoiced: new Map(), paid: new Map() } };
      series.set(id, x);
    }
    return x.s;
  };
  for (const book of books) {
    const state = foldLedger(book.entries, { through });
    const c = customerAsOf(book, through, state);
    for (const l of timeline(state)) {
      const keys = groupKeys(c, l.contractId);
      const s = get(p.groupBy ? keys[p.groupBy] : 'total', l.currency);
      const firstOverdue = addDays(l.dueDate, 1);
      const change = (day: CalendarDate, x: Decimal) => {
        add(s.total, day, x);
        add(s.overdue, day > firstOverdue ? day : firstOverdue, x);
      };
      change(l.issueDate, l.amount);
      const v = l.voidedOn;
      for (const a of l.applied) {
        // Nothing moves a void invoice after its void day (it stays at zero).
        if (v && a.date > v) continue;
        change(a.date, a.amount.neg());
        if (a.undoneOn && !(v && a.undoneOn > v)) change(a.undoneOn, a.amount);
      }
      if (v) change(v, outstandingOn({ ...l, voidedOn: undefined } as ReceivableLine, v).neg());
      if (l.kind === 'invoice') add(s.invoiced, l.issueDate, l.amount);
    }
    const paymentGroup = p.groupBy === 'contract' ? undefined : p.groupBy;
    for (const pay of state.payments) {
      const keys = groupKeys(c);
      const s = get(paymentGroup ? keys[paymentGroup] : p.groupBy === 'contract' ? keys.contract : 'total', pay.amount.currency);
      add(s.paid, pay.date, new Decimal(pay.amount.amount));
    }
  }
  const columns = dynamicsColumns(p.groupBy);
  const rows: Row[] = [];
  for (const { group, currency, s } of bySeries(series.values())) {
    const cum = (m: Map<string, Decimal>) => {
      const days = [...m.keys()].sort();
      let i = 0;
      let acc = new Decimal(0);
      return (upTo: string) => {
        while (i < days.length && days[i]! <= upTo) acc = acc.plus(m.get(days[i++]!)!);
        return acc;
      };
    };
    const total = cum(s.total);
    const overdue = cum(s.overdue);
    const within = (m: Map<string, Decimal>, a: string, b: string) => {
      let x = new Decimal(0);
      for (const [d, v] of m) if (d >= a && d <= b) x = x.plus(v);
      return x;
    };
    for (const sp of periods) {
      const known = sp.end <= through;
      rows.push({
        period: sp.label,
        start: sp.start,
        end: sp.end,
        ...(p.groupBy ? { group } : {}),
        currency,
        total: known ? safeFmt(total(sp.end), currency) : null,
        overdue: known ? safeFmt(overdue(sp.end), currency) : null,
        newInvoices: sp.start <= through ? safeFmt(within(s.invoiced, sp.start, sp.end < through ? sp.end : through), currency) : null,
        payments: sp.start <= through ? safeFmt(within(s.paid, sp.start, sp.end < through ? sp.end : through), currency) : null,
      });
    }
  }
  return assembleDynamics(p, columns, rows, {
    params: {},
    notes: p.groupBy === 'contract' ? ['Payments are not tied to a contract: they appear under "<customer>/(no contract)".'] : [],
  });
}

/** The dynamics table's columns (one definition for the ledger and the snapshot sources). */
export function dynamicsColumns(groupBy: string | undefined): Column[] {
  return [
    { key: 'period', label: 'Period', type: 'text' },
    { key: 'start', label: 'From', type: 'date' },
    { key: 'end', label: 'To', type: 'date' },
    ...(groupBy ? [{ key: 'group', label: groupBy, type: 'text' as const }] : []),
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'total', label: 'Receivables at end', type: 'money' },
    { key: 'overdue', label: 'Overdue at end', type: 'money' },
    { key: 'newInvoices', label: 'New invoices', type: 'money' },
    { key: 'payments', label: 'Payments', type: 'money' },
  ];
}

/** Series in report order: by group, then currency. */
export function bySeries<T extends { group: string; currency: string }>(series: Iterable<T>): T[] {
  return [...series].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.currency < b.currency ? -1 : 1));
}

/**
 * The dynamics report around its rows, whichever source computed them: group and period sums, one
 * line chart per currency, the notes (the source's first, then the ones every source shares).
 */
export function assembleDynamics(
  p: { asOf: CalendarDate; from: CalendarDate; to: CalendarDate; period: Period; groupBy?: GroupBy },
  columns: Column[],
  rows: Row[],
  extra: { params: Record<string, string>; lead?: string[]; notes: string[] },
): Report {
  const groups = sumBy(rows, (r) => String(r.group ?? 'total'), ['newInvoices', 'payments'], { keyName: p.groupBy ?? 'scope', keyLabel: p.groupBy ?? 'Scope', columns });
  const totals = sumBy(rows, (r) => String(r.period), ['total', 'overdue', 'newInvoices', 'payments'], { keyName: 'period', keyLabel: 'Period', columns });
  const currencies = [...new Set(totals.rows.map((r) => String(r.currency)))];
  return {
    report: 'dynamics',
    title: `Receivables dynamics ${p.from} – ${p.to} by ${p.period}`,
    asOf: p.asOf,
    from: p.from,
    to: p.to,
    period: p.period,
    ...(p.groupBy ? { groupBy: p.groupBy } : {}),
    params: extra.params,
    detail: { columns, rows },
    groups,
    totals,
    charts: currencies.map((cur) => {
      const t = totals.rows.filter((r) => r.currency === cur);
      return {
        title: `Receivables and overdue, ${cur}`,
        kind: 'line' as const,
        categories: t.map((r) => String(r.period)),
        series: [
          { name: 'Receivables', values: t.map((r) => Number(r.total)) },
          { name: 'Overdue', values: t.map((r) => Number(r.overdue)) },
        ],
      };
    }),
    notes: [
      ...(extra.lead ?? []),
      'Receivables at end: outstanding of open invoices and refund debits at the end of the period (before unapplied credit).',
      'Overdue at end: the part due before the period’s last day.',
      ...(p.to > p.asOf ? [`Periods after the as-of date ${p.asOf} are left empty.`] : []),
      ...extra.notes,
    ],
  };
}
