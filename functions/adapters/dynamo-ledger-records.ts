/**
 * The ledger's period close and refusal records over DynamoDB (PeriodCloseStore, RefusalStore): the
 * CONFIG / PERIOD_CLOSE item with its history under AUDIT#period-close, and refused commands under
 * AUDIT#ledger-refusal (GSI2 REFUSALS#<customerId>). Items: ledger-items.ts.
 */
import { GetCommand, PutCommand, TransactWriteCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CalendarDate } from '../domain/dates.js';
import type { PeriodClose, PeriodCloseStore, RefusalRecord, RefusalStore } from '../ports/ledger.js';
import { keys } from './table-design.js';
import { cancellationReasons, clean, queryAll, withoutKeys, TableAdapter } from './dynamo-helpers.js';
import { PERIOD_SCOPE, REFUSAL_SCOPE, refusalItem } from './ledger-items.js';

export class DynamoLedgerRecords extends TableAdapter implements PeriodCloseStore, RefusalStore {
  async getPeriodClose(): Promise<PeriodClose | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.periodClose(), ConsistentRead: true }));
    if (!r.Item?.closedThrough) return undefined;
    const { closedThrough, by, reason, at } = r.Item as PeriodClose;
    return { closedThrough, by, reason, at };
  }

  /** The close and its history item in one transaction, conditioned on the stored close being earlier. */
  async savePeriodClose(record: PeriodClose, previous?: CalendarDate): Promise<'saved' | 'conflict'> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.periodClose(), ...record },
                ConditionExpression: 'attribute_not_exists(closedThrough) OR closedThrough < :t',
                ExpressionAttributeValues: { ':t': record.closedThrough },
              },
            },
            { Put: { TableName: this.table, Item: clean({ ...keys.audit(PERIOD_SCOPE, record.at, record.closedThrough), kind: 'period-close', ...record, previous }) } },
          ],
        }),
      );
      return 'saved';
    } catch (err) {
      if (cancellationReasons(err)) return 'conflict';
      throw err;
    }
  }

  async listPeriodCloses(): Promise<(PeriodClose & { previous?: CalendarDate })[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.audit(PERIOD_SCOPE, '', '').PK },
    });
    return items.map(
      ({ closedThrough, by, reason, at, previous }) => ({ closedThrough, by, reason, at, ...(previous ? { previous } : {}) }) as PeriodClose & { previous?: CalendarDate },
    );
  }

  async recordRefusal(r: RefusalRecord): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: refusalItem(r) }));
  }

  async listRefusals(opts: { customerId?: string; limit?: number } = {}): Promise<RefusalRecord[]> {
    const input: QueryCommandInput = opts.customerId
      ? {
          TableName: this.table,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk',
          ExpressionAttributeValues: { ':pk': `REFUSALS#${opts.customerId}` },
          ScanIndexForward: false,
        }
      : {
          TableName: this.table,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.audit(REFUSAL_SCOPE, '', '').PK },
          ScanIndexForward: false,
          ConsistentRead: true,
        };
    return (await queryAll(this.doc, input, opts.limit ?? 1000)).map((i) => withoutKeys<RefusalRecord>(i));
  }
}
