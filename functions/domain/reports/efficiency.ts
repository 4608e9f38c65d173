/**
 * Collection efficiency per group (manager, portfolio, segment, customer) and currency over a
 * period [from, to = asOf]: DSO (simple, countback, best-possible), ADD, CEI, and recovery after each
 * dunning stage (share of the amount in the letters of that stage paid within N days of the letter),
 * each beside its target from configuration. Formulas: efficiency-formulas.ts, docs/reports.md.
 */
import { Decimal } from 'decimal.js';
import { addDays, daysBetween, type CalendarDate } from '../dates.js';
import { foldLedger } from '../ledger/fold.js';
import { STAGES, type StageName } from '../policy/schema.js';
import { customerAsOf, groupKeys, outstandingOn, timeline } from './as-of.js';
import { averageDaysDelinquent, bestPossibleDso, collectionEffectivenessIndex, countbackDso, recoveryPct, simpleDso } from './efficiency-formulas.js';
import type { CustomerBook, GroupBy, Targets } from './model.js';
import { checkRange, monthsBack, spanDays } from './periods.js';
import { safeFmt, type Column, type Report, type Row } from './table.js';

export interface EfficiencyParams {
  asOf: CalendarDate;
  /** Start of the measured period (default: asOf − 89 days, a 90-day period). */
  from?: CalendarDate;
  groupBy?: GroupBy;
  /** N in "paid within N days of the letter" (default 14). */
  recoveryWindowDays?: number;
  /** Months of sales the countback may walk back (default 12). */
  countbackMonths?: number;
  targets?: Targets;
}

interface Acc {
  group: string;
  currency: string;
  customers: Set<string>;
  beginAr: Decimal;
  sales: Decimal;
  endAr: Decimal;
  endCurrent: Decimal;
  monthly: Decimal[];
  letters: Record<StageName, { count: number; asked: Decimal; paid: Decimal }>;
}

