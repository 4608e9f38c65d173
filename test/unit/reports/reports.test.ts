import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { addDays, type CalendarDate } from '../../../functions/domain/dates.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import { foldLedger } from '../../../functions/domain/ledger/fold.js';
import { reconcile } from '../../../functions/domain/ledger/reconcile.js';
import { defaultRules } from '../../../functions/domain/rules/index.js';
import {
  agingReport,
  DEFAULT_BUCKETS,
  dynamicsReport,
  outstandingOn,
  parseReportRequest,
  runReport,
  timeline,
  type CustomerBook,
} from '../../../functions/domain/reports/index.js';
import { contract, customer, invoice, payment } from '../ledger/builders.js';
import { bookOf, day, history, START } from './arbitraries.js';

const D = (s: unknown) => new Decimal(String(s ?? '0'));

/** One customer, two invoices on contract K1, one paid in part. */
function sample(): CustomerBook {
  return bookOf(
    [
      customer('C1', { manager: 'Анна', segment: 'wholesale' }),
      contract('K1'),
      invoice('I1', '1000.00', '2025-01-01', '2025-01-31', { contractId: 'K1' }), // 60 days past due on 2025-04-01
      invoice('I2', '500.00', '2025-03-01', '2025-03-31', { contractId: 'K1' }), // 1 day past due
      invoice('I3', '700.00', '2025-03-20', '2025-04-20'), // current
      payment('P1', '400.00', '2025-02-15', { invoiceIds: ['I1'] }),
      payment('P2', '300.00', '2025-04-10'), // after the as-of date
    ],
    {
      stages: [
        {
          invoiceId: 'I1',
          stages: [
            { stage: 'reminder', runDate: '2025-01-28' as CalendarDate },
            { stage: 'warning', runDate: '2025-02-07' as CalendarDate },
            { stage: 'claim', runDate: '2025-04-05' as CalendarDate },
          ],
        },
      ],
    },
  );
}

