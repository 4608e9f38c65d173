import { describe, expect, it } from 'vitest';
import { foldLedger, type LedgerState } from '../../../functions/domain/ledger/fold.js';
import { contract, creditNote, customer, invoice, payment, refund, reversal, split, voidInvoice, writeOff } from './builders.js';

const inv = (s: LedgerState, id: string) => s.invoices.find((i) => i.invoiceId === id)!;
const active = (s: LedgerState) => s.allocations.filter((a) => !a.undoneBy).map((a) => [a.targetId, a.source, a.amount.amount, a.reason]);

describe('settlement by document', () => {
  it('a partial payment leaves the rest of the invoice open', () => {
    // Prepare
    const entries = [customer(), invoice('I1', '1000.00', '2025-01-10', '2025-01-20'), payment('P1', '400.00', '2025-01-15', { invoiceIds: ['I1'] })];
    // Act
    const s = foldLedger(entries);
    // Assess
    expect(inv(s, 'I1')).toMatchObject({ outstanding: { amount: '600.00' }, status: 'open' });
    expect(active(s)).toEqual([['I1', 'payment:P1', '400.00', 'named-by-payer']]);
    expect(s.balances.RUB).toBe('600.00');
  });

  it('one payment naming several invoices covers them in the payer order, the rest goes oldest-due-first', () => {
    // Prepare
    const entries = [
      customer(),
      invoice('I1', '100.00', '2025-01-01', '2025-01-10'),
      invoice('I2', '200.00', '2025-01-02', '2025-01-12'),
      invoice('I3', '300.00', '2025-01-03', '2025-01-05'),
      payment('P1', '350.00', '2025-01-15', { invoiceIds: ['I2', 'I1'] }),
    ];
    // Act
    const s = foldLedger(entries);
    // Assess
    expect(active(s)).toEqual([
      ['I2', 'payment:P1', '200.00', 'named-by-payer'],
      ['I1', 'payment:P1', '100.00', 'named-by-payer'],
      ['I3', 'payment:P1', '50.00', 'oldest-due-first'],
    ]);
    expect(inv(s, 'I3').outstanding.amount).toBe('250.00');
  });

  it('an explicit split is honoured, the remainder is applied oldest-due-first', () => {
    // Prepare
    const entries = [
      customer(),
      invoice('I1', '100.00', '2025-01-01', '2025-01-10'),
      invoice('I2', '200.00', '2025-01-02', '2025-01-12'),
      payment('P1', '150.00', '2025-01-15', { allocations: [split('I2', '120.00')] }),
    ];
    // Act
    const s = foldLedger(entries);
    // Assess
    expect(active(s)).toEqual([
      ['I2', 'payment:P1', '120.00', 'explicit-split'],
      ['I1', 'payment:P1', '30.00', 'oldest-due-first'],
    ]);
  });

  it('an unnamed payment goes oldest-due-first; invoices due the same day share the rest pro rata (ГК РФ ст. 319.1 п. 3)', () => {
    // Prepare
    const entries = [
      customer(),
      invoice('B', '100.00', '2025-01-02', '2025-01-20'),
      invoice('A', '100.00', '2025-01-02', '2025-01-20'),
      invoice('Z', '100.00', '2025-01-01', '2025-01-20'),
      invoice('Y', '100.00', '2025-01-05', '2025-01-10'),
      payment('P1', '350.00', '2025-01-25'),
    ];
    // Act
    const s = foldLedger(entries);
    // Assess
    // Y (due 2025-01-10) 100.00; the other 250.00 over Z, A, B (due 2025-01-20, 100.00 each): 83.33 each and
    // the last kopeck to the first by issue date, then id (Z).
    expect(active(s).map((a) => a[0])).toEqual(['Y', 'Z', 'A', 'B']);
    expect(['Z', 'A', 'B'].map((id) => inv(s, id).outstanding.amount)).toEqual(['16.66', '16.67', '16.67']);
  });

  it('money left over is unapplied credit that a later invoice consumes automatically', () => {
    // Prepare
    const entries = [customer(), invoice('I1', '100.00', '2025-01-01', '2025-01-10'), payment('P1', '250.00', '2025-01-05'), invoice('I2', '300.00', '2025-02-01', '2025-02-10')];
    // Act
    const before = foldLedger(entries, { through: '2025-01-31' as never });
    const after = foldLedger(entries);
    // Assess
    expect(before.unappliedCredit.RUB).toBe('150.00');
    expect(before.balances.RUB).toBe('-150.00');
    expect(active(after)).toContainEqual(['I2', 'payment:P1', '150.00', 'unapplied-credit']);
    expect(inv(after, 'I2').outstanding.amount).toBe('150.00');
    expect(after.unappliedCredit.RUB).toBe('0.00');
  });

  it('a payment naming an invoice that has not arrived waits for it and converges when it arrives', () => {
    // Prepare
    const early = [customer(), invoice('I0', '50.00', '2025-01-01', '2025-01-05'), payment('P1', '500.00', '2025-01-10', { invoiceIds: ['I9'] })];
    const late = invoice('I9', '500.00', '2025-01-08', '2025-01-30');
    // Act
    const waiting = foldLedger(early);
    const converged = foldLedger([late, ...early]);
    // Assess
    expect(waiting.pending).toEqual([{ entryKey: 'payment:P1', waitingFor: ['invoice:I9'] }]);
    expect(inv(waiting, 'I0').outstanding.amount).toBe('50.00'); // reserved money is not spent elsewhere
    expect(converged.pending).toEqual([]);
    expect(inv(converged, 'I9')).toMatchObject({ outstanding: { amount: '0.00' }, status: 'paid' });
    expect(active(converged)).toContainEqual(['I9', 'payment:P1', '500.00', 'named-by-payer']);
  });

  it('a prepayment naming a later invoice is consumed when the invoice is issued', () => {
    // Prepare
    const entries = [customer(), payment('P1', '300.00', '2025-01-01', { invoiceIds: ['I1'] }), invoice('I1', '200.00', '2025-01-05', '2025-01-15')];
    // Act
    const s = foldLedger(entries);
    // Assess
    expect(active(s)).toEqual([['I1', 'payment:P1', '200.00', 'named-by-payer']]);
    expect(s.unappliedCredit.RUB).toBe('100.00');
    expect(s.credits[0]).toMatchObject({ source: 'payment:P1', reservedFor: [] });
  });
});

