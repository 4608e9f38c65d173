/**
 * One-off back-fill of the console's customer search index: profiles written before the index existed
 * get their GSI1 `CUSTOMERS#<shard>` entry and `searchText` (exactly as the ledger writes them,
 * ledger-items.ts), once per table — a `CONFIG` / `SEARCH_INDEX` marker records that it ran (not on an
 * empty table). The local
 * stack runs it at start (one GetItem when done); in AWS an operator invokes the weekly-summary function
 * with {"maintenance": "index-backfill"} (docs/deploy.md).
 */
import { GetCommand, PutCommand, UpdateCommand, paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { customerSearchEntry, keys } from './table-design.js';

const MARKER = { PK: 'CONFIG', SK: 'SEARCH_INDEX' };

export async function backfillSearchIndex(doc: DynamoDBDocumentClient, tableName: string, now = () => new Date()): Promise<{ ran: boolean; indexed: number }> {
  const done = await doc.send(new GetCommand({ TableName: tableName, Key: MARKER }));
  if (done.Item) return { ran: false, indexed: 0 };
  let indexed = 0;
  let scanned = 0;
  for await (const page of paginateScan(
    { client: doc },
    {
      TableName: tableName,
      FilterExpression: 'SK = :profile AND attribute_not_exists(searchText) AND attribute_exists(legalName)',
      ExpressionAttributeValues: { ':profile': 'PROFILE' },
      ProjectionExpression: 'PK, customerId, legalName, taxId',
    },
  )) {
    scanned += page.ScannedCount ?? 0;
    for (const it of page.Items ?? []) {
      const customerId = String(it.customerId ?? String(it.PK).slice('CUST#'.length));
      const legalName = String(it.legalName);
      const ix = customerSearchEntry(customerId, legalName, it.taxId as string | undefined);
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.customerProfile(customerId),
          UpdateExpression: 'SET GSI1PK = :pk, GSI1SK = :sk, searchText = :t',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':pk': ix.GSI1PK, ':sk': ix.GSI1SK, ':t': ix.searchText },
        }),
      );
      indexed++;
    }
  }
  // An empty table gets no marker (it would no longer look empty, e.g. to the local stack's demo loader).
  if (scanned) await doc.send(new PutCommand({ TableName: tableName, Item: { ...MARKER, at: now().toISOString(), indexed } }));
  return { ran: true, indexed };
}
