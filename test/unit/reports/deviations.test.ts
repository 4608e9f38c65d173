import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { parseReportRequest, runReport } from '../../../functions/domain/reports/index.js';
import { cmd, customer } from '../ledger/builders.js';
import { bookOf } from './arbitraries.js';

describe('deviations of payment terms from the credit policy', () => {
  it('a new wholesale customer on 30-day billing terms with a 45-day contract deviates from the matrix row (14 days)', () => {
    // Prepare: the default credit policy's wholesale/new row grants 14 days' deferral and a 200,000.00 RUB limit
    const book = bookOf([
      customer('C1', { segment: 'wholesale', paymentTermsDays: 30, creditLimit: { amount: '200000.00', currency: 'RUB' } }),
      cmd({ type: 'contract.upsert', customerId: 'C1', contractId: 'K1', number: 'Д-1', date: '2024-01-10', currency: 'RUB', paymentTermsDays: 45 }),
    ]);
    // Act
    const r = runReport([book], parseReportRequest({ name: 'deviations', asOf: '2025-03-31' as CalendarDate }));
    // Assess
    expect(r.detail.rows.map((x) => [x.contract, x.riskCategory, x.field, x.policyValue, x.actualValue])).toEqual([
      ['C1/(customer terms)', 'new', 'deferralDays', '14', '30'],
      ['C1/Д-1', 'new', 'deferralDays', '14', '45'],
    ]);
  });

  it('reads the terms an operator set in credit control: the individual limit, prepayment and a contract’s deferral, saying where each comes from', () => {
    // Prepare: billing says 30 days; credit control gives the customer 0 % → 50 % prepayment and a 500,000.00 limit, and contract K1 60 days
    const book = {
      ...bookOf([
        customer('C1', { segment: 'wholesale', paymentTermsDays: 30 }),
        cmd({ type: 'contract.upsert', customerId: 'C1', contractId: 'K1', number: 'Д-1', date: '2024-01-10', currency: 'RUB', paymentTermsDays: 45 }),
      ]),
      credit: {
        customerType: 'wholesale',
        terms: { prepaymentPct: '50', limit: { amount: '500000.00', currency: 'RUB' as const } },
        contracts: { K1: { deferralDays: 60 } },
        overrides: [],
      },
    };
    // Act
    const r = runReport([book], parseReportRequest({ name: 'deviations', asOf: '2025-03-31' as CalendarDate }));
    // Assess
    const rows = r.detail.rows.map((x) => [x.contract, x.field, x.policyValue, x.actualValue, x.termsSource]);
    expect(rows).toContainEqual(['C1/(customer terms)', 'deferralDays', '14', '30', 'billing']);
    expect(rows).toContainEqual(['C1/(customer terms)', 'prepaymentPct', '0', '50', 'operator']);
    expect(rows).toContainEqual(['C1/(customer terms)', 'limit', '200000.00 RUB', '500000.00 RUB', 'operator']);
    expect(rows).toContainEqual(['C1/Д-1', 'deferralDays', '14', '60', 'operator']);
    expect(rows).toContainEqual(['C1/Д-1', 'prepaymentPct', '0', '50', 'operator']);
  });

  it('a customer type set in credit control picks the matrix row, not the segment', () => {
    // Prepare: segment wholesale on 14 days (the wholesale/new row), credit control says the customer is of a type the policy has no row for
    const book = { ...bookOf([customer('C1', { segment: 'wholesale', paymentTermsDays: 14 })]), credit: { customerType: 'no-such-type', overrides: [] } };
    // Act
    const r = runReport([book], parseReportRequest({ name: 'deviations', asOf: '2025-03-31' as CalendarDate }));
    // Assess
    expect(r.detail.rows.map((x) => [x.field, x.actualValue, x.termsSource])).toEqual([['(no matrix row)', 'type no-such-type, category new', 'operator']]);
  });
});
