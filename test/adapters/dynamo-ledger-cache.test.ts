/**
 * The write path's per-instance cache (DynamoLedger CACHE and PERIOD CLOSE) and the one-Query customer
 * file of the dunning run. Two DynamoLedger instances on one table stand for two warm Lambdas.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { freshTable } from '../support/dynamo.js';
import { localDynamoClient } from '../../bin/local/dynamo.js';
import { DynamoLedger } from '../../functions/adapters/compose-ledger.js';
import { DynamoDunningStore } from '../../functions/adapters/dynamo-dunning.js';
import { ClosedPeriodError } from '../../functions/domain/errors.js';
import type { CommandOrigin } from '../../functions/ports/index.js';
import type { CalendarDate } from '../../functions/domain/dates.js';
import { contract, customer, invoice, payment } from '../unit/ledger/builders.js';

const NOW = new Date('2025-03-15T10:00:00Z');
let n = 0;
const origin = (): CommandOrigin => ({ source: 'billing', eventId: `cache-${++n}`, receivedAt: NOW.toISOString() });

let tableName: string;
let endpoint: string;
let doc: DynamoDBDocumentClient;
const calls: string[] = [];

/** A document client of its own, counting the operations it sends. */
function countingDoc(): DynamoDBDocumentClient {
  const d = DynamoDBDocumentClient.from(localDynamoClient(endpoint), { marshallOptions: { removeUndefinedValues: true } });
  d.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  return d;
}

beforeEach(async () => {
  ({ tableName, endpoint, doc } = await freshTable('cache'));
  calls.length = 0;
});

describe('DynamoLedger cache of the last committed state', () => {
  it('reads a customer once for a burst of its events', async () => {
    // Prepare
    const a = new DynamoLedger({ doc: countingDoc(), tableName, now: () => NOW });
    // Act
    await a.apply(customer('C1'), origin());
    await a.apply(contract('K1', 'RUB', 'C1'), origin());
    for (const id of ['I1', 'I2', 'I3']) await a.apply(invoice(id, '100.00', '2025-03-01', '2025-03-20', { contractId: 'K1' }), origin());
    // Assess
    expect(calls.filter((c) => c === 'Query')).toHaveLength(1);
    expect(calls.filter((c) => c === 'TransactWriteItems')).toHaveLength(5);
    expect((await new DynamoLedger({ doc, tableName }).getSummary('C1'))?.receivable).toEqual({ RUB: '300.00' });
  });

  it('converges when another instance wrote the customer since (the version check catches the stale copy)', async () => {
    // Prepare
    const a = new DynamoLedger({ doc, tableName, now: () => NOW });
    const b = new DynamoLedger({ doc, tableName, now: () => NOW });
    await a.apply(customer('C1'), origin());
    await a.apply(contract('K1', 'RUB', 'C1'), origin());
    await b.apply(invoice('I1', '1000.00', '2025-03-01', '2025-03-20', { contractId: 'K1' }), origin());
    // Act: A still holds the state before I1
    const paid = await a.apply(payment('P1', '400.00', '2025-03-14', { invoiceIds: ['I1'] }), origin());
    const second = await a.apply(invoice('I2', '50.00', '2025-03-02', '2025-03-21', { contractId: 'K1' }), origin());
    // Assess
    expect(paid.status).toBe('applied');
    expect(second.status).toBe('applied');
    const fresh = new DynamoLedger({ doc, tableName });
    const open = await fresh.openInvoices('C1');
    expect(open.map((i) => [i.invoiceId, i.outstanding.amount])).toEqual([
      ['I1', '600.00'],
      ['I2', '50.00'],
    ]);
    const summary = await fresh.getSummary('C1');
    expect(summary?.version).toBe((await fresh.listEntries('C1')).reduce((s, e) => s + e.rev, 0));
    expect(summary?.receivable).toEqual({ RUB: '650.00' });
  });

  it('never refuses on a cached state: a contract added elsewhere is found by re-reading', async () => {
    // Prepare
    const a = new DynamoLedger({ doc, tableName, now: () => NOW });
    const b = new DynamoLedger({ doc, tableName, now: () => NOW });
    await a.apply(customer('C1'), origin());
    await b.apply(contract('K9', 'RUB', 'C1'), origin());
    // Act
    const r = await a.apply(invoice('I1', '10.00', '2025-03-01', '2025-03-20', { contractId: 'K9' }), origin());
    // Assess
    expect(r.status).toBe('applied');
    expect(await a.listRefusals({ customerId: 'C1' })).toEqual([]);
  });
});