export function efficiencyMeasures(books: readonly CustomerBook[], p: EfficiencyParams) {
  const to = p.asOf;
  const from = p.from ?? addDays(to, -89);
  checkRange(from, to);
  const n = p.recoveryWindowDays ?? 14;
  const months = monthsBack(to, p.countbackMonths ?? 12);
  const groupBy = p.groupBy ?? 'manager';
  const beforeFrom = addDays(from, -1);
  const accs = new Map<string, Acc>();
  const acc = (group: string, currency: string): Acc => {
    const id = `${group}\u0000${currency}`;
    let a = accs.get(id);
    if (!a) {
      a = {
        group,
        currency,
        customers: new Set(),
        beginAr: new Decimal(0),
        sales: new Decimal(0),
        endAr: new Decimal(0),
        endCurrent: new Decimal(0),
        monthly: months.map(() => new Decimal(0)),
        letters: Object.fromEntries(STAGES.map((s) => [s, { count: 0, asked: new Decimal(0), paid: new Decimal(0) }])) as Acc['letters'],
      };
      accs.set(id, a);
    }
    return a;
  };
  for (const book of books) {
    const state = foldLedger(book.entries, { through: to });
    const c = customerAsOf(book, to, state);
    const lines = timeline(state);
    const byInvoice = new Map(lines.filter((l) => l.kind === 'invoice').map((l) => [l.id, l]));
    const customerGroup = groupBy === 'contract' ? undefined : groupKeys(c)[groupBy];
    for (const l of lines) {
      const a = acc(customerGroup ?? groupKeys(c, l.contractId).contract, l.currency);
      a.customers.add(c.customerId);
      a.beginAr = a.beginAr.plus(outstandingOn(l, beforeFrom));
      const end = outstandingOn(l, to);
      a.endAr = a.endAr.plus(end);
      if (l.dueDate >= to) a.endCurrent = a.endCurrent.plus(end);
      if (l.kind !== 'invoice') continue;
      const net = l.voidedOn && l.voidedOn <= to ? new Decimal(0) : l.amount;
      if (l.issueDate >= from && l.issueDate <= to) a.sales = a.sales.plus(net);
      months.forEach((m, i) => {
        if (l.issueDate >= m.start && l.issueDate <= m.end) a.monthly[i] = a.monthly[i]!.plus(net);
      });
    }
    for (const letter of book.letters) {
      if (letter.runDate < from || letter.runDate > to || addDays(letter.runDate, n) > to) continue;
      const windowEnd = addDays(letter.runDate, n);
      for (const t of letter.total) {
        const first = letter.invoiceIds.map((id) => byInvoice.get(id)).find((l) => l);
        const a = acc(customerGroup ?? groupKeys(c, first?.contractId).contract, t.currency);
        let paid = new Decimal(0);
        for (const id of letter.invoiceIds) {
          const l = byInvoice.get(id);
          if (!l || l.currency !== t.currency) continue;
          for (const x of l.applied) {
            if (!x.source.startsWith('payment:')) continue;
            if (x.date > letter.runDate && x.date <= windowEnd && !(x.undoneOn && x.undoneOn <= to)) paid = paid.plus(x.amount);
          }
        }
        const asked = new Decimal(t.amount);
        const s = a.letters[letter.stage];
        s.count += 1;
        s.asked = s.asked.plus(asked);
        s.paid = s.paid.plus(Decimal.min(paid, asked));
      }
    }
  }
  const days = daysBetween(from, to) + 1;
  const measures = [...accs.values()]
    .sort((x, y) => x.group.localeCompare(y.group) || x.currency.localeCompare(y.currency))
    .map((a) => {
      const dso = simpleDso(a.endAr, a.sales, days);
      const bp = bestPossibleDso(a.endCurrent, a.sales, days);
      const cb = countbackDso(
        a.endAr,
        months.map((m, i) => ({ sales: a.monthly[i]!, days: spanDays(m) })),
      );
      return {
        group: a.group,
        currency: a.currency,
        customers: a.customers.size,
        beginAr: safeFmt(a.beginAr, a.currency),
        creditSales: safeFmt(a.sales, a.currency),
        endAr: safeFmt(a.endAr, a.currency),
        endCurrentAr: safeFmt(a.endCurrent, a.currency),
        dso,
        countbackDso: cb.days,
        countbackExhausted: cb.exhausted,
        bestPossibleDso: bp,
        add: averageDaysDelinquent(dso, bp),
        cei: collectionEffectivenessIndex(a.beginAr, a.sales, a.endAr, a.endCurrent),
        recovery: Object.fromEntries(
          STAGES.map((s) => [
            s,
            {
              letters: a.letters[s].count,
              asked: safeFmt(a.letters[s].asked, a.currency),
              paid: safeFmt(a.letters[s].paid, a.currency),
              pct: recoveryPct(a.letters[s].paid, a.letters[s].asked),
            },
          ]),
        ) as Record<StageName, { letters: number; asked: string; paid: string; pct: number | null }>,
      };
    });
  return { from, to, days, recoveryWindowDays: n, groupBy, measures };
}

export type EfficiencyMeasure = ReturnType<typeof efficiencyMeasures>['measures'][number];

const onTarget = (value: number | null, target: number | undefined, higherIsBetter: boolean): string | null => {
  if (value === null || target === undefined) return null;
  return (higherIsBetter ? value >= target : value <= target) ? 'met' : 'missed';
};

