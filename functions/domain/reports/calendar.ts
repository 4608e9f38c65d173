/**
 * Payment calendar: expected inflows per day or week from the due dates of open invoices, promises
 * to pay and agreed payment schedules, beside the payments actually received. A customer with an
 * active promise or schedule is expected to pay by it (its invoices' due dates are not counted again).
 * Invoices already overdue before the range have no date to expect them on: their sum is the
 * "overdue, no date" figure of the totals.
 *
 * Weighted by payment discipline (the credit module's `paymentDiscipline` as of the date): each
 * customer's expected inflows × its on-time share (the amount-weighted share of its invoices due in
 * the trailing window that were paid by their due date); a customer with too little history for a
 * category ("new") counts at face value (weight 1).
 */
import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../dates.js';
import { foldLedger } from '../ledger/fold.js';
import { DEFAULT_CREDIT_POLICY, type CreditPolicy } from '../credit/policy.js';
import { customerAsOf, disciplineAsOf, type CustomerAsOf } from './as-of.js';
import type { CustomerBook, GroupBy, Period } from './model.js';
import { spans } from './periods.js';
import { safeFmt, sumBy, type Column, type Report, type Row } from './table.js';

export interface CalendarParams {
  asOf: CalendarDate;
  from: CalendarDate;
  to: CalendarDate;
  period: Extract<Period, 'day' | 'week'> | Period;
  groupBy?: GroupBy;
  /** Its discipline rules weigh the expected inflows (default: the default credit policy). */
  creditPolicy?: CreditPolicy;
}

/** A customer's weight for expected inflows: its on-time share as of the date, 1 without enough history ("new"). */
function disciplineWeight(c: CustomerAsOf, asOf: CalendarDate, policy: CreditPolicy = DEFAULT_CREDIT_POLICY): Decimal {
  const d = disciplineAsOf(c, asOf, policy.discipline);
  return d.category === 'new' ? new Decimal(1) : new Decimal(d.onTimeShare);
}

