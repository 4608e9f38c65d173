/** The reconciliation statement by contract (акт сверки по договору) and per-contract subtotals. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { reconcile } from '../../../functions/domain/ledger/reconcile.js';
import { foldLedger } from '../../../functions/domain/ledger/fold.js';
import { balancesByContract } from '../../../functions/domain/ledger/contract-balances.js';
import { addDays, type CalendarDate } from '../../../functions/domain/dates.js';
import { contract, creditNote, customer, invoice, payment, refund, reversal, voidInvoice } from './builders.js';

const K1K2 = [
  customer(),
  contract('K1'),
  contract('K2'),
  invoice('I1', '1000.00', '2025-01-01', '2025-01-10', { contractId: 'K1' }),
  invoice('I2', '500.00', '2025-01-01', '2025-01-10', { contractId: 'K2' }),
  payment('P1', '300.00', '2025-01-05', { invoiceIds: ['I1'], reference: 'п/п 15' }),
];
const P = { customerId: 'C1', from: '2025-01-01' as CalendarDate, to: '2025-01-31' as CalendarDate };

describe('reconciliation statement by contract', () => {
  it('K1 1000.00 and K2 500.00, 300.00 naming the K1 invoice: K1 closes at 700.00, K2 at 500.00', () => {
    // Act
    const all = reconcile(K1K2, P);
    const k1 = reconcile(K1K2, { ...P, contractId: 'K1' });
    const k2 = reconcile(K1K2, { ...P, contractId: 'K2' });
    // Assess (hand-checked: 1000.00 − 300.00 = 700.00; 500.00 untouched; customer 1200.00)
    expect(all.closing.balance).toBe('1200.00');
    expect(all.byContract.map((b) => [b.contractId, b.contract?.number, b.closing.balance])).toEqual([
      ['K1', 'Д-K1', '700.00'],
      ['K2', 'Д-K2', '500.00'],
    ]);
    expect(all.rows.map((r) => [r.description, r.contractId, r.debit, r.credit])).toEqual([
      ['Счет № N-I1', 'K1', '1000.00', '0.00'],
      ['Счет № N-I2', 'K2', '500.00', '0.00'],
      ['Оплата (п/п 15)', 'K1', '0.00', '300.00'],
    ]);
    expect([k1.contractId, k1.contract?.number, k1.closing.balance, k1.rows.length]).toEqual(['K1', 'Д-K1', '700.00', 2]);
    expect(k1.atClose.openInvoices.map((i) => [i.invoiceId, i.outstanding])).toEqual([['I1', '700.00']]);
    expect([k2.closing.balance, k2.rows.map((r) => r.documentId)]).toEqual(['500.00', ['I2']]);
  });

  it('an unnamed payment over two contracts is split by what it paid; the advance is under no contract', () => {
    // Prepare: 1800.00 unnamed: K1 1000.00 and K2 500.00 both due 2025-01-10 are paid in full, 300.00 is an advance.
    const entries = [...K1K2.slice(0, 5), payment('P1', '1800.00', '2025-01-12')];
    // Act
    const all = reconcile(entries, P);
    const none = reconcile(entries, { ...P, contractId: null });
    // Assess
    expect(all.rows.at(-1)).toMatchObject({ credit: '1800.00' });
    expect(all.rows.at(-1)!.contractId).toBeUndefined();
    expect(all.byContract.map((b) => [b.contractId, b.turnover.credit, b.closing.balance])).toEqual([
      ['K1', '1000.00', '0.00'],
      ['K2', '500.00', '0.00'],
      [null, '300.00', '-300.00'],
    ]);
    expect(none.closing).toEqual({ balance: '-300.00', debit: '0.00', credit: '300.00' });
    expect(none.atClose.unappliedCredit).toBe('300.00');
  });

  it('refuses a contract the customer does not have', () => {
    // Act
    const bad = () => reconcile(K1K2, { ...P, contractId: 'K9' });
    // Assess
    expect(bad).toThrow(/no contract "K9"/);
  });

  it('property: subtotals add up to the statement, and each contract closes at what balancesByContract says', () => {
    const day = fc.integer({ min: 0, max: 40 }).map((n) => addDays('2025-01-01' as CalendarDate, n));
    const amt = fc.integer({ min: 1, max: 100_000 }).map((c) => (c / 100).toFixed(2));
    const inv = fc.constantFrom('I0', 'I1', 'I2', 'I3');
    const ev = fc.oneof(
      fc.record({ id: inv, a: amt, d: day, k: fc.constantFrom('K1', 'K2', undefined) }).map((x) => invoice(x.id, x.a, x.d, addDays(x.d, 5), x.k ? { contractId: x.k } : {})),
      fc
        .record({ id: fc.constantFrom('P0', 'P1', 'P2'), a: amt, d: day, n: fc.uniqueArray(inv, { maxLength: 2 }) })
        .map((x) => payment(x.id, x.a, x.d, x.n.length ? { invoiceIds: x.n } : {})),
      fc.record({ id: inv, d: day }).map((x) => voidInvoice(x.id, x.d)),
      fc.record({ id: fc.constantFrom('P0', 'P1', 'P2'), d: day }).map((x) => reversal(x.id, x.d)),
      fc.record({ a: amt, d: day, i: fc.option(inv) }).map((x) => creditNote('CN', x.a, x.d, x.i ?? undefined)),
      fc.record({ a: amt, d: day }).map((x) => refund('R', x.a, x.d)),
    );
    fc.assert(
      fc.property(fc.array(ev, { minLength: 1, maxLength: 15 }), day, day, (es, a, b) => {
        // Prepare
        const entries = [customer(), contract('K1'), contract('K2'), ...es];
        const [from, to] = a <= b ? [a, b] : [b, a];
        // Act
        const st = reconcile(entries, { customerId: 'C1', from, to, currency: 'RUB' });
        const at = balancesByContract(foldLedger(entries, { through: to }));
        // Assess
        const sum = (f: (x: (typeof st.byContract)[number]) => string) => st.byContract.reduce((s, x) => s.plus(f(x)), new Decimal(0)).toFixed(2);
        expect(sum((x) => x.opening.balance)).toBe(st.opening.balance);
        expect(sum((x) => x.closing.balance)).toBe(st.closing.balance);
        // (gross turnovers may exceed the customer's: an advance offset against an invoice moves money from
        // "no contract" to the contract; the net movement adds up)
        const net = st.byContract.reduce((s, x) => s.plus(x.turnover.debit).minus(x.turnover.credit), new Decimal(0));
        expect(net.toFixed(2)).toBe(new Decimal(st.turnover.debit).minus(st.turnover.credit).toFixed(2));
        for (const k of ['K1', 'K2', null]) {
          const want = at.find((r) => r.contractId === k && r.currency === 'RUB')?.balance ?? '0.00';
          const one = reconcile(entries, { customerId: 'C1', from, to, currency: 'RUB', contractId: k });
          expect(one.closing.balance, String(k)).toBe(want);
          expect(st.byContract.find((x) => x.contractId === k)?.closing.balance ?? '0.00').toBe(want);
        }
      }),
      { numRuns: 300 },
    );
  });
});
