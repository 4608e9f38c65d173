/**
 * The bank import finds the payer's customer by INN through the tax-id index (GSI2 'TAXID#<inn>' on the
 * profile item), with one Query per INN: no table scan, which grew with every customer and which the
 * bank-import role is not granted.
 */
import { describe, expect, it } from 'vitest';
import { freshTable } from '../support/dynamo.js';
import { DynamoLedger } from '../../functions/adapters/compose-ledger.js';
import { DynamoBankDirectory } from '../../functions/adapters/dynamo-bank-directory.js';
import { zLedgerCommand } from '../../functions/domain/ledger/commands.js';

describe('DynamoBankDirectory', () => {
  it('finds a customer by INN (and KPP when two share it) with Queries only, and follows a changed INN', async () => {
    // Prepare
    const { tableName, doc } = await freshTable('bankdir');
    const sent: string[] = [];
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    const ledger = new DynamoLedger({ doc, tableName });
    const meta = (id: string) => ({ source: 'test', eventId: id, receivedAt: '2026-11-01T00:00:00Z' });
    const upsert = (customerId: string, taxId: string, kpp?: string) =>
      ledger.apply(zLedgerCommand.parse({ type: 'customer.upsert', customerId, legalName: `ООО ${customerId}`, taxId, ...(kpp ? { kpp } : {}) }), meta(`${customerId}-${taxId}`));
    await upsert('C1', '7701234567');
    await upsert('C2', '7709876543', '770901001');
    await upsert('C3', '7709876543', '770902002');
    await upsert('C4', '5001234567');
    await upsert('C4', '5009999999');

    // Act
    sent.length = 0;
    const dir = new DynamoBankDirectory({ doc, tableName });
    const one = await dir.findCustomerByTaxId('7701234567');
    const byKpp = await dir.findCustomerByTaxId('7709876543', '770902002');
    const ambiguous = await dir.findCustomerByTaxId('7709876543');
    const oldInn = await dir.findCustomerByTaxId('5001234567');
    const newInn = await dir.findCustomerByTaxId('5009999999');

    // Assess
    expect([one, byKpp, ambiguous, oldInn, newInn]).toEqual([{ customerId: 'C1' }, { customerId: 'C3' }, undefined, undefined, { customerId: 'C4' }]);
    expect(new Set(sent)).toEqual(new Set(['QueryCommand']));
  });
});
