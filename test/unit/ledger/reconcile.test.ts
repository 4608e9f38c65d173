import { describe, expect, it } from 'vitest';
import { reconcile } from '../../../functions/domain/ledger/reconcile.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { cmd, creditNote, customer, invoice, payment, refund, reversal, voidInvoice, writeOff } from './builders.js';

const d = (s: string) => s as CalendarDate;

describe('reconciliation statement (акт сверки)', () => {
  it('lists opening balance, each document of the period in date order with debit and credit, and the closing balance', () => {
    // Prepare
    const entries = [
      customer(),
      invoice('I1', '1000.00', '2025-01-10', '2025-01-20'),
      payment('P1', '300.00', '2025-01-20'),
      invoice('I2', '500.00', '2025-02-01', '2025-02-10'),
      creditNote('CN1', '50.00', '2025-02-03', 'I2'),
      payment('P2', '200.00', '2025-02-05', { reference: 'п/п 5' }),
      writeOff('W1', 'I1', '100.00', '2025-02-20'),
      voidInvoice('I2', '2025-02-25'),
      payment('P3', '999.00', '2025-03-05'),
    ];
    // Act
    const st = reconcile(entries, { customerId: 'C1', from: d('2025-02-01'), to: d('2025-02-28') });
    // Assess
    expect(st.currency).toBe('RUB');
    expect(st.customer).toEqual({ legalName: 'ООО «C1»', taxId: '7701234567' });
    expect(st.opening).toEqual({ balance: '700.00', debit: '700.00', credit: '0.00' });
    expect(st.rows.map((r) => [r.date, r.kind, r.description, r.debit, r.credit, r.balance])).toEqual([
      ['2025-02-01', 'invoice', 'Счет № N-I2', '500.00', '0.00', '1200.00'],
      ['2025-02-03', 'credit-note', 'Корректировка (кредит-нота CN1, счет № N-I2)', '0.00', '50.00', '1150.00'],
      ['2025-02-05', 'payment', 'Оплата (п/п 5)', '0.00', '200.00', '950.00'],
      ['2025-02-20', 'write-off', 'Списание задолженности по счету № N-I1', '0.00', '100.00', '850.00'],
      ['2025-02-25', 'void', 'Аннулирование счета № N-I2', '0.00', '450.00', '400.00'],
    ]);
    expect(st.turnover).toEqual({ debit: '500.00', credit: '800.00' });
    expect(st.closing).toEqual({ balance: '400.00', debit: '400.00', credit: '0.00' });
    expect(st.atClose.openInvoices.map((i) => [i.invoiceId, i.outstanding])).toEqual([['I1', '400.00']]);
    expect(st.atClose.unappliedCredit).toBe('0.00');
  });

  it('shows a credit closing balance when the customer has unapplied credit, and refunds and reversals as debits', () => {
    // Prepare
    const entries = [
      customer(),
      payment('P1', '100.00', '2025-01-05'),
      payment('P2', '40.00', '2025-01-06'),
      reversal('P2', '2025-01-07'),
      refund('R1', '30.00', '2025-01-08', 'P1'),
    ];
    // Act
    const st = reconcile(entries, { customerId: 'C1', from: d('2025-01-01'), to: d('2025-01-31') });
    // Assess
    expect(st.rows.map((r) => [r.kind, r.debit, r.credit])).toEqual([
      ['payment', '0.00', '100.00'],
      ['payment', '0.00', '40.00'],
      ['reversal', '40.00', '0.00'],
      ['refund', '30.00', '0.00'],
    ]);
    expect(st.closing).toEqual({ balance: '-70.00', debit: '0.00', credit: '70.00' });
    expect(st.atClose.unappliedCredit).toBe('70.00');
  });

  it('asks for a currency when the customer settles in several', () => {
    // Prepare
    const entries = [
      customer(),
      invoice('I1', '10.00', '2025-01-10', '2025-01-20'),
      cmd({ type: 'invoice.issued', customerId: 'C1', invoiceId: 'U1', number: 'U1', issueDate: '2025-01-10', dueDate: '2025-01-20', amount: { amount: '7.00', currency: 'USD' } }),
    ];
    // Act
    const err = (() => {
      try {
        reconcile(entries, { customerId: 'C1', from: d('2025-01-01'), to: d('2025-01-31') });
      } catch (e) {
        return e;
      }
    })();
    const usd = reconcile(entries, { customerId: 'C1', from: d('2025-01-01'), to: d('2025-01-31'), currency: 'USD' });
    // Assess
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields[0].field).toBe('currency');
    expect(usd.closing.balance).toBe('7.00');
  });
});
