/**
 * One-off back-fill of the balance index (GSI2 `BALANCES#<shard>` on a customer's summary while it
 * holds unapplied credit or a refund debt, table-design.ts keys.balanceIndex): summaries written
 * before the index existed get their entry, exactly as the ledger writes it (ledger-items.ts
 * summaryItem), once per table. A `CONFIG` / `BALANCE_INDEX` marker records that it ran (not on an
 * empty table, which the local stack's demo loader must see empty); reports read the index only once
 * the marker is there (balanceIndexReady). Each update is conditional on the summary's version: a
 * summary rewritten meanwhile already carries the entry the ledger gave it. The local stack runs it at
 * start (one GetItem when done); in AWS an operator invokes the weekly-summary function
 * with {"maintenance": "index-backfill"} (docs/deploy.md).
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SummaryRecord } from '../ports/ledger.js';
import { isConditionalCheckFailure } from './dynamo-helpers.js';
import { holdsBalance } from './ledger-items.js';
import { backfillDone, runOneOffBackfill } from './one-off-backfill.js';
import { debtorShard, keys } from './table-design.js';

const MARKER = 'BALANCE_INDEX';

/** Whether the table's balance index is complete (the back-fill ran). */
export const balanceIndexReady = (doc: DynamoDBDocumentClient, tableName: string): Promise<boolean> => backfillDone(doc, tableName, MARKER);

export function backfillBalanceIndex(doc: DynamoDBDocumentClient, tableName: string, now = () => new Date()): Promise<{ ran: boolean; indexed: number }> {
  return runOneOffBackfill(
    doc,
    tableName,
    {
      marker: MARKER,
      scan: {
        FilterExpression: 'SK = :summary AND attribute_not_exists(GSI2PK)',
        ExpressionAttributeValues: { ':summary': 'SUMMARY' },
        ProjectionExpression: 'PK, customerId, unappliedCredit, refundDebt, version',
      },
      index: async (it, customerId) => {
        if (!holdsBalance(it as Pick<SummaryRecord, 'unappliedCredit' | 'refundDebt'>)) return false;
        const ix = keys.balanceIndex(debtorShard(customerId), customerId);
        try {
          await doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: keys.customerSummary(customerId),
              UpdateExpression: 'SET GSI2PK = :pk, GSI2SK = :sk',
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':pk': ix.GSI2PK, ':sk': ix.GSI2SK, ':v': it.version },
            }),
          );
          return true;
        } catch (err) {
          if (!isConditionalCheckFailure(err)) throw err; // rewritten meanwhile by the ledger, with its own entry
          return false;
        }
      },
    },
    now,
  );
}
