/**
 * The ledger's read side over DynamoDB: the debtor index (GSI1, 8 shards, paged with an opaque token),
 * profiles, open invoices, a customer's whole partition for one dunning run (customerFile), the
 * summary version, invoice details and entries. Items: ledger-items.ts.
 */
import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../domain/errors.js';
import type { CalendarDate } from '../domain/dates.js';
import type { CustomerProfileView, CustomerSummary, InvoiceDetail, LedgerHistory, LedgerReader, OpenInvoiceView, StoredEntry } from '../ports/ledger.js';
import type { PauseRecord, StageHistory } from '../ports/dunning.js';
import { DEBTOR_SHARDS, keys } from './table-design.js';
import { queryAll, type Item, TableAdapter } from './dynamo-helpers.js';
import { byDueDate, invoiceDetailOf, invoiceView, profileView, summaryOf, toEntry } from './ledger-items.js';
import { pauseOfItem, stageHistoryOf } from './dynamo-dunning.js';

/** A customer's partition as read by customerFile(). */
export interface CustomerFile {
  customerId: string;
  profile?: CustomerProfileView;
  openInvoices: OpenInvoiceView[];
  entries: StoredEntry[];
  stageHistory: StageHistory[];
  pauses: PauseRecord[];
  lastLetterDate?: string;
  /** SUMMARY.version when read (Σ rev of the entries). */
  version: number;
  /** Every item by sort key (claim cases read their OPEN_CASE pointer and CASE# items from here). */
  items: Map<string, Item>;
}

export class DynamoLedgerReader extends TableAdapter implements LedgerReader, LedgerHistory {
  /** Customers with an open invoice due on or before `dueOnOrBefore`, one page of the debtor index. */
  async listDebtors(dueOnOrBefore: CalendarDate, pageToken?: string, pageSize = 100): Promise<{ customerIds: string[]; nextToken?: string }> {
    return debtorIndexPage(this.doc, this.table, { dueOnOrBefore, ...(pageToken ? { pageToken } : {}), limit: pageSize });
  }

  async getProfile(customerId: string): Promise<CustomerProfileView | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.customerProfile(customerId), ConsistentRead: true }));
    return r.Item ? profileView(customerId, r.Item) : undefined;
  }

  /**
   * Everything a dunning run needs about one customer in ONE strongly consistent Query of its partition
   * (PK = CUST#<id>): profile, open invoices, the ledger entries (penalties, claim cases), stage
   * history, pauses, the last letter date and the SUMMARY version (for the cheap recheck before each send).
   */
  async customerFile(customerId: string): Promise<CustomerFile> {
    const items = await this.query({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `CUST#${customerId}` }, ConsistentRead: true });
    const file: CustomerFile = { customerId, openInvoices: [], entries: [], stageHistory: [], pauses: [], version: 0, items: new Map() };
    for (const it of items) {
      const sk = it.SK as string;
      file.items.set(sk, it);
      if (sk === 'PROFILE') {
        const p = profileView(customerId, it);
        if (p) file.profile = p;
        if (it.lastLetterDate) file.lastLetterDate = it.lastLetterDate as string;
      } else if (sk === 'SUMMARY') file.version = (it.version as number | undefined) ?? 0;
      else if (sk.startsWith('INVOICE#')) {
        if (it.status === 'open') file.openInvoices.push(invoiceView(it));
      } else if (sk.startsWith('ENTRY#')) file.entries.push(toEntry(it));
      else if (sk.startsWith('DUNNING#')) file.stageHistory.push(stageHistoryOf(it));
      else if (sk.startsWith('PAUSE#')) file.pauses.push(pauseOfItem(it));
    }
    file.openInvoices.sort(byDueDate);
    return file;
  }

  /** The customer's ledger version (SUMMARY.version; 0 if none): one consistent GetItem. */
  async ledgerVersion(customerId: string): Promise<number> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.customerSummary(customerId), ConsistentRead: true, ProjectionExpression: 'version' }));
    return (r.Item?.version as number | undefined) ?? 0;
  }

  async openInvoices(customerId: string): Promise<OpenInvoiceView[]> {
    const items = await this.query({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      FilterExpression: '#st = :open',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':pk': `CUST#${customerId}`, ':p': 'INVOICE#', ':open': 'open' },
      ConsistentRead: true,
    });
    return items.map(invoiceView).sort(byDueDate);
  }

  async getInvoice(customerId: string, invoiceId: string): Promise<InvoiceDetail | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.invoice(customerId, invoiceId), ConsistentRead: true }));
    return r.Item ? invoiceDetailOf(r.Item) : undefined;
  }

  async getSummary(customerId: string): Promise<CustomerSummary | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.customerSummary(customerId), ConsistentRead: true }));
    return r.Item ? summaryOf(customerId, r.Item) : undefined;
  }

  /** The customer's entries (append-only history), in key order. */
  async listEntries(customerId: string): Promise<StoredEntry[]> {
    const items = await this.query({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': `CUST#${customerId}`, ':p': 'ENTRY#' },
      ConsistentRead: true,
    });
    return items.map(toEntry);
  }

  private query(q: Omit<QueryCommandInput, 'TableName'>) {
    return queryAll(this.doc, { TableName: this.table, ...q });
  }
}

/**
 * One page of customer ids from the debtor index (GSI1 DEBTORS#<shard> / <minOpenDueDate>#<id>, sparse:
 * only customers with an open invoice), shard after shard; optionally only those due on or before a
 * date. The token carries the shard and the key to go on from, and each Query asks for what is left of
 * the page (a page, not a read-everything loop: no paginator).
 */
export async function debtorIndexPage(
  doc: DynamoDBDocumentClient,
  tableName: string,
  opts: { dueOnOrBefore?: CalendarDate; pageToken?: string; limit: number },
): Promise<{ customerIds: string[]; nextToken?: string }> {
  let cursor = decodeToken(opts.pageToken);
  const out: string[] = [];
  while (cursor && out.length < opts.limit) {
    const r = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: opts.dueOnOrBefore ? 'GSI1PK = :pk AND GSI1SK <= :sk' : 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': `DEBTORS#${cursor.s}`, ...(opts.dueOnOrBefore ? { ':sk': `${opts.dueOnOrBefore}#\uffff` } : {}) },
        ProjectionExpression: 'customerId',
        Limit: opts.limit - out.length,
        ...(cursor.k ? { ExclusiveStartKey: cursor.k } : {}),
      }),
    );
    for (const it of r.Items ?? []) out.push(String(it.customerId));
    if (r.LastEvaluatedKey) cursor = { s: cursor.s, k: r.LastEvaluatedKey };
    else cursor = cursor.s + 1 < DEBTOR_SHARDS ? { s: cursor.s + 1 } : undefined;
  }
  return { customerIds: out, ...(cursor ? { nextToken: encodeToken(cursor) } : {}) };
}

interface Cursor {
  s: number;
  k?: Item;
}
function encodeToken(c: Cursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}
function decodeToken(token: string | undefined): Cursor | undefined {
  if (!token) return { s: 0 };
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
    if (!Number.isInteger(c.s) || c.s < 0 || c.s >= DEBTOR_SHARDS) throw new Error('shard out of range');
    return c;
  } catch (err) {
    throw new ValidationError([{ field: 'pageToken', message: 'not a token this service issued' }], { cause: err });
  }
}
