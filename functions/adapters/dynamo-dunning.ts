/**
 * DynamoDB store for the dunning run: the letter outbox (exactly-once delivery), each invoice's
 * stage history, customer pauses, run records and failures.
 *
 * Items (see docs/ARCHITECTURE.md):
 * - RUN#<runDate> / LETTER#<customerId>#<stage>: the outbox record of one letter.
 *     status: reserved → sending → sent | failed | ambiguous; owner (execution), leaseUntil, invoiceIds,
 *     invoiceSetHash, channels, messageId, documentUri, amounts; GSI2 = LETTERS#<customerId> / <runDate>#<stage>.
 * - CUST#<customerId> / DUNNING#<invoiceId>: stages sent for the invoice [{stage, runDate}] (never goes back).
 * - CUST#<customerId> / PAUSE#<id>: pause/dispute/promise/schedule with until-date (operator actions).
 * - RUN#<runDate> / RUN: the run record (summary, policy version, execution name).
 * - RUN#<runDate> / FAILURE#<customerId>: a customer the run could not process, with the error.
 */
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ContactBook, DunningStore, LetterRecord, LetterStatus, PauseRecord, ReserveOutcome, RunBookkeeping, StageHistory } from '../ports/dunning.js';
import type { OperatorDunning } from '../ports/operator.js';
import { keys } from './table-design.js';
import { isConditionalCheckFailure, queryAll, TableAdapter } from './dynamo-helpers.js';
import { batchGetAll } from './batch-get.js';

/** A DUNNING#<invoiceId> item as the stage history of that invoice. */
export const stageHistoryOf = (i: Record<string, unknown>): StageHistory => ({ invoiceId: String(i.invoiceId), stages: (i.stages as StageHistory['stages']) ?? [] });
/** A PAUSE#<id> item as stored (the record plus its keys). */
export const pauseOfItem = (i: Record<string, unknown>): PauseRecord => i as unknown as PauseRecord;

export const LEASE_MS = 5 * 60_000;

type UpdateInput = {
  TableName: string;
  Key: Record<string, unknown>;
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
};

/**
 * A letter becomes sent: the stage goes on every invoice's history, the customer's last-letter date
 * moves, and the letter's own update (with its condition) commits in the same transaction. A letter
 * listing more invoices than one transaction holds writes the extra history first (a stage recorded
 * without the letter being marked only makes the next run skip that stage for the invoice — the safe
 * side).
 */
export async function commitStageSent(
  doc: DynamoDBDocumentClient,
  table: string,
  l: Pick<LetterRecord, 'runDate' | 'customerId' | 'stage' | 'invoiceIds'>,
  at: string,
  letterUpdate: UpdateInput,
): Promise<void> {
  const history = l.invoiceIds.map((invoiceId) => ({
    Update: {
      TableName: table,
      Key: keys.dunningState(l.customerId, invoiceId),
      UpdateExpression: 'SET stages = list_append(if_not_exists(stages, :empty), :st), invoiceId = :inv, customerId = :c, updatedAt = :now',
      ExpressionAttributeValues: { ':empty': [], ':st': [{ stage: l.stage, runDate: l.runDate }], ':inv': invoiceId, ':c': l.customerId, ':now': at },
    },
  }));
  const customerMark = {
    Update: {
      TableName: table,
      Key: keys.customerProfile(l.customerId),
      UpdateExpression: 'SET lastLetterDate = :d',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':d': l.runDate },
    },
  };
  const chunks: (typeof history)[] = [];
  for (let i = 0; i < history.length; i += 90) chunks.push(history.slice(i, i + 90));
  const last = chunks.pop() ?? [];
  for (const c of chunks) await doc.send(new TransactWriteCommand({ TransactItems: c }));
  await doc.send(new TransactWriteCommand({ TransactItems: [...last, { Update: letterUpdate }, customerMark] }));
}

