/**
 * Operator-side DynamoDB adapters that are not the ledger's or the run's own:
 * - DynamoLetterResolver: settles an ambiguous outbox record (RUN#<date> / LETTER#<customer>#<stage>).
 *   sent: status → sent and the stage appended to each invoice's history (CUST#<id> / DUNNING#<invoice>)
 *   and the customer's lastLetterDate, in one transaction, so the stage is never sent again;
 *   not-sent: status → failed, so a deliberate re-run of the date may reserve and send it.
 *   Both are conditional on status = ambiguous and record `resolution` {by, at, reason, outcome}.
 * - DynamoReviewReader: the open bank-import review items (GSI2PK = 'REVIEW#open'), oldest first.
 */
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './table-design.js';
import { commitStageSent, type LetterRecord } from './dynamo-dunning.js';
import type { LetterResolver, ReviewReader, StoredReviewItem } from '../app/operator.js';

const isCondFail = (e: unknown) => {
  const n = (e as { name?: string }).name;
  return n === 'ConditionalCheckFailedException' || n === 'TransactionCanceledException';
};

export class DynamoLetterResolver implements LetterResolver {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  constructor(opts: { doc: DynamoDBDocumentClient; tableName: string }) {
    this.doc = opts.doc;
    this.table = opts.tableName;
  }

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
      if (isCondFail(err)) return false;
      throw err;
    }
  }
}

export class DynamoReviewReader implements ReviewReader {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  constructor(opts: { doc: DynamoDBDocumentClient; tableName: string }) {
    this.doc = opts.doc;
    this.table = opts.tableName;
  }

  async get(importId: string, line: number) {
    const i = await getReviewItem({ doc: this.doc, tableName: this.table }, importId, line);
    return i
      ? { importId: String(i.importId), line: Number(i.line), reason: String(i.reason), document: i.document as StoredReviewItem['document'], status: String(i.status ?? 'open'), at: String(i.at ?? ''), resolution: i.resolution }
      : undefined;
  }

  async close(importId: string, line: number, resolution: Parameters<typeof closeReviewItem>[3]): Promise<boolean> {
    return (await closeReviewItem({ doc: this.doc, tableName: this.table }, importId, line, resolution)).closed;
  }

  async listOpen(opts: { limit?: number } = {}): Promise<StoredReviewItem[]> {
    const limit = opts.limit ?? 500;
    const out: StoredReviewItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :p',
          ExpressionAttributeValues: { ':p': 'REVIEW#open' },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of r.Items ?? []) {
        out.push({
          importId: String(i.importId),
          line: Number(i.line),
          reason: String(i.reason),
          document: i.document as StoredReviewItem['document'],
          status: String(i.status ?? 'open'),
          at: String(i.at ?? ''),
        });
      }
      start = r.LastEvaluatedKey;
    } while (start && out.length < limit);
    return out.slice(0, limit);
  }
}

/** Closes a bank review item once an operator booked (or dismissed) it; false when already closed or unknown. */
export async function closeReviewItem(
  db: { doc: DynamoDBDocumentClient; tableName: string },
  importId: string,
  line: number,
  resolution: { outcome: 'booked' | 'dismissed'; by: string; at: string; reason: string; customerId?: string; paymentId?: string },
): Promise<{ closed: boolean; document?: Record<string, unknown> }> {
  const key = keys.reviewItem(importId, line);
  const current = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: key, ConsistentRead: true }));
  if (current.Item?.status !== 'open') return { closed: false };
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: key,
        UpdateExpression: 'SET #s = :done, resolution = :r REMOVE GSI2PK, GSI2SK',
        ConditionExpression: '#s = :open',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':done': resolution.outcome, ':open': 'open', ':r': resolution },
      }),
    );
    return { closed: true, document: current.Item.document as Record<string, unknown> };
  } catch (err) {
    if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return { closed: false };
    throw err;
  }
}

/** Reads one review item (any status). */
export async function getReviewItem(db: { doc: DynamoDBDocumentClient; tableName: string }, importId: string, line: number): Promise<Record<string, unknown> | undefined> {
  return (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.reviewItem(importId, line), ConsistentRead: true }))).Item;
}
