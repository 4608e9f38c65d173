import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { parseReportRequest, runReport, type CustomerBook } from '../../../functions/domain/reports/index.js';
import { customer, invoice, payment } from '../ledger/builders.js';
import { bookOf } from './arbitraries.js';

const d = (s: string) => s as CalendarDate;

/** Manager Анна: one invoice 1,000 due 03-10, a warning letter on 03-14 for 1,000, 400 paid on 03-20 (6 days later). */
function book(): CustomerBook {
  return bookOf(
    [
      customer('C1', { manager: 'Анна' }),
      invoice('I1', '1000.00', '2025-02-08', '2025-03-10'),
      invoice('I2', '2000.00', '2025-03-25', '2025-04-24'),
      payment('P1', '400.00', '2025-03-20', { invoiceIds: ['I1'] }),
    ],
    {
      letters: [{ runDate: d('2025-03-14'), stage: 'warning', invoiceIds: ['I1'], total: [{ amount: '1000.00', currency: 'RUB' }] }],
      promises: [{ id: 'pr1', kind: 'promise', madeOn: d('2025-03-28'), until: d('2025-04-05'), amount: { amount: '600.00', currency: 'RUB' } }],
    },
  );
}

describe('efficiency report', () => {
  it('DSO, best-possible DSO, ADD, CEI and recovery of a manager on hand-checked figures', () => {
    // Act: period 2025-03-01 … 2025-03-31 (31 days)
    const r = runReport([book()], parseReportRequest({ name: 'efficiency', asOf: '2025-03-31', from: '2025-03-01', groupBy: 'manager', recoveryWindowDays: '14' }), {
      targets: { dsoDays: 45, ceiPct: 80, recoveryPct: { warning: 50 } },
    });
    // Assess
    // begin AR (02-28) 1,000; sales in March 2,000; end AR 600 + 2,000 = 2,600; current at end 2,000
    // DSO = 2,600/2,000 × 31 = 40.3; BPDSO = 2,000/2,000 × 31 = 31; ADD = 9.3
    // CEI = (1,000 + 2,000 − 2,600) / (1,000 + 2,000 − 2,000) = 400/1,000 = 40 %
    // Countback: March sales (to 31st) 2,000 ≥ 2,600? no: 31 d + 600 / Feb 1,000 × 28 = 16.8 → 47.8
    // Recovery (warning): 400 of 1,000 within 14 days = 40 % (window 03-14 … 03-28 closed by 03-31)
    const row = r.detail.rows[0]!;
    expect(row).toMatchObject({
      group: 'Анна',
      currency: 'RUB',
      beginAr: '1000.00',
      creditSales: '2000.00',
      endAr: '2600.00',
      endCurrentAr: '2000.00',
      dso: 40.3,
      dsoTarget: 45,
      dsoStatus: 'met',
      bestPossibleDso: 31,
      add: 9.3,
      cei: 40,
      ceiStatus: 'missed',
      countbackDso: 47.8,
      warningLetters: 1,
      warningAsked: '1000.00',
      warningPaid: '400.00',
      warningRecoveryPct: 40,
      warningRecoveryTarget: 50,
      reminderLetters: 0,
      reminderRecoveryPct: null,
    });
  });

  it('payment calendar: the promise replaces the due dates of a customer who promised; actual inflows beside', () => {
    // Act
    const r = runReport([book()], parseReportRequest({ name: 'calendar', asOf: '2025-03-31', from: '2025-03-15', to: '2025-04-30', period: 'week' }));
    // Assess
    const promised = r.detail.rows.filter((x) => x.expectedPromised !== '0.00');
    expect(promised.map((x) => [x.start, x.expectedPromised])).toEqual([['2025-03-31', '600.00']]);
    expect(r.detail.rows.filter((x) => x.actual !== '0.00' && x.actual !== null).map((x) => [x.start, x.actual])).toEqual([['2025-03-17', '400.00']]);
    expect(r.detail.rows.every((x) => x.expectedDue === '0.00')).toBe(true);
  });

  it('payment calendar weighted by payment discipline: expected × the customer’s on-time share; a new customer at face value', () => {
    // Prepare: C1 had 4 invoices of 1,000 due in the trailing year, 3 paid by their due date and one 10 days late → on-time share 0.75;
    // its open invoice of 2,000 is due 2025-04-10. C2 (no history: category "new") has 500 due the same day.
    const seasoned = bookOf([
      customer('C1'),
      invoice('H1', '1000.00', '2024-10-01', '2024-10-31'),
      invoice('H2', '1000.00', '2024-11-01', '2024-11-30'),
      invoice('H3', '1000.00', '2024-12-01', '2024-12-31'),
      invoice('H4', '1000.00', '2025-01-01', '2025-01-31'),
      payment('Q1', '1000.00', '2024-10-30', { invoiceIds: ['H1'] }),
      payment('Q2', '1000.00', '2024-11-29', { invoiceIds: ['H2'] }),
      payment('Q3', '1000.00', '2024-12-30', { invoiceIds: ['H3'] }),
      payment('Q4', '1000.00', '2025-02-10', { invoiceIds: ['H4'] }),
      invoice('O1', '2000.00', '2025-03-11', '2025-04-10'),
    ]);
    const fresh = bookOf([customer('C2'), { ...invoice('O2', '500.00', '2025-03-11', '2025-04-10'), customerId: 'C2' } as ReturnType<typeof invoice>], { customerId: 'C2' });
    // Act
    const r = runReport([seasoned, fresh], parseReportRequest({ name: 'calendar', asOf: '2025-03-31', from: '2025-04-01', to: '2025-04-30', period: 'day' }));
    // Assess: 2,000 × 0.75 + 500 × 1 = 2,000.00 weighted against 2,500.00 expected
    const day = r.detail.rows.find((x) => x.start === '2025-04-10')!;
    expect([day.expected, day.expectedWeighted]).toEqual(['2500.00', '2000.00']);
    expect(r.totals.rows[0]).toMatchObject({ expected: '2500.00', expectedWeighted: '2000.00' });
    expect(r.charts[0]!.series.map((x) => x.name)).toEqual(['Expected', 'Expected, weighted', 'Actual']);
  });

  it('portfolios: by the age of the oldest item and the collection method', () => {
    // Prepare
    const b = book();
    b.stages = [{ invoiceId: 'I1', stages: [{ stage: 'warning', runDate: d('2025-03-14') }] }];
    // Act
    const r = runReport([b], parseReportRequest({ name: 'portfolios', asOf: '2025-03-31' }));
    // Assess: I1 is 21 days past due → 1–30; method = highest stage reached
    expect(r.groups.rows).toEqual([expect.objectContaining({ portfolio: '1–30 · stage:warning', count: 1, principal: '2600.00' })]);
  });
});
