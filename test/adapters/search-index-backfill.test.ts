/**
 * The one-off back-fill of the console's search index: a profile written before the index existed is
 * found by name after it; the marker makes a second run a no-op; an empty table gets no marker.
 */
import { describe, expect, it } from 'vitest';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { backfillSearchIndex } from '../../functions/adapters/search-index-backfill.js';
import { DynamoConsoleReads } from '../../functions/adapters/dynamo-console.js';
import { freshTable } from '../support/dynamo.js';

describe('search index back-fill', () => {
  it('indexes old profiles once; an empty table stays empty', async () => {
    // Prepare
    const { doc, tableName } = await freshTable('backfill');
    const empty = await backfillSearchIndex(doc, tableName);
    const afterEmpty = await doc.send(new ScanCommand({ TableName: tableName }));
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { PK: 'CUST#old-1', SK: 'PROFILE', kind: 'profile', customerId: 'old-1', legalName: 'ООО «Старый Клиент»', taxId: '7701000001' },
      }),
    );
    const reads = new DynamoConsoleReads({ doc, tableName });
    const before = await reads.searchCustomers({ text: 'старый', limit: 10 });
    // Act
    const first = await backfillSearchIndex(doc, tableName);
    const second = await backfillSearchIndex(doc, tableName);
    const after = await reads.searchCustomers({ text: 'старый', limit: 10 });
    // Assess
    expect(empty).toEqual({ ran: true, indexed: 0 });
    expect(afterEmpty.Items).toEqual([]);
    expect(before.customers).toEqual([]);
    expect(first).toEqual({ ran: true, indexed: 1 });
    expect(second).toEqual({ ran: false, indexed: 0 });
    expect(after.customers.map((c) => c.customerId)).toEqual(['old-1']);
  });
});
