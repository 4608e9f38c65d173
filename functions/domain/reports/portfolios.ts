/**
 * Portfolios of debtors by debt age and collection method. Each customer with an open debt on the
 * as-of date falls in one age bucket (that of its oldest open item, by days past due) and one
 * collection method: the strategy of its open claim case (wait / collect / sell), otherwise the
 * highest dunning stage its open invoices have reached, otherwise "none".
 */
import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../dates.js';
import type { RuleData } from '../rules/index.js';
import { agingLines } from './aging.js';
import { customerAsOf } from './as-of.js';
import { DEFAULT_BUCKETS, type Bucket } from './buckets.js';
import type { CustomerBook } from './model.js';
import { safeFmt, sumBy, type Column, type Report, type Row } from './table.js';

export function portfoliosReport(books: readonly CustomerBook[], p: { asOf: CalendarDate; buckets?: readonly Bucket[]; rules?: RuleData }): Report {
  const buckets = p.buckets ?? DEFAULT_BUCKETS;
  const columns: Column[] = [
    { key: 'customerId', label: 'Customer', type: 'text' },
    { key: 'customerName', label: 'Name', type: 'text' },
    { key: 'manager', label: 'Manager', type: 'text' },
    { key: 'segment', label: 'Segment', type: 'text' },
    { key: 'ageBucket', label: 'Debt age (oldest item)', type: 'text' },
    { key: 'method', label: 'Collection method', type: 'text' },
    { key: 'portfolio', label: 'Portfolio', type: 'text' },
    { key: 'oldestDaysPastDue', label: 'Oldest days past due', type: 'int' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'principal', label: 'Principal outstanding', type: 'money' },
    { key: 'penalty', label: 'Accrued penalty', type: 'money' },
  ];
  const rows: Row[] = [];
  for (const book of books) {
    const c = customerAsOf(book, p.asOf);
    const lines = agingLines(c, p.asOf, buckets, p.rules);
    const byCur = new Map<string, typeof lines>();
    for (const l of lines) byCur.set(l.currency, [...(byCur.get(l.currency) ?? []), l]);
    for (const [cur, ls] of [...byCur].sort((a, b) => a[0].localeCompare(b[0]))) {
      const oldest = ls.reduce((m, l) => (l.daysPastDue > m.daysPastDue ? l : m));
      const age = buckets[oldest.bucket]!.label;
      rows.push({
        customerId: c.customerId,
        customerName: c.name,
        manager: c.manager,
        segment: c.segment,
        ageBucket: age,
        method: c.method,
        portfolio: `${age} · ${c.method}`,
        oldestDaysPastDue: oldest.daysPastDue,
        currency: cur,
        principal: safeFmt(
          ls.reduce((s, l) => s.plus(l.principal), new Decimal(0)),
          cur,
        ),
        penalty: safeFmt(
          ls.reduce((s, l) => s.plus(l.penalty), new Decimal(0)),
          cur,
        ),
      });
    }
  }
  const order = new Map(buckets.map((b, i) => [b.label, i]));
  const groups = sumBy(rows, (r) => String(r.portfolio), ['principal', 'penalty'], {
    keyName: 'portfolio',
    keyLabel: 'Portfolio (age · method)',
    countKey: 'customerId',
    countLabel: 'Customers',
    columns,
  });
  groups.rows.sort(
    (a, b) =>
      (order.get(String(a.portfolio).split(' · ')[0]!) ?? 0) - (order.get(String(b.portfolio).split(' · ')[0]!) ?? 0) || String(a.portfolio).localeCompare(String(b.portfolio)),
  );
  const methods = [...new Set(rows.map((r) => String(r.method)))].sort();
  return {
    report: 'portfolios',
    title: `Debtor portfolios as of ${p.asOf}`,
    asOf: p.asOf,
    groupBy: 'portfolio',
    params: { buckets },
    detail: { columns, rows },
    groups,
    totals: sumBy(rows, () => 'total', ['principal', 'penalty'], { keyName: 'scope', keyLabel: 'Scope', countKey: 'customerId', countLabel: 'Customers', columns }),
    charts: [...new Set(rows.map((r) => String(r.currency)))].map((cur) => ({
      title: `Principal by debt age and collection method, ${cur}`,
      kind: 'stacked-bar' as const,
      categories: buckets.map((b) => b.label),
      series: methods.map((m) => ({
        name: m,
        values: buckets.map((b) => rows.filter((r) => r.currency === cur && r.method === m && r.ageBucket === b.label).reduce((s, r) => s + Number(r.principal), 0)),
      })),
    })),
    notes: ['Age bucket = the bucket of the customer’s oldest open item. Method = claim strategy of the open case, else the highest dunning stage reached, else none.'],
  };
}