export function calendarReport(books: readonly CustomerBook[], p: CalendarParams): Report {
  const periods = spans(p.from, p.to, p.period);
  const spanOf = (d: CalendarDate): number => {
    if (d < p.from || d > p.to) return -1;
    let lo = 0;
    let hi = periods.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (periods[mid]!.end < d) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  type Acc = { due: Decimal; promised: Decimal; scheduled: Decimal; weighted: Decimal; actual: Decimal };
  const cells = new Map<string, Acc>();
  const overdueUndated = new Map<string, Decimal>();
  const cell = (span: number, group: string, currency: string): Acc => {
    const id = `${span}\u0000${group}\u0000${currency}`;
    let a = cells.get(id);
    if (!a) cells.set(id, (a = { due: new Decimal(0), promised: new Decimal(0), scheduled: new Decimal(0), weighted: new Decimal(0), actual: new Decimal(0) }));
    return a;
  };
  const actualThrough = p.to < p.asOf ? p.to : p.asOf;
  for (const book of books) {
    const c = customerAsOf(book, p.asOf);
    const group = p.groupBy && p.groupBy !== 'contract' ? { customer: c.customerId, manager: c.manager, segment: c.segment, portfolio: c.method }[p.groupBy] : 'total';
    const active = c.promises.filter((x) => !(x.resolvedOn && x.resolvedOn <= p.asOf) && x.until >= p.from);
    let weight: Decimal | undefined;
    const expect = (i: number, cur: string, kind: 'due' | 'promised' | 'scheduled', amount: Decimal.Value) => {
      weight ??= disciplineWeight(c, p.asOf, p.creditPolicy);
      const a = cell(i, group, cur);
      a[kind] = a[kind].plus(amount);
      a.weighted = a.weighted.plus(new Decimal(amount).times(weight));
    };
    for (const x of active) {
      if (x.kind === 'promise' && x.amount) {
        const i = spanOf(x.until);
        if (i >= 0) expect(i, x.amount.currency, 'promised', x.amount.amount);
      } else if (x.kind === 'schedule' && x.installments && x.amount) {
        for (const inst of x.installments) {
          const i = spanOf(inst.date);
          if (i >= 0) expect(i, x.amount.currency, 'scheduled', inst.amount);
        }
      }
    }
    if (!active.length) {
      for (const inv of c.state.invoices) {
        if (inv.status !== 'open') continue;
        const cur = inv.amount.currency;
        if (inv.dueDate < p.from) {
          overdueUndated.set(`${group}\u0000${cur}`, (overdueUndated.get(`${group}\u0000${cur}`) ?? new Decimal(0)).plus(inv.outstanding.amount));
          continue;
        }
        const i = spanOf(inv.dueDate);
        if (i >= 0) expect(i, cur, 'due', inv.outstanding.amount);
      }
    }
    if (p.from <= actualThrough) {
      const st = actualThrough === p.asOf ? c.state : foldLedger(book.entries, { through: actualThrough });
      for (const pay of st.payments) {
        if (pay.date < p.from || pay.date > actualThrough) continue;
        const i = spanOf(pay.date);
        if (i >= 0) cell(i, group, pay.amount.currency).actual = cell(i, group, pay.amount.currency).actual.plus(pay.amount.amount);
      }
    }
  }
  const columns: Column[] = [
    { key: 'period', label: 'Period', type: 'text' },
    { key: 'start', label: 'From', type: 'date' },
    { key: 'end', label: 'To', type: 'date' },
    ...(p.groupBy && p.groupBy !== 'contract' ? [{ key: 'group', label: p.groupBy, type: 'text' as const }] : []),
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'expectedDue', label: 'Expected: invoices due', type: 'money' },
    { key: 'expectedPromised', label: 'Expected: promises', type: 'money' },
    { key: 'expectedScheduled', label: 'Expected: schedules', type: 'money' },
    { key: 'expected', label: 'Expected total', type: 'money' },
    { key: 'expectedWeighted', label: 'Expected, weighted by payment discipline', type: 'money' },
    { key: 'actual', label: 'Actual inflows', type: 'money' },
  ];
  const rows: Row[] = [];
  const keys = [...cells.keys()].map((k) => k.split('\u0000')).sort((a, b) => Number(a[0]) - Number(b[0]) || a[1]!.localeCompare(b[1]!) || a[2]!.localeCompare(b[2]!));
  for (const [si, group, cur] of keys) {
    const a = cells.get(`${si}\u0000${group}\u0000${cur}`)!;
    const sp = periods[Number(si)]!;
    rows.push({
      period: sp.label,
      start: sp.start,
      end: sp.end,
      ...(p.groupBy && p.groupBy !== 'contract' ? { group: group! } : {}),
      currency: cur!,
      expectedDue: safeFmt(a.due, cur!),
      expectedPromised: safeFmt(a.promised, cur!),
      expectedScheduled: safeFmt(a.scheduled, cur!),
      expected: safeFmt(a.due.plus(a.promised).plus(a.scheduled), cur!),
      expectedWeighted: safeFmt(a.weighted, cur!),
      actual: sp.start <= actualThrough ? safeFmt(a.actual, cur!) : null,
    });
  }
  const money = ['expectedDue', 'expectedPromised', 'expectedScheduled', 'expected', 'expectedWeighted', 'actual'];
  const totals = sumBy(rows, () => 'total', money, { keyName: 'scope', keyLabel: 'Scope', columns });
  totals.columns.push({ key: 'overdueUndated', label: 'Overdue before the range (no date)', type: 'money' });
  for (const t of totals.rows) {
    let x = new Decimal(0);
    for (const [k, v] of overdueUndated) if (k.endsWith(`\u0000${t.currency}`)) x = x.plus(v);
    t.overdueUndated = safeFmt(x, String(t.currency));
  }
  for (const [k, v] of overdueUndated) {
    const cur = k.split('\u0000')[1]!;
    if (!totals.rows.some((t) => t.currency === cur))
      totals.rows.push({ scope: 'total', currency: cur, ...Object.fromEntries(money.map((m) => [m, safeFmt(new Decimal(0), cur)])), overdueUndated: safeFmt(v, cur) });
  }
  return {
    report: 'calendar',
    title: `Payment calendar ${p.from} – ${p.to} as of ${p.asOf}`,
    asOf: p.asOf,
    from: p.from,
    to: p.to,
    period: p.period,
    ...(p.groupBy ? { groupBy: p.groupBy } : {}),
    params: {},
    detail: { columns, rows },
    groups: sumBy(rows, (r) => String(r.group ?? 'total'), money, { keyName: p.groupBy ?? 'scope', keyLabel: p.groupBy ?? 'Scope', columns }),
    totals,
    charts: [...new Set(rows.map((r) => String(r.currency)))].map((cur) => {
      const per = periods.map((sp) => rows.filter((r) => r.currency === cur && r.start === sp.start));
      const sum = (rs: Row[], k: string) => rs.reduce((s, r) => s + Number(r[k] ?? 0), 0);
      return {
        title: `Expected and actual inflows, ${cur}`,
        kind: 'bar' as const,
        categories: periods.map((sp) => sp.label),
        series: [
          { name: 'Expected', values: per.map((rs) => sum(rs, 'expected')) },
          { name: 'Expected, weighted', values: per.map((rs) => sum(rs, 'expectedWeighted')) },
          { name: 'Actual', values: per.map((rs) => sum(rs, 'actual')) },
        ],
      };
    }),
    notes: [
      'Expected inflows: open invoices on their due dates; a customer with an active promise or schedule on the promised dates instead.',
      'Expected, weighted: each customer’s expected inflows × its on-time share by payment discipline as of the date (credit module: amount paid by the due date ÷ amount due over the trailing window); a customer without enough history for a category counts at face value.',
      ...(p.groupBy === 'contract' ? ['Promises and payments are not tied to contracts: grouping by contract is not applied to the calendar.'] : []),
    ],
  };
}
