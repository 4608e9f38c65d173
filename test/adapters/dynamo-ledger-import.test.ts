/** importHistory (initial migration) writes what apply() would: same open invoices, summary and debtor index. */
import { describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../functions/adapters/compose-ledger.js';
import { customer, invoice, payment } from '../unit/ledger/builders.js';
import { freshTable } from '../support/dynamo.js';

const history = [customer('C1'), invoice('I1', '1000.00', '2026-10-01', '2026-10-31'), invoice('I2', '500.00', '2026-10-05', '2026-11-04'), payment('P1', '1200.00', '2026-11-02')];

describe('DynamoLedger.importHistory', () => {
  it('matches the state built event by event, and later applies continue from it', async () => {
    // Prepare
    const a = await freshTable('imp-a');
    const b = await freshTable('imp-b');
    const viaApply = new DynamoLedger({ doc: a.doc, tableName: a.tableName });
    const viaImport = new DynamoLedger({ doc: b.doc, tableName: b.tableName });
    for (const [i, c] of history.entries()) await viaApply.apply(c, { source: 'test', eventId: `e${i}`, receivedAt: '2026-11-23T00:00:00Z' });
    // Act
    await viaImport.importHistory('C1', history, { source: 'migration', receivedAt: '2026-11-23T00:00:00Z' });
    const extra = payment('P2', '300.00', '2026-11-20');
    const applied = await viaImport.apply(extra, { source: 'test', eventId: 'late', receivedAt: '2026-11-23T00:00:00Z' });
    await viaApply.apply(extra, { source: 'test', eventId: 'late', receivedAt: '2026-11-23T00:00:00Z' });
    // Assess
    expect(applied.status).toBe('applied');
    expect(await viaImport.openInvoices('C1')).toEqual(await viaApply.openInvoices('C1'));
    expect((await viaImport.getSummary('C1'))?.balances).toEqual((await viaApply.getSummary('C1'))?.balances);
    expect((await viaImport.listDebtors('2026-12-31' as never)).customerIds).toEqual((await viaApply.listDebtors('2026-12-31' as never)).customerIds);
    await expect(viaImport.importHistory('C1', history, { source: 'migration', receivedAt: 'x' })).rejects.toThrow(/already has a ledger/);
  });
});