export function efficiencyReport(books: readonly CustomerBook[], p: EfficiencyParams): Report {
  const m = efficiencyMeasures(books, p);
  const t = p.targets ?? {};
  const columns: Column[] = [
    { key: 'group', label: m.groupBy, type: 'text' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'customers', label: 'Customers', type: 'int' },
    { key: 'beginAr', label: 'Receivables at start', type: 'money' },
    { key: 'creditSales', label: 'Credit sales', type: 'money' },
    { key: 'endAr', label: 'Receivables at end', type: 'money' },
    { key: 'endCurrentAr', label: 'Current receivables at end', type: 'money' },
    { key: 'dso', label: 'DSO (days)', type: 'number' },
    { key: 'dsoTarget', label: 'DSO target', type: 'number' },
    { key: 'dsoStatus', label: 'DSO vs target', type: 'text' },
    { key: 'countbackDso', label: 'Countback DSO (days)', type: 'number' },
    { key: 'bestPossibleDso', label: 'Best-possible DSO (days)', type: 'number' },
    { key: 'add', label: 'ADD (days)', type: 'number' },
    { key: 'addTarget', label: 'ADD target', type: 'number' },
    { key: 'cei', label: 'CEI (%)', type: 'pct' },
    { key: 'ceiTarget', label: 'CEI target', type: 'pct' },
    { key: 'ceiStatus', label: 'CEI vs target', type: 'text' },
    ...STAGES.flatMap((s) => [
      { key: `${s}Letters`, label: `${s}: letters`, type: 'int' as const },
      { key: `${s}Asked`, label: `${s}: amount in letters`, type: 'money' as const },
      { key: `${s}Paid`, label: `${s}: paid within ${m.recoveryWindowDays} d`, type: 'money' as const },
      { key: `${s}RecoveryPct`, label: `${s}: recovery %`, type: 'pct' as const },
      { key: `${s}RecoveryTarget`, label: `${s}: target %`, type: 'pct' as const },
    ]),
  ];
  const rows: Row[] = m.measures.map((x) => ({
    group: x.group,
    currency: x.currency,
    customers: x.customers,
    beginAr: x.beginAr,
    creditSales: x.creditSales,
    endAr: x.endAr,
    endCurrentAr: x.endCurrentAr,
    dso: x.dso,
    dsoTarget: t.dsoDays ?? null,
    dsoStatus: onTarget(x.dso, t.dsoDays, false),
    countbackDso: x.countbackDso,
    bestPossibleDso: x.bestPossibleDso,
    add: x.add,
    addTarget: t.addDays ?? null,
    cei: x.cei,
    ceiTarget: t.ceiPct ?? null,
    ceiStatus: onTarget(x.cei, t.ceiPct, true),
    ...Object.fromEntries(
      STAGES.flatMap((s) => [
        [`${s}Letters`, x.recovery[s].letters],
        [`${s}Asked`, x.recovery[s].asked],
        [`${s}Paid`, x.recovery[s].paid],
        [`${s}RecoveryPct`, x.recovery[s].pct],
        [`${s}RecoveryTarget`, t.recoveryPct?.[s] ?? null],
      ]),
    ),
  }));
  return {
    report: 'efficiency',
    title: `Collection efficiency ${m.from} – ${m.to} by ${m.groupBy}`,
    asOf: p.asOf,
    from: m.from,
    to: m.to,
    groupBy: m.groupBy,
    params: { days: m.days, recoveryWindowDays: m.recoveryWindowDays, targets: t },
    detail: { columns, rows },
    groups: { columns, rows },
    totals: { columns: [], rows: [] },
    charts: [...new Set(rows.map((r) => String(r.currency)))].map((cur) => {
      const rs = rows.filter((r) => r.currency === cur);
      return {
        title: `DSO and best-possible DSO by ${m.groupBy}, ${cur}`,
        kind: 'bar' as const,
        categories: rs.map((r) => String(r.group)),
        series: [
          { name: 'DSO', values: rs.map((r) => Number(r.dso ?? 0)) },
          { name: 'Best-possible DSO', values: rs.map((r) => Number(r.bestPossibleDso ?? 0)) },
        ],
      };
    }),
    notes: [
      `Period ${m.from} – ${m.to} (${m.days} days). Credit sales = invoices issued in the period (void ones excluded).`,
      `Recovery: letters sent in the period whose ${m.recoveryWindowDays}-day window has closed by the as-of date; payments applied to the letter's invoices within the window, capped at the letter's amount.`,
      'Countback walks calendar months back from the as-of date (the latest one is partial, up to the as-of date).',
    ],
  };
}
