/**
 * DynamoDB store of claim cases (single table, table-design.ts).
 *
 * Items:
 *  CUST#<customerId> / CASE#<caseId>     the case: every ClaimCase field, kind='claim-case', version
 *                                         (optimistic), GSI2PK='CASES#<status>', GSI2SK='<openedOn>#<caseId>'
 *  CASE#<caseId> / CASE                   reference: caseId → customerId (find a case by its id alone)
 *  CUST#<customerId> / OPEN_CASE          the customer's one open case (conditional put on open, deleted on close)
 *
 * Opening is one transaction of the three puts, each `attribute_not_exists`: a second opener (a retried
 * run, a concurrent run) loses and gets the existing open case. Every save checks the version it read.
 */
import { GetCommand, PutCommand, TransactWriteCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors.js';
import { CaseVersionConflict, type ClaimCase, type ClaimStatus } from '../domain/claims/index.js';
import type { ClaimCaseStore, CreateOutcome } from '../ports/claims.js';
import { keys } from './table-design.js';
import { clean, isConditionalCheckFailure, queryAll, withoutKeys, TableAdapter } from './dynamo-helpers.js';
import { LRUCache } from 'lru-cache';

const toCase = (item: Record<string, unknown>): ClaimCase => withoutKeys<ClaimCase>(item);

/**
 * The open case as found among a customer's partition items (DynamoLedger.customerFile): null when no
 * case is open, undefined when the pointer names a case not among the items (then read it).
 */
export function openCaseIn(items: Map<string, Record<string, unknown>>): ClaimCase | null | undefined {
  const caseId = items.get('OPEN_CASE')?.caseId as string | undefined;
  if (!caseId) return null;
  const item = items.get(`CASE#${caseId}`);
  return item ? toCase(item) : undefined;
}

export class DynamoClaims extends TableAdapter implements ClaimCaseStore {
  /** caseId → customerId, learnt from the CASE#<id> reference: a case never changes customer. */
  private readonly owners = new LRUCache<string, string>({ max: 10_000 });

  private item(c: ClaimCase): Record<string, unknown> {
    return {
      ...keys.claimCase(c.customerId, c.caseId),
      kind: 'claim-case',
      ...clean(c),
      GSI2PK: `CASES#${c.status}`,
      GSI2SK: `${c.openedOn}#${c.caseId}`,
    };
  }

  async get(caseId: string): Promise<ClaimCase | undefined> {
    let customerId = this.owners.get(caseId);
    if (!customerId) {
      const ref = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.claimCaseRef(caseId), ConsistentRead: true }));
      customerId = ref.Item?.customerId as string | undefined;
      if (!customerId) return undefined;
      this.owners.set(caseId, customerId);
    }
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.claimCase(customerId, caseId), ConsistentRead: true }));
    return r.Item ? toCase(r.Item) : undefined;
  }

  async openCaseOf(customerId: string): Promise<ClaimCase | undefined> {
    const m = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.openClaimCase(customerId), ConsistentRead: true }));
    const caseId = m.Item?.caseId as string | undefined;
    if (!caseId) return undefined;
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.claimCase(customerId, caseId), ConsistentRead: true }));
    return r.Item ? toCase(r.Item) : undefined;
  }

  async create(c: ClaimCase): Promise<CreateOutcome> {
    this.owners.set(c.caseId, c.customerId);
    const saved: ClaimCase = { ...c, version: 1 };
    const cond = 'attribute_not_exists(PK)';
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: this.item(saved), ConditionExpression: cond } },
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.claimCaseRef(c.caseId), kind: 'claim-case-ref', caseId: c.caseId, customerId: c.customerId },
                ConditionExpression: cond,
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.openClaimCase(c.customerId), kind: 'open-claim-case', caseId: c.caseId, customerId: c.customerId, openedOn: c.openedOn },
                ConditionExpression: cond,
              },
            },
          ],
        }),
      );
      return { created: true, case: saved };
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
      const existing = await this.openCaseOf(c.customerId);
      if (existing) return { created: false, existing };
      throw new ConflictError(`case ${c.caseId} already exists (closed); the customer has no open case`, { cause: err });
    }
  }

  async save(c: ClaimCase): Promise<ClaimCase> {
    const next: ClaimCase = { ...c, version: c.version + 1 };
    const put = {
      TableName: this.table,
      Item: this.item(next),
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': c.version },
    };
    try {
      if (c.status === 'closed') {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: put },
              {
                Delete: {
                  TableName: this.table,
                  Key: keys.openClaimCase(c.customerId),
                  ConditionExpression: 'attribute_not_exists(PK) OR caseId = :id',
                  ExpressionAttributeValues: { ':id': c.caseId },
                },
              },
            ],
          }),
        );
      } else {
        await this.doc.send(new PutCommand(put));
      }
      return next;
    } catch (err) {
      if (isConditionalCheckFailure(err)) throw new CaseVersionConflict(`case ${c.caseId} changed since version ${c.version}`, { cause: err });
      throw err;
    }
  }

  async listByStatus(status: ClaimStatus): Promise<ClaimCase[]> {
    return (await this.queryAll({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :p', ExpressionAttributeValues: { ':p': `CASES#${status}` } })).map(toCase);
  }

  async listOfCustomer(customerId: string): Promise<ClaimCase[]> {
    return (
      await this.queryAll({
        KeyConditionExpression: 'PK = :p AND begins_with(SK, :s)',
        ExpressionAttributeValues: { ':p': `CUST#${customerId}`, ':s': 'CASE#' },
        ConsistentRead: true,
      })
    ).map(toCase);
  }

  private queryAll(q: Omit<QueryCommandInput, 'TableName'>) {
    return queryAll(this.doc, { TableName: this.table, ...q });
  }
}
