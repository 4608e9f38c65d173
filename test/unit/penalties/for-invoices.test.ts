/** The penalty stated in warning and claim letters: contract terms, partial payments, ст. 395 fallback. */
import { describe, expect, it } from 'vitest';
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
