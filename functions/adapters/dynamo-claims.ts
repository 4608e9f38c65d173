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
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors.js';
import type { ClaimCase, ClaimStatus } from '../domain/claims/index.js';
import { keys } from './table-design.js';
import { DynamoLedger } from './dynamo-ledger.js';
import { DynamoDunningStore } from './dynamo-dunning.js';
import type { ApprovalSignal, CaseFlowStarter, ClaimsDeps, ClaimsLogger } from '../app/claims.js';
import type { DocumentStore } from '../ports/index.js';
import type { CompanyInfo } from '../render/reconciliation-pdf.js';
import type { RuleData } from '../domain/rules/index.js';
import { LRUCache } from 'lru-cache';

export type CreateOutcome = { created: true; case: ClaimCase } | { created: false; existing: ClaimCase };

/** The case store the use cases depend on (DynamoClaims implements it; tests may pass a fake). */
export interface ClaimCaseStore {
  get(caseId: string): Promise<ClaimCase | undefined>;
  openCaseOf(customerId: string): Promise<ClaimCase | undefined>;
  /** Creates an open case; when the customer already has one, returns it instead. */
  create(c: ClaimCase): Promise<CreateOutcome>;
  /** Saves over version `c.version`; returns the case with the next version. ConflictError if it moved. */
  save(c: ClaimCase): Promise<ClaimCase>;
  listByStatus(status: ClaimStatus): Promise<ClaimCase[]>;
  listOfCustomer(customerId: string): Promise<ClaimCase[]>;
}

export class CaseVersionConflict extends ConflictError {
  override readonly code = 'CASE_VERSION_CONFLICT';
}

const KEY_FIELDS = ['PK', 'SK', 'GSI2PK', 'GSI2SK', 'kind'];
const isCondFail = (e: unknown) =>
  e instanceof ConditionalCheckFailedException ||
  (e as { name?: string }).name === 'ConditionalCheckFailedException' ||
  (e as { name?: string }).name === 'TransactionCanceledException';

function toCase(item: Record<string, unknown>): ClaimCase {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_FIELDS.includes(k)) out[k] = v;
  return out as unknown as ClaimCase;
}

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

const clean = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class DynamoClaims implements ClaimCaseStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  /** caseId → customerId, learnt from the CASE#<id> reference: a case never changes customer. */
  private readonly owners = new LRUCache<string, string>({ max: 10_000 });
  constructor(opts: { doc: DynamoDBDocumentClient; tableName: string }) {
    this.doc = opts.doc;
    this.table = opts.tableName;
  }

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
            { Put: { TableName: this.table, Item: { ...keys.claimCaseRef(c.caseId), kind: 'claim-case-ref', caseId: c.caseId, customerId: c.customerId }, ConditionExpression: cond } },
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
      if (!isCondFail(err)) throw err;
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
      if (isCondFail(err)) throw new CaseVersionConflict(`case ${c.caseId} changed since version ${c.version}`, { cause: err });
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

  private async queryAll(q: {
    IndexName?: string;
    KeyConditionExpression: string;
    ExpressionAttributeValues: Record<string, unknown>;
    ConsistentRead?: boolean;
  }): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(new QueryCommand({ TableName: this.table, ...q, ExclusiveStartKey: start }));
      out.push(...(r.Items ?? []));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

// ------------------------------------------------------------------------------------------------
// Wiring


/**
 * The claim use cases' deps over one table: DynamoClaims, DynamoLedger (profile, ledger state,
 * reconciliation) and DynamoDunningStore (letters sent). `approval`: createSfnApprovalSignal() in the
 * cloud, a LocalApprovalHub locally. `flow`: createSfnStarter(<ClaimCase state machine ARN>) in the
 * cloud, a local starter that runs the ClaimCase definition in-process locally.
 */
export function composeClaims(infra: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  documents: DocumentStore;
  company: CompanyInfo;
  timeZone: string;
  now?: () => Date;
  rules?: RuleData;
  approval?: ApprovalSignal;
  flow?: CaseFlowStarter;
  logger?: ClaimsLogger;
}): ClaimsDeps & { cases: DynamoClaims; ledger: DynamoLedger; letters: DynamoDunningStore } {
  const now = infra.now ?? (() => new Date());
  return {
    cases: new DynamoClaims({ doc: infra.doc, tableName: infra.tableName }),
    ledger: new DynamoLedger({ doc: infra.doc, tableName: infra.tableName, now }),
    letters: new DynamoDunningStore({ doc: infra.doc, tableName: infra.tableName, now }),
    documents: infra.documents,
    company: infra.company,
    timeZone: infra.timeZone,
    now,
    ...(infra.rules ? { rules: infra.rules } : {}),
    ...(infra.approval ? { approval: infra.approval } : {}),
    ...(infra.flow ? { flow: infra.flow } : {}),
    ...(infra.logger ? { logger: infra.logger } : {}),
  };
}
