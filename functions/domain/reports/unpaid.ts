/**
 * Unpaid invoices as of a date (one row per open invoice: amount, paid so far, outstanding, days past
 * due, dunning stage) and settlement balances per customer and contract (invoiced, settled,
 * outstanding; unapplied credit on the customer's own line; balance = outstanding − credit).
 */
import { Decimal } from 'decimal.js';
import { daysBetween, type CalendarDate } from '../dates.js';
import { customerAsOf, groupKeys, WHO_COLUMNS, whoCells } from './as-of.js';
import type { CustomerBook, GroupBy } from './model.js';
import { NO_CONTRACT } from './model.js';
import { safeFmt, sumBy, type Column, type Report, type Row } from './table.js';

const groupCol = (g: GroupBy): string => (g === 'customer' ? 'customerId' : g);

export function unpaidReport(books: readonly CustomerBook[], p: { asOf: CalendarDate; groupBy?: GroupBy }): Report {
  const groupBy = p.groupBy ?? 'customer';
  const columns: Column[] = [
    ...WHO_COLUMNS,
    { key: 'invoice', label: 'Invoice', type: 'text' },
    { key: 'issueDate', label: 'Issued', type: 'date' },
    { key: 'dueDate', label: 'Due', type: 'date' },
    { key: 'daysPastDue', label: 'Days past due', type: 'int' },
    { key: 'stage', label: 'Dunning stage', type: 'text' },
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'amount', label: 'Amount', type: 'money' },
    { key: 'paid', label: 'Settled', type: 'money' },
    { key: 'outstanding', label: 'Outstanding', type: 'money' },
  ];
  const rows: Row[] = [];
  for (const book of books) {
    const c = customerAsOf(book, p.asOf);
    for (const inv of c.state.invoices) {
      if (inv.status !== 'open') continue;
      const out = new Decimal(inv.outstanding.amount);
      if (out.isZero()) continue;
      const k = groupKeys(c, inv.contractId);
      const cur = inv.amount.currency;
      rows.push({
        ...whoCells(c, k.contract),
        invoice: inv.number,
        issueDate: inv.issueDate,
        dueDate: inv.dueDate,
        daysPastDue: daysBetween(inv.dueDate, p.asOf),
        stage: c.stageOf.get(inv.invoiceId) ?? null,
        currency: cur,
        amount: inv.amount.amount,
        paid: safeFmt(new Decimal(inv.amount.amount).minus(out), cur),
        outstanding: inv.outstanding.amount,
      });
    }
  }
  rows.sort((a, b) => String(a.dueDate).localeCompare(String(b.dueDate)) || String(a.customerId).localeCompare(String(b.customerId)));
  const money = ['amount', 'paid', 'outstanding'];
  return {
    report: 'unpaid',
    title: `Unpaid invoices as of ${p.asOf}`,
    asOf: p.asOf,
    groupBy,
    params: {},
    detail: { columns, rows },
    groups: sumBy(rows, (r) => String(r[groupCol(groupBy)]), money, { keyName: groupBy, keyLabel: groupBy, countKey: 'invoice', countLabel: 'Invoices', columns }),
    totals: sumBy(rows, () => 'total', money, { keyName: 'scope', keyLabel: 'Scope', countKey: 'invoice', countLabel: 'Invoices', columns }),
    charts: [],
    notes: ['Open invoices with an outstanding amount on the as-of date, oldest due first.'],
  };
}

export function balancesReport(books: readonly CustomerBook[], p: { asOf: CalendarDate; groupBy?: GroupBy }): Report {
  const groupBy = p.groupBy ?? 'customer';
  const columns: Column[] = [
    ...WHO_COLUMNS,
    { key: 'currency', label: 'Currency', type: 'text' },
    { key: 'invoiced', label: 'Invoiced (not void)', type: 'money' },
    { key: 'settled', label: 'Settled', type: 'money' },
    { key: 'outstanding', label: 'Outstanding', type: 'money' },
    { key: 'unappliedCredit', label: 'Unapplied credit', type: 'money' },
    { key: 'balance', label: 'Balance', type: 'money' },
  ];
  const rows: Row[] = [];
  for (const book of books) {
    const c = customerAsOf(book, p.asOf);
    const per = new Map<string, { contractId?: string; currency: string; invoiced: Decimal; outstanding: Decimal }>();
    for (const inv of c.state.invoices) {
      if (inv.status === 'void') continue;
      const id = `${inv.contractId ?? ''}\u0000${inv.amount.currency}`;
      const x = per.get(id) ?? { ...(inv.contractId ? { contractId: inv.contractId } : {}), currency: inv.amount.currency, invoiced: new Decimal(0), outstanding: new Decimal(0) };
      x.invoiced = x.invoiced.plus(inv.amount.amount);
      x.outstanding = x.outstanding.plus(inv.outstanding.amount);
      per.set(id, x);
    }
    for (const r of c.state.refundDebits) {
      const id = `\u0000${r.amount.currency}`;
      const x = per.get(id) ?? { currency: r.amount.currency, invoiced: new Decimal(0), outstanding: new Decimal(0) };
      x.invoiced = x.invoiced.plus(r.amount.amount);
      x.outstanding = x.outstanding.plus(r.outstanding.amount);
      per.set(id, x);
    }
    for (const [cur, credit] of Object.entries(c.state.unappliedCredit)) {
      if (new Decimal(credit ?? 0).isZero()) continue;
      const id = `\u0000${cur}`;
      if (!per.has(id)) per.set(id, { currency: cur, invoiced: new Decimal(0), outstanding: new Decimal(0) });
    }
    for (const x of [...per.values()].sort((a, b) => (a.contractId ?? '').localeCompare(b.contractId ?? '') || a.currency.localeCompare(b.currency))) {
      const k = groupKeys(c, x.contractId);
      const credit = x.contractId ? new Decimal(0) : new Decimal(c.state.unappliedCredit[x.currency as never] ?? 0);
      rows.push({
        ...whoCells(c, x.contractId ? k.contract : `${c.customerId}/${NO_CONTRACT}`),
        currency: x.currency,
        invoiced: safeFmt(x.invoiced, x.currency),
        settled: safeFmt(x.invoiced.minus(x.outstanding), x.currency),
        outstanding: safeFmt(x.outstanding, x.currency),
        unappliedCredit: safeFmt(credit, x.currency),
        balance: safeFmt(x.outstanding.minus(credit), x.currency),
      });
    }
  }
  const money = ['invoiced', 'settled', 'outstanding', 'unappliedCredit', 'balance'];
  return {
    report: 'balances',
    title: `Settlement balances as of ${p.asOf}`,
    asOf: p.asOf,
    groupBy,
    params: {},
    detail: { columns, rows },
    groups: sumBy(rows, (r) => String(r[groupCol(groupBy)]), money, { keyName: groupBy, keyLabel: groupBy, countKey: 'customerId', countLabel: 'Customers', columns }),
    totals: sumBy(rows, () => 'total', money, { keyName: 'scope', keyLabel: 'Scope', countKey: 'customerId', countLabel: 'Customers', columns }),
    charts: [],
    notes: [
      'One row per customer, contract and currency. Payments settle invoices, not contracts: unapplied credit sits on the customer’s "(no contract)" row.',
      'Balance per customer = the closing balance of its reconciliation statement on the as-of date.',
    ],
  };
}
