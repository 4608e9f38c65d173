/**
 * The balances reports and credit checks read per contract are the ledger's per-contract balances
 * (issue 16 item 1): K1 1000.00 and K2 500.00 with 300.00 naming the K1 invoice → K1 700.00, K2 500.00
 * in balancesByContract, in the balances report grouped by contract and in the credit check's exposure.
 */
import { describe, expect, it } from 'vitest';
import { factsOf } from '../../../functions/app/credit/snapshot.js';
import { exposureOf } from '../../../functions/domain/credit/exposure.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { balancesByContract } from '../../../functions/domain/ledger/contract-balances.js';
import { foldLedger } from '../../../functions/domain/ledger/fold.js';
import { balancesReport } from '../../../functions/domain/reports/index.js';
import { bookOf } from '../reports/arbitraries.js';
import { twoContractBook } from './builders.js';

describe('per-contract balances: one figure for the statement, the reports and the credit check', () => {
  it('K1 700.00 and K2 500.00 everywhere (hand-checked: 1000.00 − 300.00; K2 untouched)', () => {
    // Prepare
    const commands = twoContractBook();
    const asOf = '2025-01-20' as CalendarDate;

    // Act
    const ledger = balancesByContract(foldLedger(commands), asOf).map((r) => [r.contractId, r.balance]);
    const report = balancesReport([bookOf(commands)], { asOf, groupBy: 'contract' }).detail.rows.map((r) => [r.contract, r.balance]);
    const { facts } = factsOf({ customerId: 'C1', commands, ledgerVersion: commands.length, letters: {}, promises: [] }, {}, undefined);
    const exposure = exposureOf(facts, '2025-01-20T12:00:00.000Z').byContract;

    // Assess
    expect(ledger).toEqual([
      ['K1', '700.00'],
      ['K2', '500.00'],
    ]);
    expect(report).toEqual([
      [expect.stringContaining('K1'), '700.00'],
      [expect.stringContaining('K2'), '500.00'],
    ]);
    expect(exposure.K1?.RUB?.invoices).toBe('700.00');
    expect(exposure.K2?.RUB?.invoices).toBe('500.00');
  });
});
