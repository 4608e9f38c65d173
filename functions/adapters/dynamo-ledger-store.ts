/**
 * The ledger's write path over DynamoDB (LedgerStore): ONE strongly consistent Query of a customer's
 * ledger range (PK = CUST#<id>, SK BETWEEN 'ENTRY#' AND 'INVOICE#\uffff': entries + materialized
 * invoices), and ONE TransactWriteItems per write set:
 *   [dedupe record, entry, SUMMARY (optimistic version), PROFILE/CONTRACT (upserts), changed INVOICE#…]
 * The SUMMARY version equals Σ rev of the customer's entries, so a concurrent writer makes the version
 * check fail: the commit answers 'conflict' and the use case (functions/app/ledger-write.ts) re-reads.
 * Invoices beyond one transaction's 100 items follow in further transactions, each guarded by the new
 * version (a newer writer diffs against stored items, so it rewrites whatever a lost follow-up left).
 * Items: ledger-items.ts.
 */
import { PutCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CommitOutcome, InvoiceDetail, LedgerImportSet, LedgerStore, LedgerWriteSet, StoredEntry, StoredLedger } from '../ports/ledger.js';
import { batchPutAll } from './batch-get.js';
import { keys } from './table-design.js';
import { cancellationReasons, queryAll, type Item, TableAdapter } from './dynamo-helpers.js';
import { contractItem, dedupeItem, entryItem, invoiceItem, invoiceDetailOf, profileUpdate, summaryItem, toEntry } from './ledger-items.js';

const TX_MAX_ITEMS = 100;

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

export class DynamoLedgerStore extends TableAdapter implements LedgerStore {
  /** One strongly consistent Query: entries and materialized invoices of a customer. */
  async load(customerId: string): Promise<StoredLedger> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':pk': `CUST#${customerId}`, ':a': 'ENTRY#', ':b': 'INVOICE#\uffff' },
      ConsistentRead: true,
    });
    const entries = new Map<string, StoredEntry>();
    const invoices = new Map<string, InvoiceDetail>();
    for (const it of items) {
      const sk = it.SK as string;
      if (sk.startsWith('ENTRY#')) entries.set(it.entryKey as string, toEntry(it));
      else if (sk.startsWith('INVOICE#')) invoices.set(it.invoiceId as string, invoiceDetailOf(it));
    }
    let version = 0;
    for (const e of entries.values()) version += e.rev;
    return { entries, invoices, version };
  }

  async commit(w: LedgerWriteSet): Promise<CommitOutcome> {
    const cid = w.customerId;
    const items: TransactItems = [
      { Put: { TableName: this.table, Item: dedupeItem(cid, w.origin, w.entry.entryKey, w.at), ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        Put: {
          TableName: this.table,
          Item: entryItem(cid, w.entry),
          ...(w.previousRev === undefined
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': w.previousRev } }),
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: summaryItem(cid, w.summary, w.version + 1, w.at),
          ...(w.version === 0 ? { ConditionExpression: 'attribute_not_exists(PK)' } : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': w.version } }),
        },
      },
    ];
    if (w.profile) items.push({ Update: { TableName: this.table, ...profileUpdate(w.profile, w.at) } });
    if (w.contract) items.push({ Put: { TableName: this.table, Item: contractItem(w.contract, w.at) } });
    const invoices = w.invoices.map((r) => invoiceItem(cid, r, w.at));
    const room = TX_MAX_ITEMS - items.length;
    for (const Item of invoices.slice(0, room)) items.push({ Put: { TableName: this.table, Item } });
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      const reasons = cancellationReasons(err);
      if (!reasons) throw err;
      // The dedupe record is the first item: its condition failing means the event was stored before.
      if (reasons[0] === 'ConditionalCheckFailed') return { status: 'duplicate' };
      return { status: 'conflict', reasons, error: err };
    }
    for (let i = room; i < invoices.length; i += TX_MAX_ITEMS - 1) await this.writeFollowUp(invoices.slice(i, i + TX_MAX_ITEMS - 1), cid, w.version + 1);
    return { status: 'committed' };
  }

  /** Invoice items that did not fit the main transaction; guarded so a newer writer is never overwritten. */
  private async writeFollowUp(chunk: Item[], customerId: string, version: number): Promise<void> {
    const check = { TableName: this.table, Key: keys.customerSummary(customerId), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } };
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: [{ ConditionCheck: check }, ...chunk.map((Item) => ({ Put: { TableName: this.table, Item } }))] }));
    } catch (err) {
      // A newer writer moved on; it diffs against stored items, so it rewrites whatever we left stale.
      if (!cancellationReasons(err)) throw err;
    }
  }

  /** Plain batch writes of the items apply would have written (entries with their dedupe records, contracts, invoices), then the profile, the SUMMARY (debtor index) last. */
  async importAll(w: LedgerImportSet): Promise<void> {
    const cid = w.customerId;
    const puts: Item[] = [];
    for (const e of w.entries) puts.push(dedupeItem(cid, e.origin, e.entryKey, w.at), entryItem(cid, e));
    for (const c of w.contracts) puts.push(contractItem(c, w.at));
    for (const r of w.invoices) puts.push(invoiceItem(cid, r, w.at));
    // Unprocessed items are sent again with backoff, a bounded number of times (then a TransientError).
    await batchPutAll(this.doc, this.table, puts);
    if (w.profile) await this.doc.send(new UpdateCommand({ TableName: this.table, ...profileUpdate(w.profile, w.at) }));
    await this.doc.send(new PutCommand({ TableName: this.table, Item: summaryItem(cid, w.summary, w.version, w.at) }));
  }
}
