/** The penalty stated in warning and claim letters: contract terms, partial payments, ст. 395 fallback. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldLedger } from '../../../functions/domain/ledger/index.js';
import { penaltyForInvoices } from '../../../functions/domain/penalties/for-invoices.js';
import { defaultRules } from '../../../functions/domain/penalties/index.js';
import { cmd, customer, invoice, payment } from '../ledger/builders.js';

const contractWith = (penalty?: Record<string, unknown>) =>
  cmd({ type: 'contract.upsert', customerId: 'C1', contractId: 'K1', number: 'ДП-44/2024', date: '2024-01-10', currency: 'RUB', ...(penalty ? { penalty } : {}) });

describe('penaltyForInvoices', () => {
  it('applies the contract rate and reduces the base from the day after a partial payment', () => {
    // Prepare: 540 000.00 due 2026-11-12, 0.2 %/day; 140 000.00 paid 2026-11-21.
    const state = foldLedger([
      customer(),
      contractWith({ rule: 'contractual', ratePctPerDay: '0.2', capPct: '10', clause: 'п. 6.2 договора' }),
      invoice('I1', '540000.00', '2026-10-29', '2026-11-12', { contractId: 'K1' }),
      payment('P1', '140000.00', '2026-11-21', { invoiceIds: ['I1'] }),
    ]);
    // Act
    const p = penaltyForInvoices(state, ['I1'], '2026-11-24' as never, defaultRules());
    // Assess: 540 000 × 0.2 % × 9 days (13–21.11) = 9 720.00; 400 000 × 0.2 % × 3 days (22–24.11) = 2 400.00.
    expect(p?.total).toBe('12120.00');
    expect(p?.basis).toContain('п. 6.2 договора № ДП-44/2024');
  });

  it('falls back to interest under ГК РФ ст. 395 when the contract sets no penalty', () => {
    // Prepare: 100 000.00 due 2026-01-31, key rate 15.5 % from 16.02.2026 (docs/law.md), 16 % before.
    const state = foldLedger([customer(), contractWith(), invoice('I1', '100000.00', '2026-01-01', '2026-01-31', { contractId: 'K1' })]);
    // Act
    const p = penaltyForInvoices(state, ['I1'], '2026-02-20' as never, defaultRules());
    // Assess: 1–15.02: 100 000 × 16 % × 15/365 = 657.53; 16–20.02: 100 000 × 15.5 % × 5/365 = 212.33.
    expect(p?.basis).toBe('ГК РФ ст. 395');
    expect(p?.total).toBe('869.86');
  });

  it('states nothing for invoices not yet overdue', () => {
    // Prepare
    const state = foldLedger([customer(), contractWith(), invoice('I1', '100.00', '2026-11-01', '2026-11-30', { contractId: 'K1' })]);
    // Act / Assess
    expect(penaltyForInvoices(state, ['I1'], '2026-11-24' as never, defaultRules())).toBeUndefined();
  });
});

describe('penaltyForInvoices: money goes to the invoice the ledger applied it to', () => {
  const K1 = contractWith({ rule: 'contractual', ratePctPerDay: '0.1', clause: 'п. 6.2 договора' });

  it('a payment naming the later invoice lowers that invoice only (2100.00; re-splitting it by due date gave 1600.00)', () => {
    // Prepare: A 100 000.00 due 2025-01-10 and B 100 000.00 due 2025-01-20 on K1 (0.1 %/day, no cap);
    // 100 000.00 paid on 2025-01-15 naming B. The ledger applies it to B (paid before its due date).
    const state = foldLedger([
      customer(),
      K1,
      invoice('A', '100000.00', '2025-01-01', '2025-01-10', { contractId: 'K1' }),
      invoice('B', '100000.00', '2025-01-05', '2025-01-20', { contractId: 'K1' }),
      payment('P1', '100000.00', '2025-01-15', { invoiceIds: ['B'] }),
    ]);
    expect(state.allocations.map((a) => [a.targetId, a.amount.amount, a.reason])).toEqual([['B', '100000.00', 'named-by-payer']]);

    // Act
    const p = penaltyForInvoices(state, ['A', 'B'], '2025-01-31' as never, defaultRules());

    // Assess, by hand: A is unpaid 2025-01-11…2025-01-31 = 21 days × 100 000 × 0.1 % = 21 × 100.00 = 2100.00;
    // B was paid before it fell due: nothing. (Applied to A first, as money naming no debt would be, the
    // calculator gave A 5 days = 500.00 and B 11 days = 1100.00: 1600.00.)
    expect(p?.total).toBe('2100.00');
    const periods = p!.parts[0]!.result.periods;
    expect(periods.filter((x) => x.charge === 1 && x.amount !== '0.00')).toEqual([]);
    expect(periods.filter((x) => x.charge === 0).map((x) => [x.from, x.to, x.base, x.amount])).toEqual([['2025-01-11', '2025-01-31', '100000.00', '2100.00']]);
  });

  it('an explicit split pays each invoice its own part (hand-checked rows, 2 500.00)', () => {
    // Prepare: A and B 100 000.00 each due 2025-01-10; 100 000.00 on 2025-01-20 split A 80 000.00 / B 20 000.00.
    const state = foldLedger([
      customer(),
      K1,
      invoice('A', '100000.00', '2025-01-01', '2025-01-10', { contractId: 'K1' }),
      invoice('B', '100000.00', '2025-01-01', '2025-01-10', { contractId: 'K1' }),
      payment('P1', '100000.00', '2025-01-20', {
        allocations: [
          { invoiceId: 'A', amount: { amount: '80000.00', currency: 'RUB' } },
          { invoiceId: 'B', amount: { amount: '20000.00', currency: 'RUB' } },
        ],
      }),
    ]);

    // Act
    const p = penaltyForInvoices(state, ['A', 'B'], '2025-01-25' as never, defaultRules());

    // Assess, by hand: 2025-01-11…01-20 (10 days) both at 100.00/day = 2 000.00; 2025-01-21…01-25 (5 days)
    // A on 20 000.00 = 20.00/day → 100.00, B on 80 000.00 = 80.00/day → 400.00. Total 2 500.00. Pro rata
    // (50 000.00 each) would also give 2 500.00 here, so the rows are checked per invoice.
    expect(p?.total).toBe('2500.00');
    const fromDay21 = (charge: number) => p!.parts[0]!.result.periods.find((x) => x.charge === charge && x.from === '2025-01-21');
    expect(fromDay21(0)).toMatchObject({ base: '20000.00', amount: '100.00' });
    expect(fromDay21(1)).toMatchObject({ base: '80000.00', amount: '400.00' });
  });

  it('property: the penalty over several invoices equals the sum over each invoice alone (nothing moves between invoices)', () => {
    // Prepare: random invoices on one contract (0.1 %/day, cap 10 %) and random payments naming one of them, or none.
    const arb = fc.record({
      invoices: fc.array(fc.record({ amount: fc.integer({ min: 1, max: 5000 }), due: fc.integer({ min: 0, max: 40 }) }), { minLength: 2, maxLength: 4 }),
      payments: fc.array(fc.record({ amount: fc.integer({ min: 1, max: 5000 }), day: fc.integer({ min: 0, max: 80 }), names: fc.option(fc.nat(3), { nil: undefined }) }), {
        maxLength: 4,
      }),
    });
    const day = (n: number) => {
      const d = new Date(Date.UTC(2025, 0, 1 + n));
      return d.toISOString().slice(0, 10);
    };
    fc.assert(
      fc.property(arb, ({ invoices, payments }) => {
        const ids = invoices.map((_, i) => `I${i}`);
        const state = foldLedger([
          customer(),
          contractWith({ rule: 'contractual', ratePctPerDay: '0.1', capPct: '10' }),
          ...invoices.map((inv, i) => invoice(ids[i]!, `${inv.amount}.00`, '2025-01-01', day(inv.due), { contractId: 'K1' })),
          ...payments.map((p, i) => payment(`P${i}`, `${p.amount}.00`, day(p.day), p.names !== undefined && p.names < ids.length ? { invoiceIds: [ids[p.names]!] } : {})),
        ]);
        // Act
        const together = penaltyForInvoices(state, ids, day(90) as never, defaultRules());
        const alone = ids.map((id) => penaltyForInvoices(state, [id], day(90) as never, defaultRules()));
        // Assess
        const sum = alone.reduce((s, p) => s + Math.round(Number(p?.total ?? '0') * 100), 0);
        expect(Math.round(Number(together?.total ?? '0') * 100)).toBe(sum);
      }),
      { numRuns: 150, seed: 16 },
    );
  });
});
