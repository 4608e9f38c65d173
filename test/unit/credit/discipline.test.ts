import { describe, expect, it } from 'vitest';
import { categoryChange, deviationsOf, effectiveTerms, paymentDiscipline, DEFAULT_CREDIT_POLICY } from '../../../functions/domain/credit/index.js';
import { foldLedger, type LedgerCommand } from '../../../functions/domain/ledger/index.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { rub } from './support.js';

const AS_OF = '2026-11-24' as CalendarDate;
const rules = DEFAULT_CREDIT_POLICY.discipline;
const C = 'c-1';
const invoice = (id: string, due: string, amount: string): LedgerCommand => ({
  type: 'invoice.issued',
  customerId: C,
  invoiceId: id,
  number: id,
  issueDate: due as CalendarDate,
  dueDate: due as CalendarDate,
  amount: rub(amount),
});
const pay = (id: string, date: string, amount: string, invoiceIds?: string[]): LedgerCommand => ({
  type: 'payment.received',
  customerId: C,
  paymentId: id,
  date: date as CalendarDate,
  amount: rub(amount),
  channel: 'bank',
  ...(invoiceIds ? { invoiceIds } : {}),
});

describe('payment discipline (hand-computed)', () => {
  it('a late payer: on-time share, weighted days late, trend, broken promise and reversal → score and category D', () => {
    // Prepare
    const state = foldLedger([
      invoice('i1', '2026-03-01', '100000.00'),
      pay('p1', '2026-02-28', '100000.00', ['i1']),
      invoice('i2', '2026-06-01', '100000.00'),
      pay('p2', '2026-06-11', '100000.00', ['i2']),
      invoice('i3', '2026-09-01', '50000.00'),
      pay('p3', '2026-09-01', '30000.00', ['i3']),
      pay('p4', '2026-09-21', '20000.00', ['i3']),
      pay('p6', '2026-09-30', '10000.00'),
      { type: 'payment.reversed', customerId: C, paymentId: 'p6', date: '2026-10-01' as CalendarDate },
      invoice('i4', '2026-11-14', '50000.00'),
      invoice('i0', '2025-10-01', '70000.00'), // due before the window: not counted
      pay('p0', '2025-12-01', '70000.00', ['i0']),
    ]);
    // Act
    const m = paymentDiscipline(state, AS_OF, rules, [{ madeOn: '2026-11-01' as CalendarDate, date: '2026-11-10' as CalendarDate, amount: rub('50000.00') }]);
    // Assess
    // due 300 000; on time 100 000 (i1) + 30 000 (i3) = 130 000 → 0.4333
    // late: 100 000 × 10 (i2) + 20 000 × 20 (i3) + 50 000 × 10 unpaid (i4) = 1 900 000 → / 300 000 = 6.33 days
    // score 43.33 − 1.5 × 6.33 − 10 (broken promise) − 10 (reversal) = 13.83 → 13.8 → D
    expect(m).toMatchObject({
      invoices: 4,
      dueAmount: '300000.00',
      onTimeAmount: '130000.00',
      onTimeShare: '0.4333',
      avgDaysLate: '6.33',
      brokenPromises: 1,
      reversals: 1,
      score: '13.8',
      category: 'D',
    });
    // last 90 days (i3, i4): 30 000 / 100 000 = 0.30; the 90 before (i2): 0 → +30 points
    expect(m.trend).toEqual({ direction: 'improving', recentShare: '0.3000', previousShare: '0.0000', deltaPct: '30.00' });
  });

  it('a punctual payer is A; too little history is "new"', () => {
    // Prepare
    const good = foldLedger([invoice('a', '2026-05-01', '10.00'), invoice('b', '2026-07-01', '10.00'), invoice('c', '2026-09-01', '10.00'), pay('p', '2026-04-01', '30.00')]);
    const young = foldLedger([invoice('a', '2026-11-01', '10.00'), pay('p', '2026-11-01', '10.00')]);
    // Act / Assess
    expect(paymentDiscipline(good, AS_OF, rules)).toMatchObject({ onTimeShare: '1.0000', score: '100.0', category: 'A' });
    expect(paymentDiscipline(young, AS_OF, rules)).toMatchObject({ invoices: 1, category: 'new' });
  });

  it('a change of category is recorded with reasons and proposes the matrix terms of the new category', () => {
    // Prepare
    const before = paymentDiscipline(
      foldLedger([invoice('a', '2026-05-01', '10.00'), invoice('b', '2026-07-01', '10.00'), invoice('c', '2026-09-01', '10.00'), pay('p', '2026-04-01', '30.00')]),
      AS_OF,
      rules,
    );
    const after = paymentDiscipline(
      foldLedger([invoice('a', '2026-05-01', '10.00'), invoice('b', '2026-07-01', '10.00'), invoice('c', '2026-09-01', '10.00'), pay('p', '2026-10-01', '30.00')]),
      AS_OF,
      rules,
    );
    // Act
    const change = categoryChange(C, 'wholesale', before, after, DEFAULT_CREDIT_POLICY);
    // Assess
    expect(change).toMatchObject({ from: 'A', to: 'D', proposedTerms: { prepaymentPct: '100', limit: rub('0.00') } });
    expect(change!.reasons).toContainEqual(expect.objectContaining({ metric: 'score', before: '100.0', threshold: 0 }));
    expect(categoryChange(C, 'wholesale', before, before, DEFAULT_CREDIT_POLICY)).toBeUndefined();
  });
});

describe('terms and the matrix', () => {
  it('effective terms: matrix "new" row, then billing, then individual; deviations against the current category', () => {
    // Prepare
    const { terms } = effectiveTerms(DEFAULT_CREDIT_POLICY, {
      customerType: 'wholesale',
      billing: { paymentTermsDays: 14, creditLimit: rub('500000.00') },
      individual: { mode: 'flexible' },
    });
    // Act
    const report = deviationsOf(DEFAULT_CREDIT_POLICY, {
      customerId: C,
      customerType: 'wholesale',
      riskCategory: 'B',
      terms,
      contracts: { 'k-1': { ...terms, deferralDays: 60 } },
    });
    // Assess
    expect(terms).toMatchObject({ limit: rub('500000.00'), deferralDays: 14, mode: 'flexible', prepaymentPct: '0' });
    expect(report.deviations.map((d) => [d.contractId ?? '', d.field, d.matrixValue, d.actualValue])).toEqual([
      ['', 'limit', rub('1000000.00'), rub('500000.00')],
      ['', 'mode', 'hard', 'flexible'],
      ['k-1', 'limit', rub('1000000.00'), rub('500000.00')],
      ['k-1', 'deferralDays', 14, 60],
      ['k-1', 'mode', 'hard', 'flexible'],
    ]);
  });

  it('a type without matrix rows uses the default terms and reports that nothing can be compared', () => {
    // Act
    const { terms, base } = effectiveTerms(DEFAULT_CREDIT_POLICY, { customerType: 'retail' });
    // Assess
    expect(base).toBe('default');
    expect(deviationsOf(DEFAULT_CREDIT_POLICY, { customerId: C, customerType: 'retail', riskCategory: 'A', terms }).noMatrixRow).toBe(true);
  });
});