describe('DynamoLedger period close across instances', () => {
  it('once closePeriod has returned, every instance refuses a back-dated entry', async () => {
    // Prepare: A has just read "nothing closed" and may reuse it for the TTL
    const ttl = 300;
    const a = new DynamoLedger({ doc, tableName, now: () => NOW, periodCloseTtlMs: ttl });
    const b = new DynamoLedger({ doc, tableName, now: () => NOW, periodCloseTtlMs: ttl });
    await a.apply(customer('C1'), origin());
    await a.apply(contract('K1', 'RUB', 'C1'), origin());
    // Act
    await b.closePeriod('2025-02-28' as CalendarDate, 'accountant', 'February closed');
    const late = a.apply(invoice('I1', '10.00', '2025-02-10', '2025-02-20', { contractId: 'K1' }), origin());
    // Assess
    await expect(late).rejects.toBeInstanceOf(ClosedPeriodError); // closePeriod waited out A's copy
  });
});

describe('DynamoLedger.customerFile', () => {
  it('returns in one Query what the separate reads return', async () => {
    // Prepare
    const ledger = new DynamoLedger({ doc, tableName, now: () => NOW });
    const dunning = new DynamoDunningStore({ doc, tableName, now: () => NOW });
    await ledger.apply(customer('C1', { emails: ['ap@c1.example'] }), origin());
    await ledger.apply(contract('K1', 'RUB', 'C1'), origin());
    await ledger.apply(invoice('I1', '100.00', '2025-02-01', '2025-02-15', { contractId: 'K1' }), origin());
    await ledger.apply(invoice('I2', '200.00', '2025-02-02', '2025-02-10', { contractId: 'K1' }), origin());
    await ledger.apply(invoice('I3', '50.00', '2025-02-03', '2025-02-12', { contractId: 'K1' }), origin());
    await ledger.apply(payment('P1', '50.00', '2025-03-01', { invoiceIds: ['I3'] }), origin());
    await dunning.putPause({ pauseId: 'p1', customerId: 'C1', invoiceId: 'I1', kind: 'dispute', until: '2025-04-01', reason: 'quality claim', by: 'clerk', at: NOW.toISOString() });
    const key = { runDate: '2025-03-14', customerId: 'C1', stage: 'warning', owner: 'run-1' };
    await dunning.reserveLetter({ ...key, invoiceIds: ['I2'], invoiceSetHash: 'I2', channels: ['email'], total: [{ amount: '200.00', currency: 'RUB' }] }, { status: 'sending' });
    await dunning.markSent({ ...key, invoiceIds: ['I2'] }, { messageId: 'm-1' });
    calls.length = 0;
    const counted = new DynamoLedger({ doc: countingDoc(), tableName });
    // Act
    const file = await counted.customerFile('C1');
    // Assess
    expect(calls).toEqual(['Query']);
    expect(file.profile).toEqual(await ledger.getProfile('C1'));
    expect(file.openInvoices).toEqual(await ledger.openInvoices('C1'));
    expect(file.openInvoices.map((i) => i.invoiceId)).toEqual(['I2', 'I1']); // by due date; I3 is paid
    expect(file.entries).toEqual(await ledger.listEntries('C1'));
    expect(file.version).toBe((await ledger.getSummary('C1'))?.version);
    expect(file.version).toBe(await ledger.ledgerVersion('C1'));
    expect(file.stageHistory).toEqual(await dunning.stageHistory('C1'));
    expect(file.pauses).toEqual(await dunning.pauses('C1'));
    expect(file.lastLetterDate).toBe(await dunning.lastLetterDate('C1'));
    expect(file.lastLetterDate).toBe('2025-03-14');
  });
});
