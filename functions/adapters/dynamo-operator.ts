/**
 * Operator-side DynamoDB adapters that are not the ledger's or the run's own:
 * - DynamoLetterResolver: settles an ambiguous outbox record (RUN#<date> / LETTER#<customer>#<stage>).
 *   sent: status → sent and the stage appended to each invoice's history (CUST#<id> / DUNNING#<invoice>)
 *   and the customer's lastLetterDate, in one transaction, so the stage is never sent again;
 *   not-sent: status → failed, so a deliberate re-run of the date may reserve and send it.
 *   Both are conditional on status = ambiguous and record `resolution` {by, at, reason, outcome}.
 * - DynamoReviewReader: the open bank-import review items (GSI2PK = 'REVIEW#open'), oldest first.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './table-design.js';
import { commitStageSent } from './dynamo-dunning.js';
import { isConditionalCheckFailure, queryAll, type Item, TableAdapter } from './dynamo-helpers.js';
import type { LetterRecord } from '../ports/dunning.js';
import type { LetterResolver, ReviewReader, ReviewResolution, StoredReviewItem } from '../ports/operator.js';

export class DynamoLetterResolver extends TableAdapter implements LetterResolver {
  async resolveAmbiguous(l: LetterRecord, outcome: 'sent' | 'not-sent', r: { by: string; at: string; reason: string }): Promise<boolean> {
    const resolution = { ...r, outcome };
    const letterUpdate = {
      TableName: this.table,
      Key: keys.letter(l.runDate, l.customerId, l.stage),
      UpdateExpression: `SET #s = :s, updatedAt = :now, resolution = :r${outcome === 'not-sent' ? ', #e = :e' : ''}`,
      ConditionExpression: '#s = :ambiguous',
      ExpressionAttributeNames: { '#s': 'status', ...(outcome === 'not-sent' ? { '#e': 'error' } : {}) },
      ExpressionAttributeValues: {
        ':s': outcome === 'sent' ? 'sent' : 'failed',
        ':ambiguous': 'ambiguous',
        ':now': r.at,
        ':r': resolution,
        ...(outcome === 'not-sent' ? { ':e': `operator ${r.by}: not sent (${r.reason})` } : {}),
      },
    };
    try {
      if (outcome === 'not-sent') {
        await this.doc.send(new UpdateCommand(letterUpdate));
        return true;
      }
      await commitStageSent(this.doc, this.table, l, r.at, letterUpdate);
      return true;
    } catch (err) {
      if (isConditionalCheckFailure(err)) return false;
      throw err;
    }
  }
}

/** A REVIEW#<importId> / LINE#<n> item as the review item it stores. */
const reviewItemOf = (i: Item): StoredReviewItem => ({
  importId: String(i.importId),
  line: Number(i.line),
  reason: String(i.reason),
  document: i.document as StoredReviewItem['document'],
  status: String(i.status ?? 'open'),
  at: String(i.at ?? ''),
});

export class DynamoReviewReader extends TableAdapter implements ReviewReader {
  async get(importId: string, line: number) {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.reviewItem(importId, line), ConsistentRead: true }));
    return r.Item ? { ...reviewItemOf(r.Item), resolution: r.Item.resolution } : undefined;
  }

  /** Closes an open item once an operator booked (or dismissed) it; false when it is no longer open (or unknown). */
  async close(importId: string, line: number, resolution: ReviewResolution): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.reviewItem(importId, line),
          UpdateExpression: 'SET #s = :done, resolution = :r REMOVE GSI2PK, GSI2SK',
          ConditionExpression: '#s = :open',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':done': resolution.outcome, ':open': 'open', ':r': resolution },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailure(err)) return false;
      throw err;
    }
  }

  async listOpen(opts: { limit?: number } = {}): Promise<StoredReviewItem[]> {
    const items = await queryAll(
      this.doc,
      { TableName: this.table, IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :p', ExpressionAttributeValues: { ':p': 'REVIEW#open' } },
      opts.limit ?? 500,
    );
    return items.map(reviewItemOf);
  }
}
