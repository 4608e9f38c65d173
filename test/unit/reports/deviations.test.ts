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
});
