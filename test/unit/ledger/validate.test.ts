import { describe, expect, it } from 'vitest';
import { foldLedger } from '../../../functions/domain/ledger/fold.js';
import { assertOpenPeriod, referenceIssues } from '../../../functions/domain/ledger/validate.js';
import { ClosedPeriodError } from '../../../functions/domain/errors.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { cmd, contract, customer, invoice, payment, reversal, split, writeOff } from './builders.js';

const d = (s: string) => s as CalendarDate;
const fields = (issues: { field: string }[]) => issues.map((i) => i.field);

describe('reference checks', () => {
  const state = foldLedger([customer(), contract('K1', 'RUB'), invoice('I1', '100.00', '2025-01-10', '2025-01-20', { contractId: 'K1' }), payment('P1', '10.00', '2025-01-15')]);

  it('refuses documents of an unknown customer', () => {
    // Act
    const issues = referenceIssues(foldLedger([]), invoice('I1', '1.00', '2025-01-01', '2025-01-02'));
    // Assess
    expect(fields(issues)).toEqual(['customerId']);
  });

  it('refuses a payment whose currency differs from the contract currency', () => {
    // Prepare
    const usdNamed = cmd({ type: 'payment.received', customerId: 'C1', paymentId: 'P9', date: '2025-01-20', amount: { amount: '5.00', currency: 'USD' }, invoiceIds: ['I1'] });
    const usdUnnamed = cmd({ type: 'payment.received', customerId: 'C1', paymentId: 'P9', date: '2025-01-20', amount: { amount: '5.00', currency: 'USD' } });
    // Act & Assess
    expect(fields(referenceIssues(state, usdNamed))).toEqual(['amount.currency']);
    expect(fields(referenceIssues(state, usdUnnamed))).toEqual(['amount.currency']);
  });

  it('refuses a split larger than the payment, an unknown contract, an excessive write-off and a reversal of an unknown payment', () => {
    // Act
    const overSplit = referenceIssues(state, payment('P2', '50.00', '2025-01-20', { allocations: [split('I1', '30.00'), split('I2', '30.00')] }));
    const badContract = referenceIssues(state, invoice('I2', '1.00', '2025-01-10', '2025-01-09', { contractId: 'K9' }));
    const bigWriteOff = referenceIssues(state, writeOff('W1', 'I1', '95.00', '2025-02-01'));
    const unknownReversal = referenceIssues(state, reversal('P404', '2025-02-01'));
    // Assess
    expect(fields(overSplit)).toEqual(['allocations']);
    expect(fields(badContract)).toEqual(['dueDate', 'contractId']);
    expect(fields(bigWriteOff)).toEqual(['amount.amount']);
    expect(fields(unknownReversal)).toEqual(['paymentId']);
  });

  it('refuses a payment dated after tomorrow: it is recorded when the money arrives', () => {
    // Act
    const issues = referenceIssues(state, payment('P3', '1.00', '2025-03-20'), { today: d('2025-03-15') });
    // Assess
    expect(fields(issues)).toEqual(['date']);
  });

  it('accepts a payment naming an invoice that has not arrived yet', () => {
    // Act
    const issues = referenceIssues(state, payment('P4', '1.00', '2025-01-20', { invoiceIds: ['I-later'] }));
    // Assess
    expect(issues).toEqual([]);
  });
});

describe('closed periods', () => {
  it('refuses an entry dated on or before the closing date and lets later ones and master data through', () => {
    // Prepare
    const closed = d('2025-01-31');
    // Act
    const inside = (() => {
      try {
        assertOpenPeriod(payment('P1', '1.00', '2025-01-31'), closed);
      } catch (e) {
        return e;
      }
    })();
    // Assess
    expect(inside).toBeInstanceOf(ClosedPeriodError);
    expect((inside as ClosedPeriodError).toBody().error).toMatchObject({ code: 'PERIOD_CLOSED', closedThrough: '2025-01-31' });
    expect(() => assertOpenPeriod(payment('P1', '1.00', '2025-02-01'), closed)).not.toThrow();
    expect(() => assertOpenPeriod(customer(), closed)).not.toThrow();
  });
});
