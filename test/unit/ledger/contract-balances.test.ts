/** Balances per contract: a payment naming an invoice lowers that invoice's contract only. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { foldLedger } from '../../../functions/domain/ledger/fold.js';
import { balancesByContract } from '../../../functions/domain/ledger/contract-balances.js';
import { addDays, type CalendarDate } from '../../../functions/domain/dates.js';
import { contract, customer, invoice, payment, twoContractBook } from './builders.js';

describe('balances per contract', () => {
  it('K1 1000.00 and K2 500.00, 300.00 naming the K1 invoice → K1 700.00, K2 500.00', () => {
    // Prepare (hand-checked: 1000.00 − 300.00 = 700.00; K2 untouched)
    const entries = twoContractBook();

    // Act
    const rows = balancesByContract(foldLedger(entries), '2025-01-20' as CalendarDate);

    // Assess
    expect(rows.map((r) => [r.contractId, r.contractNumber, r.balance, r.overdue])).toEqual([
      ['K1', 'Д-K1', '700.00', '700.00'],
      ['K2', 'Д-K2', '500.00', '500.00'],
    ]);
  });

  it('an advance and invoices without a contract are the no-contract row; overdue counts only due before asOf', () => {
    // Prepare: the K1 invoice 1000.00 is paid 1200.00 (200.00 advance); a 100.00 invoice without a contract
    // takes 100.00 of the advance → K1 0.00; no-contract row: open 0.00, credit 100.00, balance −100.00.
    const entries = [
      customer(),
      contract('K1'),
      invoice('I1', '1000.00', '2025-01-01', '2025-01-10', { contractId: 'K1' }),
      payment('P1', '1200.00', '2025-01-05', { invoiceIds: ['I1'] }),
      invoice('I3', '100.00', '2025-01-06', '2025-02-10'),
    ];

    // Act
    const rows = balancesByContract(foldLedger(entries), '2025-01-20' as CalendarDate);

    // Assess
    expect(rows.map((r) => [r.contractId, r.balance, r.open, r.unappliedCredit])).toEqual([
      ['K1', '0.00', '0.00', '0.00'],
      [null, '-100.00', '0.00', '100.00'],
    ]);
  });

  it('property: per currency the rows add up to the customer balance', () => {
    const day = fc.integer({ min: 0, max: 60 }).map((n) => addDays('2025-01-01' as CalendarDate, n));
    const amt = fc.integer({ min: 1, max: 100_000 }).map((c) => (c / 100).toFixed(2));
    const ev = fc.oneof(
      fc
        .record({ id: fc.constantFrom('I0', 'I1', 'I2', 'I3', 'I4'), a: amt, d: day, k: fc.constantFrom('K1', 'K2', undefined) })
        .map((x) => invoice(x.id, x.a, x.d, addDays(x.d, 10), x.k ? { contractId: x.k } : {})),
      fc
        .record({ id: fc.constantFrom('P0', 'P1', 'P2'), a: amt, d: day, n: fc.uniqueArray(fc.constantFrom('I0', 'I1', 'I2', 'I3', 'I4'), { maxLength: 2 }) })
        .map((x) => payment(x.id, x.a, x.d, x.n.length ? { invoiceIds: x.n } : {})),
    );
    fc.assert(
      fc.property(fc.array(ev, { minLength: 1, maxLength: 20 }), (es) => {
        // Prepare
        const s = foldLedger([customer(), contract('K1'), contract('K2'), ...es]);
        // Act
        const rows = balancesByContract(s);
        // Assess
        const sum = rows.filter((r) => r.currency === 'RUB').reduce((x, r) => x.plus(r.balance), new Decimal(0));
        expect(sum.toFixed(2)).toBe(new Decimal(s.balances.RUB ?? '0').toFixed(2));
      }),
      { numRuns: 200 },
    );
  });
});
