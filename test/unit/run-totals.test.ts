/** Run totals: letters count when sent (or would be sent), amounts add up exactly per stage and currency. */
import { describe, expect, it } from 'vitest';
import { addUp, emptyTotals, type CustomerResult } from '../../functions/app/run-totals.js';

const sent = (customerId: string, stage: 'reminder' | 'claim', amount: string, currency = 'RUB', outcome: 'sent' | 'ambiguous' | 'already-sent' = 'sent'): CustomerResult => ({
  customerId,
  status: 'processed',
  letters: [{ stage, invoiceNumbers: ['X'], channels: ['email'], outcome, total: [{ amount, currency }] }],
});

describe('addUp', () => {
  it('counts letters, failures and ambiguous sends, and sums amounts exactly', () => {
    // Prepare
    const batch: CustomerResult[] = [
      sent('a', 'reminder', '0.10'),
      sent('b', 'reminder', '0.20'),
      sent('c', 'claim', '100', 'JPY'),
      sent('d', 'claim', '5.00', 'RUB', 'ambiguous'),
      sent('e', 'claim', '7.00', 'RUB', 'already-sent'),
      { customerId: 'f', status: 'failed', error: 'Boom', cause: 'x' },
    ];
    // Act
    const t = addUp(addUp(emptyTotals(), batch.slice(0, 3)), batch.slice(3));
    // Assess
    expect(t).toMatchObject({ customers: 6, failures: 1, ambiguous: 1, letters: { reminder: 2, claim: 1, warning: 0, litigation: 0 }, failedCustomers: ['f'] });
    expect(t.amounts).toEqual({ reminder: { RUB: '0.30' }, claim: { JPY: '100' } });
  });
});