export class DynamoDunningStore extends TableAdapter implements DunningStore, RunBookkeeping, OperatorDunning, ContactBook {
  private readonly now: () => Date;
  constructor(opts: { doc: DynamoDBDocumentClient; tableName: string; now?: () => Date }) {
    super(opts);
    this.now = opts.now ?? (() => new Date());
  }

  /**
   * Claims the outbox record for (runDate, customer, stage) in one conditional write. Succeeds when no
   * record exists, when a previous attempt definitely did not send (status failed, or reserved with an
   * expired lease / same owner). Otherwise returns the existing record ('already'): sent, sending
   * (ambiguous), cancelled, or held by another run.
   *
   * `status` is what the claim records: `sending` right before the send call (the run renders first, so
   * one write takes the letter and marks the send), `cancelled` when the recheck found it paid, or
   * `reserved` (held under a lease, nothing sent yet).
   */
  async reserveLetter(
    input: Omit<LetterRecord, 'status' | 'attempts' | 'updatedAt' | 'leaseUntil'>,
    opts: { status?: 'reserved' | 'sending' | 'cancelled'; error?: string } = {},
  ): Promise<ReserveOutcome> {
    const nowIso = this.now().toISOString();
    const leaseUntil = new Date(this.now().getTime() + LEASE_MS).toISOString();
    const record: LetterRecord = {
      ...input,
      status: opts.status ?? 'reserved',
      attempts: 1,
      leaseUntil,
      updatedAt: nowIso,
      claimedAt: nowIso,
      ...(opts.error ? { error: opts.error } : {}),
    };
    const key = keys.letter(input.runDate, input.customerId, input.stage);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, ...record, GSI2PK: `LETTERS#${input.customerId}`, GSI2SK: `${input.runDate}#${input.stage}`, kind: 'letter' },
          ConditionExpression: 'attribute_not_exists(PK) OR #s = :failed OR (#s = :reserved AND (#o = :owner OR leaseUntil < :now))',
          ExpressionAttributeNames: { '#s': 'status', '#o': 'owner' },
          ExpressionAttributeValues: { ':failed': 'failed', ':reserved': 'reserved', ':owner': input.owner, ':now': nowIso },
        }),
      );
      return { outcome: 'reserved', record };
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
      const existing = await this.getLetter(input.runDate, input.customerId, input.stage);
      if (!existing) throw err;
      return { outcome: 'already', record: existing, leaseActive: existing.owner !== input.owner && existing.leaseUntil >= nowIso };
    }
  }

  /** sending → reserved: the send definitely did not happen (throttled); a retry may send. */
  async releaseLetter(l: Pick<LetterRecord, 'runDate' | 'customerId' | 'stage' | 'owner'>, error: string): Promise<void> {
    await this.setStatus(l, 'reserved', { error }, 'sending');
  }

  async markFailed(l: Pick<LetterRecord, 'runDate' | 'customerId' | 'stage' | 'owner'>, error: string): Promise<void> {
    await this.setStatus(l, 'failed', { error });
  }

  async markAmbiguous(l: Pick<LetterRecord, 'runDate' | 'customerId' | 'stage' | 'owner'>, error: string): Promise<void> {
    await this.setStatus(l, 'ambiguous', { error });
  }

  /**
   * sending → sent, and the stage recorded on every invoice of the letter, atomically (chunks of
   * history first when a letter lists more invoices than one transaction holds).
   */
  async markSent(l: Pick<LetterRecord, 'runDate' | 'customerId' | 'stage' | 'owner' | 'invoiceIds'>, info: { messageId?: string; documentUri?: string }): Promise<void> {
    const nowIso = this.now().toISOString();
    await commitStageSent(this.doc, this.table, l, nowIso, {
      TableName: this.table,
      Key: keys.letter(l.runDate, l.customerId, l.stage),
      UpdateExpression: 'SET #s = :sent, updatedAt = :now, messageId = :m, documentUri = :d',
      ConditionExpression: '#s = :sending AND #o = :owner',
      ExpressionAttributeNames: { '#s': 'status', '#o': 'owner' },
      ExpressionAttributeValues: { ':sent': 'sent', ':sending': 'sending', ':owner': l.owner, ':now': nowIso, ':m': info.messageId ?? null, ':d': info.documentUri ?? null },
    });
  }

  /**
   * sending | ambiguous → sent, settled from the mail service's record (a send event): the stage goes
   * on the invoices' history in the same transaction. False when the letter moved meanwhile.
   */
  async settleSent(l: Pick<LetterRecord, 'runDate' | 'customerId' | 'stage' | 'owner' | 'invoiceIds'>, info: { messageId?: string; note: string }): Promise<boolean> {
    const nowIso = this.now().toISOString();
    try {
      await commitStageSent(this.doc, this.table, l, nowIso, {
        TableName: this.table,
        Key: keys.letter(l.runDate, l.customerId, l.stage),
        UpdateExpression: 'SET #s = :sent, updatedAt = :now, messageId = if_not_exists(messageId, :m), settled = :note',
        ConditionExpression: '(#s = :sending OR #s = :ambiguous) AND #o = :owner',
        ExpressionAttributeNames: { '#s': 'status', '#o': 'owner' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':sending': 'sending',
          ':ambiguous': 'ambiguous',
          ':owner': l.owner,
          ':now': nowIso,
          ':m': info.messageId ?? null,
          ':note': info.note,
        },
      });
      return true;
    } catch (err) {
      if (isConditionalCheckFailure(err)) return false;
      throw err;
    }
  }

  /** sending | ambiguous → failed (definitely not sent: a claim may take it and send). False when the letter moved meanwhile. */
  async settleNotSent(l: Pick<LetterRecord, 'runDate' | 'customerId' | 'stage' | 'owner'>, note: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.letter(l.runDate, l.customerId, l.stage),
          UpdateExpression: 'SET #s = :failed, updatedAt = :now, #e = :note, settled = :note',
          ConditionExpression: '(#s = :sending OR #s = :ambiguous) AND #o = :owner',
          ExpressionAttributeNames: { '#s': 'status', '#o': 'owner', '#e': 'error' },
          ExpressionAttributeValues: { ':failed': 'failed', ':sending': 'sending', ':ambiguous': 'ambiguous', ':owner': l.owner, ':now': this.now().toISOString(), ':note': note },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailure(err)) return false;
      throw err;
    }
  }

  /** Records SES's send event on the letter (the feedback path); false when there is no such letter. */
  async recordSendEvent(l: { runDate: string; customerId: string; stage: string }, event: { messageId: string; at: string }): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.letter(l.runDate, l.customerId, l.stage),
          UpdateExpression: 'SET sesAccepted = :a',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':a': event },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailure(err)) return false;
      throw err;
    }
  }

  async getLetter(runDate: string, customerId: string, stage: string): Promise<LetterRecord | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.letter(runDate, customerId, stage), ConsistentRead: true }));
    return r.Item as LetterRecord | undefined;
  }

  async lettersOfRun(runDate: string): Promise<LetterRecord[]> {
    return (await this.queryAll({ pk: `RUN#${runDate}`, skPrefix: 'LETTER#' })) as unknown as LetterRecord[];
  }

  async lettersOfCustomer(customerId: string): Promise<LetterRecord[]> {
    return (await this.queryAll({ index: 'GSI2', pk: `LETTERS#${customerId}` })) as unknown as LetterRecord[];
  }

  async stageHistory(customerId: string): Promise<StageHistory[]> {
    const items = await this.queryAll({ pk: `CUST#${customerId}`, skPrefix: 'DUNNING#', consistent: true });
    return items.map(stageHistoryOf);
  }

  async pauses(customerId: string): Promise<PauseRecord[]> {
    return (await this.queryAll({ pk: `CUST#${customerId}`, skPrefix: 'PAUSE#', consistent: true })).map(pauseOfItem);
  }

  async putPause(p: PauseRecord): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...keys.pause(p.customerId, p.pauseId), ...p, kind_: 'pause' } }));
  }

  async resolvePause(customerId: string, pauseId: string, resolved: { by: string; at: string; reason: string }): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.pause(customerId, pauseId),
          UpdateExpression: 'SET resolved = :r',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':r': resolved },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailure(err)) return false;
      throw err;
    }
  }

  /** Adds addresses to the profile's undeliverable list (SES bounce/complaint); false when no profile. */
  async markUndeliverable(customerId: string, emails: string[], reason: string, at: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.customerProfile(customerId),
          UpdateExpression:
            'SET undeliverableEmails = list_append(if_not_exists(undeliverableEmails, :empty), :list), contactIssues = list_append(if_not_exists(contactIssues, :empty), :issue)',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: {
            ':list': emails.map((e) => e.toLowerCase()),
            ':empty': [],
            ':issue': [{ emails, reason, at }],
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailure(err)) return false;
      throw err;
    }
  }

  async lastLetterDate(customerId: string): Promise<string | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.customerProfile(customerId), ProjectionExpression: 'lastLetterDate' }));
    return r.Item?.lastLetterDate as string | undefined;
  }

  async recordFailure(runDate: string, customerId: string, error: string, cause: string, executionName: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.failure(runDate, customerId), runDate, customerId, error, cause, executionName, at: this.now().toISOString() },
      }),
    );
  }

  async failuresOfRun(runDate: string): Promise<{ customerId: string; error: string; cause: string }[]> {
    return (await this.queryAll({ pk: `RUN#${runDate}`, skPrefix: 'FAILURE#' })) as never;
  }

  async putRun(runDate: string, record: Record<string, unknown>): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...keys.run(runDate), runDate, ...record, ...keys.runIndex(runDate) } }));
  }

  /** The run record as the run wrote it (its summary and finishedAt), without the table's keys. */
  async getRun(runDate: string): Promise<Record<string, unknown> | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.run(runDate) }));
    if (!r.Item) return undefined;
    const { PK: _pk, SK: _sk, GSI2PK: _g2pk, GSI2SK: _g2sk, ...record } = r.Item;
    return record;
  }

  async profiles(customerIds: string[]): Promise<Record<string, unknown>[]> {
    return batchGetAll(
      this.doc,
      this.table,
      customerIds.map((c) => keys.customerProfile(c)),
    );
  }

  private async setStatus(
    l: Pick<LetterRecord, 'runDate' | 'customerId' | 'stage' | 'owner'>,
    status: LetterStatus,
    extra: Record<string, unknown>,
    expect?: LetterStatus,
  ): Promise<void> {
    const names: Record<string, string> = { '#s': 'status', '#o': 'owner' };
    const values: Record<string, unknown> = { ':s': status, ':owner': l.owner, ':now': this.now().toISOString() };
    let set = 'SET #s = :s, updatedAt = :now';
    for (const [k, v] of Object.entries(extra)) {
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      set += `, #${k} = :${k}`;
    }
    let cond = '#o = :owner';
    if (expect) {
      cond += ' AND #s = :expect';
      values[':expect'] = expect;
    }
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.letter(l.runDate, l.customerId, l.stage),
        UpdateExpression: set,
        ConditionExpression: cond,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  private queryAll(q: { pk: string; skPrefix?: string; index?: 'GSI2'; consistent?: boolean }): Promise<Record<string, unknown>[]> {
    const pkName = q.index ? 'GSI2PK' : 'PK';
    return queryAll(this.doc, {
      TableName: this.table,
      ...(q.index ? { IndexName: q.index } : {}),
      KeyConditionExpression: q.skPrefix ? `${pkName} = :p AND begins_with(SK, :s)` : `${pkName} = :p`,
      ExpressionAttributeValues: { ':p': q.pk, ...(q.skPrefix ? { ':s': q.skPrefix } : {}) },
      ConsistentRead: q.consistent,
    });
  }
}