describe('aging report', () => {
  it('buckets, stage and totals on hand-checked figures; entries after the as-of date are left out', () => {
    // Act
    const r = agingReport([sample()], { asOf: '2025-04-01' as CalendarDate });
    // Assess: I1 600.00 at 60 days (31–60), I2 500.00 at 1 day (1–30), I3 700.00 current; P2 (04-10) ignored
    const byDoc = Object.fromEntries(r.detail.rows.map((x) => [x.document, x]));
    expect(byDoc['N-I1']).toMatchObject({ daysPastDue: 60, bucket: '31–60', principal: '600.00', stage: 'warning', bucket2: '600.00', bucket1: null });
    expect(byDoc['N-I2']).toMatchObject({ daysPastDue: 1, bucket: '1–30', principal: '500.00', stage: null });
    expect(byDoc['N-I3']).toMatchObject({ daysPastDue: -19, bucket: 'current', principal: '700.00' });
    expect(r.totals.rows).toEqual([
      expect.objectContaining({ currency: 'RUB', count: 1, principal: '1800.00', bucket0: '700.00', bucket1: '500.00', bucket2: '600.00', bucket3: '0.00', net: '1800.00' }),
    ]);
  });

  it('shows the accrued penalty apart from the principal', () => {
    // Act
    const r = agingReport([sample()], { asOf: '2025-04-01' as CalendarDate, rules: defaultRules() });
    // Assess
    const i1 = r.detail.rows.find((x) => x.document === 'N-I1')!;
    expect(i1.principal).toBe('600.00');
    expect(D(i1.penalty).gt(0)).toBe(true);
    expect(r.detail.rows.find((x) => x.document === 'N-I3')!.penalty).toBe('0.00');
    const i2 = r.detail.rows.find((x) => x.document === 'N-I2')!;
    expect(r.totals.rows[0]!.penalty).toBe(D(i1.penalty).plus(D(i2.penalty)).toFixed(2));
  });

  it('buckets add up exactly to the outstanding principal, and nets to the reconciliation closing balance (property)', () => {
    fc.assert(
      fc.property(history, day, (entries, asOf) => {
        // Act
        const r = agingReport([bookOf(entries)], { asOf, groupBy: 'customer' });
        // Assess
        for (const t of [...r.totals.rows, ...r.groups.rows]) {
          const buckets = DEFAULT_BUCKETS.reduce((s, _, i) => s.plus(D(t[`bucket${i}`])), new Decimal(0));
          expect(buckets.toFixed(2)).toBe(D(t.principal).toFixed(2));
        }
        for (const row of r.detail.rows) {
          const inBuckets = DEFAULT_BUCKETS.filter((_, i) => row[`bucket${i}`] !== null);
          expect(inBuckets.length).toBe(row.kind === 'unapplied-credit' ? 0 : 1);
        }
        const state = foldLedger(entries, { through: asOf });
        for (const cur of Object.keys(state.balances)) {
          const st = reconcile(entries, { customerId: 'C1', from: START, to: asOf, currency: cur as never });
          const net = r.totals.rows.find((t) => t.currency === cur)?.net ?? '0.00';
          expect(D(net).toFixed(2)).toBe(D(st.closing.balance).toFixed(2));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a past report is reproducible: entries dated later do not change it', () => {
    fc.assert(
      fc.property(history, day, (entries, asOf) => {
        // Prepare
        const before = entries.filter(
          (e) => !('date' in e || 'issueDate' in e) || ((e as { date?: string; issueDate?: string }).date ?? (e as { issueDate: string }).issueDate) <= asOf,
        );
        // Act
        const all = agingReport([bookOf(entries)], { asOf });
        const only = agingReport([bookOf(before)], { asOf });
        // Assess
        expect(all.detail.rows).toEqual(only.detail.rows);
      }),
      { numRuns: 100 },
    );
  });

  it('an empty ledger is an empty report', () => {
    const r = runReport([], parseReportRequest({ name: 'aging', asOf: '2025-04-01' }));
    expect(r.detail.rows).toEqual([]);
    expect(r.totals.rows).toEqual([]);
  });
});

describe('receivable timeline and dynamics', () => {
  it('the outstanding of any invoice on any day equals a fold through that day (property)', () => {
    fc.assert(
      fc.property(history, day, (entries, cut) => {
        // Prepare
        const lines = timeline(foldLedger(entries, { through: addDays(START, 179) }));
        // Act
        const at = foldLedger(entries, { through: cut });
        // Assess
        for (const inv of at.invoices) {
          const l = lines.find((x) => x.kind === 'invoice' && x.id === inv.invoiceId)!;
          const expected = inv.status === 'void' ? '0.00' : inv.outstanding.amount;
          expect(outstandingOn(l, cut).toFixed(2)).toBe(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('daily dynamics: receivables at each day equal the folds through that day (property)', () => {
    fc.assert(
      fc.property(history, (entries) => {
        // Prepare
        const from = addDays(START, 20);
        const to = addDays(START, 40);
        // Act
        const r = dynamicsReport([bookOf(entries)], { asOf: to, from, to, period: 'day' });
        // Assess
        for (const row of r.detail.rows) {
          const st = foldLedger(entries, { through: row.end as CalendarDate });
          const cur = row.currency as 'RUB';
          const open = st.invoices.filter((i) => i.status === 'open' && i.amount.currency === cur);
          const total = open
            .reduce((s, i) => s.plus(i.outstanding.amount), new Decimal(0))
            .plus(st.refundDebits.filter((x) => x.outstanding.currency === cur).reduce((s, x) => s.plus(x.outstanding.amount), new Decimal(0)));
          const overdue = open
            .filter((i) => i.dueDate < (row.end as string))
            .reduce((s, i) => s.plus(i.outstanding.amount), new Decimal(0))
            .plus(st.refundDebits.filter((x) => x.outstanding.currency === cur && x.date < (row.end as string)).reduce((s, x) => s.plus(x.outstanding.amount), new Decimal(0)));
          expect(row.total).toBe(total.toFixed(2));
          expect(row.overdue).toBe(overdue.toFixed(2));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('monthly dynamics on hand-checked figures', () => {
    // Act
    const r = runReport([sample()], parseReportRequest({ name: 'dynamics', asOf: '2025-04-30', from: '2025-01-01', to: '2025-04-30', period: 'month' }));
    // Assess
    expect(r.detail.rows.map((x) => [x.period, x.total, x.overdue, x.newInvoices, x.payments])).toEqual([
      ['2025-01', '1000.00', '0.00', '1000.00', '0.00'],
      ['2025-02', '600.00', '600.00', '0.00', '400.00'],
      ['2025-03', '1800.00', '600.00', '1200.00', '0.00'], // I2 is due on 03-31: not yet overdue that day,
      ['2025-04', '1500.00', '1500.00', '0.00', '300.00'],
    ]);
  });
});

describe('report requests', () => {
  const fields = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      if (err instanceof ValidationError) return err.fields.map((x) => x.field);
    }
    return [];
  };
  it('names unknown reports, groupings, periods, bad buckets, impossible dates and reversed ranges', () => {
    expect(fields(() => parseReportRequest({ name: 'agin', asOf: '2025-01-01' }))).toEqual(['report']);
    expect(fields(() => parseReportRequest({ name: 'aging', asOf: '2025-02-30' }))).toEqual(['asOf']);
    expect(fields(() => parseReportRequest({ name: 'aging', asOf: '2025-01-01', groupBy: 'city' }))).toEqual(['groupBy']);
    expect(fields(() => parseReportRequest({ name: 'aging', asOf: '2025-01-01', buckets: '0,30,30' }))).toEqual(['buckets[2]']);
    expect(fields(() => parseReportRequest({ name: 'dynamics', asOf: '2025-05-01', from: '2025-03-01', to: '2025-02-01' }))).toEqual(['to']);
    expect(fields(() => parseReportRequest({ name: 'dynamics', asOf: '2025-05-01', period: 'year' }))).toEqual(['period']);
    expect(fields(() => parseReportRequest({ name: 'aging' }))).toEqual(['asOf']);
  });
});
