/**
 * Operator audit trail over the single table: who, when, why, what.
 *
 * Item: AUDIT#operator#<day> / <at>#<id>   (keys.audit('operator#<day>', at, id); day in the company time zone)
 *   kind='operator-audit', id, at, day, action, by, principal?, reason, customerId?, details,
 *   GSI2PK='AUDIT#CUST#<customerId>', GSI2SK='<at>#<id>'   (only when the action concerns a customer)
 * Per day: one Query of the day's partition. Per customer: one Query of GSI2, newest first.
 * Items are append-only (conditional put: an id is never overwritten).
 */
import { PutCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { keys } from './table-design.js';
import type { AuditEntry, AuditLog } from '../ports/operator.js';
import { clean, queryAll, withoutKeys, TableAdapter } from './dynamo-helpers.js';
import type { CalendarDate } from '../domain/dates.js';

export const OPERATOR_AUDIT_SCOPE = 'operator';
export const auditDayScope = (day: string) => `${OPERATOR_AUDIT_SCOPE}#${day}`;
export const auditCustomerIndex = (customerId: string) => `AUDIT#CUST#${customerId}`;

export class DynamoAuditLog extends TableAdapter implements AuditLog {
  async record(e: AuditEntry): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: clean({
          ...keys.audit(auditDayScope(e.day), e.at, e.id),
          kind: 'operator-audit',
          ...e,
          ...(e.customerId ? { GSI2PK: auditCustomerIndex(e.customerId), GSI2SK: `${e.at}#${e.id}` } : {}),
        }),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async byDay(day: CalendarDate): Promise<AuditEntry[]> {
    return this.query({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.audit(auditDayScope(day), '', '').PK },
      ConsistentRead: true,
    });
  }

  async byCustomer(customerId: string, opts: { limit?: number } = {}): Promise<AuditEntry[]> {
    return this.query(
      {
        TableName: this.table,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': auditCustomerIndex(customerId) },
        ScanIndexForward: false,
      },
      opts.limit,
    );
  }

  private async query(input: QueryCommandInput, limit = Number.POSITIVE_INFINITY): Promise<AuditEntry[]> {
    return (await queryAll(this.doc, input, limit)).map((i) => withoutKeys<AuditEntry>(i));
  }
}