describe('corrections are new entries', () => {
  it('a credit note reduces its invoice and the excess becomes credit', () => {
    // Prepare
    const entries = [
      customer(),
      invoice('I1', '100.00', '2025-01-01', '2025-01-10'),
      payment('P1', '70.00', '2025-01-03', { invoiceIds: ['I1'] }),
      creditNote('CN1', '50.00', '2025-01-04', 'I1'),
    ];
    // Act
    const s = foldLedger(entries);
    // Assess
    expect(inv(s, 'I1').status).toBe('paid');
    expect(active(s)).toContainEqual(['I1', 'credit:CN1', '30.00', 'credit-note']);
    expect(s.unappliedCredit.RUB).toBe('20.00');
    expect(s.balances.RUB).toBe('-20.00');
  });

  it('a reversal undoes the payment allocations and the rest is re-derived', () => {
    // Prepare
    const entries = [
      customer(),
      invoice('I1', '100.00', '2025-01-01', '2025-01-10'),
      payment('P1', '100.00', '2025-01-02', { invoiceIds: ['I1'] }),
      payment('P2', '60.00', '2025-01-03'),
      reversal('P1', '2025-01-04'),
    ];
    // Act
    const s = foldLedger(entries);
    // Assess
    expect(active(s)).toEqual([['I1', 'payment:P2', '60.00', 'unapplied-credit']]);
    expect(inv(s, 'I1').outstanding.amount).toBe('40.00');
    expect(s.documents.find((d) => d.kind === 'reversal')?.debit).toBe('100.00');
    expect(s.payments.find((p) => p.paymentId === 'P1')?.reversed).toBe(true);
  });

  it('a refund consumes unapplied credit first and any rest increases the debt', () => {
    // Prepare
    const entries = [customer(), payment('P1', '100.00', '2025-01-02'), refund('R1', '130.00', '2025-01-05', 'P1')];
    // Act
    const s = foldLedger(entries);
    // Assess
    expect(s.unappliedCredit.RUB).toBe('0.00');
    expect(s.refundDebits).toEqual([
      { refundKey: 'refund:R1', date: '2025-01-05', amount: { amount: '30.00', currency: 'RUB' }, outstanding: { amount: '30.00', currency: 'RUB' } },
    ]);
    expect(s.balances.RUB).toBe('30.00');
    expect(s.payments[0].refunded.amount).toBe('100.00');
  });

  it('a write-off reduces its invoice', () => {
    // Prepare
    const entries = [customer(), invoice('I1', '100.00', '2025-01-01', '2025-01-10'), writeOff('W1', 'I1', '25.50', '2025-03-01')];
    // Act
    const s = foldLedger(entries);
    // Assess
    expect(inv(s, 'I1').outstanding.amount).toBe('74.50');
    expect(active(s)).toEqual([['I1', 'writeoff:W1', '25.50', 'write-off']]);
  });

  it('a void releases payments to credit, which settles other open invoices; named credit notes stay with it', () => {
    // Prepare
    const entries = [
      customer(),
      invoice('I1', '100.00', '2025-01-01', '2025-01-10'),
      invoice('I2', '80.00', '2025-01-02', '2025-01-20'),
      creditNote('CN1', '10.00', '2025-01-03', 'I1'),
      payment('P1', '90.00', '2025-01-04', { invoiceIds: ['I1'] }),
      voidInvoice('I1', '2025-01-05'),
    ];
    // Act
    const s = foldLedger(entries);
    // Assess
    expect(inv(s, 'I1')).toMatchObject({ status: 'void', outstanding: { amount: '0.00' } });
    expect(s.documents.find((d) => d.kind === 'void')?.credit).toBe('90.00'); // 100 − credit note 10
    expect(active(s)).toContainEqual(['I2', 'payment:P1', '80.00', 'unapplied-credit']);
    expect(s.unappliedCredit.RUB).toBe('10.00');
    expect(s.balances.RUB).toBe('-10.00');
  });
});

describe('determinism and duplicates', () => {
  it('duplicates and arrival order do not change balances or allocations', () => {
    // Prepare
    const entries = [
      customer(),
      contract(),
      invoice('I1', '100.00', '2025-01-01', '2025-01-10', { contractId: 'K1' }),
      invoice('I2', '200.00', '2025-01-01', '2025-01-10'),
      payment('P1', '150.00', '2025-01-03'),
      payment('P2', '50.00', '2025-01-03', { invoiceIds: ['I2'] }),
    ];
    // Act
    const a = foldLedger(entries);
    const b = foldLedger([...entries].reverse().concat(entries.slice(2, 5)));
    // Assess
    expect(b).toEqual(a);
    expect(a.balances.RUB).toBe('100.00');
  });
});
