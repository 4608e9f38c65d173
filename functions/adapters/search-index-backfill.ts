/**
 * One-off back-fill of the console's customer search index: profiles written before the index existed
 * get their GSI1 `CUSTOMERS#<shard>` entry and `searchText` (exactly as the ledger writes them,
 * ledger-items.ts), once per table — a `CONFIG` / `SEARCH_INDEX` marker records that it ran (not on an
 * empty table). The local
 * stack runs it at start (one GetItem when done); in AWS an operator invokes the weekly-summary function
 * with {"maintenance": "index-backfill"} (docs/deploy.md).
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runOneOffBackfill } from './one-off-backfill.js';
import { customerSearchEntry, keys } from './table-design.js';

export function backfillSearchIndex(doc: DynamoDBDocumentClient, tableName: string, now = () => new Date()): Promise<{ ran: boolean; indexed: number }> {
  return runOneOffBackfill(
    doc,
    tableName,
    {
      marker: 'SEARCH_INDEX',
      scan: {
        FilterExpression: 'SK = :profile AND attribute_not_exists(searchText) AND attribute_exists(legalName)',
        ExpressionAttributeValues: { ':profile': 'PROFILE' },
        ProjectionExpression: 'PK, customerId, legalName, taxId',
      },
      index: async (it, customerId) => {
        const ix = customerSearchEntry(customerId, String(it.legalName), it.taxId as string | undefined);
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.customerProfile(customerId),
            UpdateExpression: 'SET GSI1PK = :pk, GSI1SK = :sk, searchText = :t',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':pk': ix.GSI1PK, ':sk': ix.GSI1SK, ':t': ix.searchText },
          }),
        );
        return true;
      },
    },
    now,
  );
}
