/**
 * Aging of receivables as of a date: every open invoice (and open refund debit) with its days past
 * due, its bucket, the principal outstanding and the penalty accrued to that date (kept apart), the
 * dunning stage it has reached; summed per group and currency. The buckets of a row add up to the
 * row; so the buckets of any total add up exactly to its outstanding principal (property-tested).
 *
 * Net balance = principal outstanding − unapplied credit: the closing balance of the customer's
 * reconciliation statement on the same date (tested).
 */
import { Decimal } from 'decimal.js';
import { daysBetween, type CalendarDate } from '../dates.js';
import { penaltyForInvoices } from '../penalties/for-invoices.js';
import type { RuleData } from '../rules/index.js';
import { bucketIndex, DEFAULT_BUCKETS, type Bucket } from './buckets.js';
import { customerAsOf, groupKeys, WHO_COLUMNS, whoCells, type CustomerAsOf } from './as-of.js';
import type { CustomerBook, GroupBy } from './model.js';
import { safeFmt, sumBy, type Column, type Report, type Row } from './table.js';

export interface AgingParams {
  asOf: CalendarDate;
  buckets?: readonly Bucket[];
  groupBy?: GroupBy;
  /** Rule data for accrued penalties; absent = penalties not computed (column 0). */
  rules?: RuleData;
}

export interface AgingLine {
  customer: CustomerAsOf;
  kind: 'invoice' | 'refund-debit';
  id: string;
  number: string;
  contractId?: string;
  currency: string;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  daysPastDue: number;
  bucket: number;
  principal: Decimal;
  penalty: Decimal;
  stage?: string;
}

/** The open items of one customer as of the date, each in its bucket. */
export function agingLines(c: CustomerAsOf, asOf: CalendarDate, buckets: readonly Bucket[], rules?: RuleData): AgingLine[] {
  const out: AgingLine[] = [];
  for (const inv of c.state.invoices) {
    if (inv.status !== 'open') continue;
    const principal = new Decimal(inv.outstanding.amount);
    if (principal.isZero()) continue;
    const days = daysBetween(inv.dueDate, asOf);
    let penalty = new Decimal(0);
    if (rules && days > 0) {
      const p = penaltyForInvoices(c.state, [inv.invoiceId], asOf, rules);
      if (p) penalty = new Decimal(p.total);
    }
    const stage = c.stageOf.get(inv.invoiceId);
    out.push({
      customer: c,
      kind: 'invoice',
      id: inv.invoiceId,
      number: inv.number,
      ...(inv.contractId ? { contractId: inv.contractId } : {}),
      currency: inv.amount.currency,
      issueDate: inv.issueDate,
      dueDate: inv.dueDate,
      daysPastDue: days,
      bucket: bucketIndex(buckets, days),
      principal,
      penalty,
      ...(stage ? { stage } : {}),
    });
  }
  for (const r of c.state.refundDebits) {
    const principal = new Decimal(r.outstanding.amount);
    if (principal.isZero()) continue;
    const days = daysBetween(r.date, asOf);
    out.push({
      customer: c,
      kind: 'refund-debit',
      id: r.refundKey,
      number: r.refundKey,
      currency: r.outstanding.currency,
      issueDate: r.date,
      dueDate: r.date,
      daysPastDue: days,
      bucket: bucketIndex(buckets, days),
      principal,
      penalty: new Decimal(0),
    });
  }
  return out;
}

export function agingColumns(buckets: readonly Bucket[]): { detail: Column[]; money: string[] } {
  const bucketCols: Column[] = buckets.map((b, i) => ({ key: `bucket${i}`, label: b.label, type: 'money' }));
  const penaltyCols: Column[] = buckets.map((b, i) => ({ key: `penalty${i}`, label: `Penalty ${b.label}`, type: 'money' }));
  const sums: Column[] = [
    { key: 'principal', label: 'Principal outstanding', type: 'money' },
    { key: 'penalty', label: 'Accrued penalty', type: 'money' },
    { key: 'unappliedCredit', label: 'Unapplied credit', type: 'money' },
    { key: 'net', label: 'Net balance', type: 'money' },
  ];
  const detail: Column[] = [
    ...WHO_COLUMNS,
    { key: 'kind', label: 'Kind', type: 'text' },
    { key: 'document', label: 'Document', type: 'text' },
    { key: 'issueDate', label: 'Issued', type: 'date' },
    { key: 'dueDate', label: 'Due', type: 'date' },
    { key: 'daysPastDue', label: 'Days past due', type: 'int' },
    { key: 'bucket', label: 'Bucket', type: 'text' },
    { key: 'stage', label: 'Dunning stage', type: 'text' },
    { key: 'currency', label: 'Currency', type: 'text' },
    ...sums,
    ...bucketCols,
    ...penaltyCols,
  ];
  return { detail, money: [...sums.map((c) => c.key), ...bucketCols.map((c) => c.key), ...penaltyCols.map((c) => c.key)] };
}

