/**
 * CustomerDirectory and ReviewList over the single table (for bank-statement import).
 *
 * findCustomerByTaxId: the profile items (CUST#<id> / PROFILE, written by the ledger) carry their tax
 * id in GSI2 (GSI2PK='TAXID#<inn>', keys.taxIdIndex): one Query per INN, cached for the length of one
 * import (create one instance per import). No table scan, whatever the number of customers.
 * findInvoicesByNumber: one Query of the customer's INVOICE# items, compared ignoring leading zeros and case.
 * ReviewList: REVIEW#<importId> / LINE#<n>, listed across imports via GSI2 (GSI2PK = 'REVIEW#open').
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './table-design.js';
import { isConditionalCheckFailure, queryAll, TableAdapter } from './dynamo-helpers.js';
import type { CustomerDirectory, ReviewItem, ReviewList } from '../ports/ingest.js';

const norm = (s: string) =>
  s
    .trim()
    .replace(/^0+(?=\d)/, '')
    .toLowerCase();

export class DynamoBankDirectory extends TableAdapter implements CustomerDirectory, ReviewList {
  private readonly now: () => Date;
  private readonly taxIds = new Map<string, Promise<{ customerId: string; kpp?: string }[]>>();

  constructor(opts: { doc: DynamoDBDocumentClient; tableName: string; now?: () => Date }) {
    super(opts);
    this.now = opts.now ?? (() => new Date());
  }

  /** One Query of the tax-id index (GSI2 'TAXID#<inn>'), cached for the length of one import. */
  private byTaxId(inn: string): Promise<{ customerId: string; kpp?: string }[]> {
    let hit = this.taxIds.get(inn);
    if (!hit) {
      hit = queryAll(this.doc, {
        TableName: this.table,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.taxIdIndex(inn, '').GSI2PK },
        ProjectionExpression: 'customerId, kpp',
      }).then((items) => items.map((i) => ({ customerId: String(i['customerId']), ...(i['kpp'] ? { kpp: i['kpp'] as string } : {}) })));
      this.taxIds.set(inn, hit);
    }
    return hit;
  }

  async findCustomerByTaxId(inn: string, kpp?: string): Promise<{ customerId: string } | undefined> {
    const all = await this.byTaxId(inn);
    const narrowed = kpp && all.length > 1 ? all.filter((p) => p.kpp === kpp) : all;
    return narrowed.length === 1 ? { customerId: narrowed[0]!.customerId } : undefined;
  }

  async findInvoicesByNumber(customerId: string, numbers: string[]): Promise<{ invoiceId: string; number: string }[]> {
    const wanted = new Set(numbers.map(norm));
    const found: { invoiceId: string; number: string }[] = [];
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': keys.customerProfile(customerId).PK, ':sk': 'INVOICE#' },
      ProjectionExpression: 'invoiceId, #n',
      ExpressionAttributeNames: { '#n': 'number' },
    });
    for (const i of items) {
      const number = String(i['number'] ?? '');
      if (wanted.has(norm(number))) found.push({ invoiceId: String(i['invoiceId']), number });
    }
    return found;
  }

  async add(item: ReviewItem): Promise<void> {
    const at = this.now().toISOString();
    await this.doc
      .send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.reviewItem(item.importId, item.line),
            kind: 'bank-review',
            importId: item.importId,
            line: item.line,
            reason: item.reason,
            document: item.document,
            status: 'open',
            at,
            GSI2PK: 'REVIEW#open',
            GSI2SK: `${at}#${item.importId}#${String(item.line).padStart(6, '0')}`,
          },
          // Idempotent per (importId, line): a retried import does not reopen or duplicate an item.
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      )
      .catch((err: unknown) => {
        if (!isConditionalCheckFailure(err)) throw err;
      });
  }
}