/** Aging over a set of customer books. */
export function agingReport(books: readonly CustomerBook[], p: AgingParams): Report {
  const buckets = p.buckets ?? DEFAULT_BUCKETS;
  const groupBy = p.groupBy ?? 'customer';
  const { detail: columns, money } = agingColumns(buckets);
  const zeroes = Object.fromEntries(money.map((k) => [k, null]));
  const rows: Row[] = [];
  for (const book of books) {
    const c = customerAsOf(book, p.asOf);
    for (const l of agingLines(c, p.asOf, buckets, p.rules)) {
      const keys = groupKeys(c, l.contractId);
      const row: Row = {
        ...whoCells(c, keys.contract),
        kind: l.kind,
        document: l.number,
        issueDate: l.issueDate,
        dueDate: l.dueDate,
        daysPastDue: l.daysPastDue,
        bucket: buckets[l.bucket]!.label,
        stage: l.stage ?? null,
        currency: l.currency,
        ...zeroes,
        principal: safeFmt(l.principal, l.currency),
        penalty: safeFmt(l.penalty, l.currency),
        unappliedCredit: null,
        net: safeFmt(l.principal, l.currency),
      };
      row[`bucket${l.bucket}`] = safeFmt(l.principal, l.currency);
      row[`penalty${l.bucket}`] = safeFmt(l.penalty, l.currency);
      rows.push(row);
    }
    // Unapplied credit: a row of its own (no bucket), so group nets equal the reconciliation balance.
    for (const [cur, amount] of Object.entries(c.state.unappliedCredit)) {
      const credit = new Decimal(amount ?? '0');
      if (credit.isZero()) continue;
      const keys = groupKeys(c);
      rows.push({
        ...whoCells(c, keys.contract),
        kind: 'unapplied-credit',
        document: null,
        issueDate: null,
        dueDate: null,
        daysPastDue: null,
        bucket: null,
        stage: null,
        currency: cur,
        ...zeroes,
        principal: safeFmt(new Decimal(0), cur),
        penalty: safeFmt(new Decimal(0), cur),
        unappliedCredit: safeFmt(credit, cur),
        net: safeFmt(credit.neg(), cur),
      });
    }
  }
  const groupCol = groupBy === 'customer' ? 'customerId' : groupBy;
  const groups = sumBy(rows, (r) => String(r[groupCol]), money, { keyName: groupBy, keyLabel: groupBy, countKey: 'customerId', countLabel: 'Customers', columns });
  if (groupBy === 'customer') {
    const names = new Map(rows.map((r) => [r.customerId, r.customerName]));
    groups.columns.splice(1, 0, { key: 'customerName', label: 'Name', type: 'text' });
    for (const g of groups.rows) g.customerName = names.get(g.customer!) ?? null;
  }
  const totals = sumBy(rows, () => 'total', money, { keyName: 'scope', keyLabel: 'Scope', countKey: 'customerId', countLabel: 'Customers', columns });
  const charts = totals.rows.map((t) => ({
    title: `Aging as of ${p.asOf}, ${t.currency}`,
    kind: 'stacked-bar' as const,
    categories: buckets.map((b) => b.label),
    series: [
      { name: 'Principal', values: buckets.map((_, i) => Number(t[`bucket${i}`])) },
      { name: 'Accrued penalty', values: buckets.map((_, i) => Number(t[`penalty${i}`])) },
    ],
  }));
  return {
    report: 'aging',
    title: `Receivables aging as of ${p.asOf}`,
    asOf: p.asOf,
    groupBy,
    params: { buckets, penalties: Boolean(p.rules) },
    detail: { columns, rows },
    groups,
    totals,
    charts,
    notes: [
      'Days past due = as-of date − due date; 0 or less is current.',
      'Principal and accrued penalty are shown apart; buckets sum to the principal outstanding.',
      'Net balance = principal outstanding − unapplied credit = the reconciliation statement closing balance on the as-of date.',
      ...(p.rules ? [] : ['Penalties were not computed (no rule data).']),
    ],
  };
}
