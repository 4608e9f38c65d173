/**
 * DynamoDB reads for the web console (ConsoleReads): the run list (GSI2 "RUNS"), the customer list
 * (the debtor index GSI1 "DEBTORS#n", its 8 shards merged in due-date order, + one BatchGet of profiles
 * and summaries), the customer search (GSI1 "CUSTOMERS#n" on every profile, filtered in DynamoDB by
 * `searchText`, merged in name order), a customer's whole partition in one Query, the letters of a
 * customer (GSI2 "LETTERS#<id>") and, locally, an execution's history.
 */
import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { DEBTOR_SHARDS, keys, searchFold } from './table-design.js';
import { queryAll, type Item } from './dynamo-helpers.js';
import { batchGetAll } from './batch-get.js';
import { ValidationError } from '../domain/errors.js';
import type { LedgerCommand } from '../domain/ledger/commands.js';
import type { ConsoleReads, CustomerListItem, CustomerPartition, ExecutionHistory, RunListItem } from '../ports/console.js';

export class DynamoConsoleReads implements ConsoleReads {
  constructor(private readonly db: { doc: DynamoDBDocumentClient; tableName: string }) {}

  async listRuns(limit: number): Promise<RunListItem[]> {
    const r = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': 'RUNS' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (r.Items ?? []).map((i) => ({
      runDate: String(i.runDate),
      ...(i.executionName ? { executionName: String(i.executionName) } : {}),
      ...(typeof i.customers === 'number' ? { customers: i.customers } : {}),
      ...(i.letters ? { letters: i.letters as Record<string, number> } : {}),
      ...(typeof i.failures === 'number' ? { failures: i.failures } : {}),
      ...(typeof i.ambiguous === 'number' ? { ambiguous: i.ambiguous } : {}),
      ...(i.finishedAt ? { finishedAt: String(i.finishedAt) } : {}),
    }));
  }

  async listCustomers(opts: { pageToken?: string; limit: number }): Promise<{ customers: CustomerListItem[]; nextToken?: string }> {
    const page = await this.mergedShards('DEBTORS', opts);
    const briefs = await this.customerBriefs(page.ids);
    return { customers: page.ids.map((id) => briefs.get(id) ?? { customerId: id }), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async searchCustomers(opts: { text: string; pageToken?: string; limit: number }): Promise<{ customers: CustomerListItem[]; nextToken?: string }> {
    // A whole tax id (10 or 12 digits) is one Query of its GSI2 entry (TAXID#<inn>); text is the filtered index.
    const inn = opts.text.trim();
    if (!opts.pageToken && /^\d{10}(\d{2})?$/.test(inn)) {
      const r = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.taxIdIndex(inn, '').GSI2PK },
          ProjectionExpression: 'customerId',
          Limit: opts.limit,
        }),
      );
      const ids = (r.Items ?? []).map((i) => String(i.customerId));
      if (ids.length) {
        const briefs = await this.customerBriefs(ids);
        return { customers: ids.map((id) => briefs.get(id) ?? { customerId: id }) };
      }
    }
    const needle = searchFold(opts.text);
    const page = await this.mergedShards('CUSTOMERS', { ...opts, contains: needle });
    const briefs = await this.customerBriefs(page.ids);
    return { customers: page.ids.map((id) => briefs.get(id) ?? { customerId: id }), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  /**
   * One page of a sharded GSI1 list in sort-key order across its shards: each shard is queried for its
   * first `limit` items after the token's key (with `contains`, only items whose searchText contains it,
   * filtered by DynamoDB), the shards' answers are merged and the first `limit` kept. The token is the
   * last sort key returned, so pages neither repeat nor skip an item.
   */
  private async mergedShards(prefix: 'DEBTORS' | 'CUSTOMERS', opts: { pageToken?: string; limit: number; contains?: string }): Promise<{ ids: string[]; nextToken?: string }> {
    const after = decodeAfter(opts.pageToken);
    const perShard = await Promise.all(
      Array.from({ length: DEBTOR_SHARDS }, async (_, shard) => {
        const found: { sk: string; id: string }[] = [];
        let start: Item | undefined;
        do {
          const r = await this.db.doc.send(
            new QueryCommand({
              TableName: this.db.tableName,
              IndexName: 'GSI1',
              KeyConditionExpression: after ? 'GSI1PK = :pk AND GSI1SK > :after' : 'GSI1PK = :pk',
              ExpressionAttributeValues: {
                ':pk': `${prefix}#${shard}`,
                ...(after ? { ':after': after } : {}),
                ...(opts.contains ? { ':q': opts.contains } : {}),
              },
              ...(opts.contains ? { FilterExpression: 'contains(searchText, :q)' } : { Limit: opts.limit + 1 - found.length }),
              ProjectionExpression: 'customerId, GSI1SK',
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          for (const it of r.Items ?? []) found.push({ sk: String(it.GSI1SK), id: String(it.customerId) });
          start = r.LastEvaluatedKey as Item | undefined;
        } while (start && found.length <= opts.limit);
        return { found, more: !!start };
      }),
    );
    const all = perShard.flatMap((p) => p.found).sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
    const page = all.slice(0, opts.limit);
    const more = all.length > opts.limit || perShard.some((p) => p.more);
    return { ids: page.map((x) => x.id), ...(more && page.length ? { nextToken: encodeAfter(page.at(-1)!.sk) } : {}) };
  }

  async customerIdsMatching(text: string, max: number): Promise<string[]> {
    // Every shard of the customer index, filtered by the folded text (mergedShards' search without a page token).
    return (await this.mergedShards('CUSTOMERS', { limit: max, contains: searchFold(text) })).ids;
  }

  async runLetterKeys(runDate: string): Promise<{ customerId: string; stage: string; status: string }[]> {
    const items = await this.queryAll({
      TableName: this.db.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': keys.run(runDate).PK, ':sk': 'LETTER#' },
      ExpressionAttributeNames: { '#st': 'status' },
      ProjectionExpression: 'customerId, stage, #st',
    });
    return items.map((i) => ({ customerId: String(i.customerId), stage: String(i.stage), status: String(i.status) }));
  }

  async runLetters(runDate: string, letters: readonly { customerId: string; stage: string }[]): Promise<Item[]> {
    const found = new Map<string, Item>();
    for (const it of await batchGetAll(
      this.db.doc,
      this.db.tableName,
      letters.map((l) => keys.letter(runDate, l.customerId, l.stage)),
    ))
      found.set(String(it.SK), it);
    return letters.map((l) => found.get(keys.letter(runDate, l.customerId, l.stage).SK)).filter((x): x is Item => !!x);
  }

  async customerBrief(customerId: string): Promise<CustomerListItem | undefined> {
    return (await this.customerBriefs([customerId])).get(customerId);
  }

  async customerBriefs(ids: string[]): Promise<Map<string, CustomerListItem>> {
    const out = new Map<string, CustomerListItem>();
    // Profile and summary of each customer: 50 customers a request, up to 8 requests in flight.
    for (const it of await batchGetAll(
      this.db.doc,
      this.db.tableName,
      ids.flatMap((c) => [keys.customerProfile(c), keys.customerSummary(c)]),
    )) {
      const id = String(it.PK).slice('CUST#'.length);
      const cur: CustomerListItem = out.get(id) ?? { customerId: id };
      if (it.SK === 'PROFILE') {
        if (it.legalName) cur.legalName = String(it.legalName);
        if (it.taxId) cur.taxId = String(it.taxId);
        if (it.segment) cur.segment = String(it.segment);
      } else {
        if (it.receivable) cur.receivable = it.receivable as Record<string, string>;
        if (it.minOpenDueDate) cur.minOpenDueDate = String(it.minOpenDueDate);
        if (typeof it.openInvoiceCount === 'number') cur.openInvoiceCount = it.openInvoiceCount;
      }
      out.set(id, cur);
    }
    for (const [id, b] of out) if (!b.legalName && !b.receivable) out.delete(id);
    return out;
  }

  async customerPartition(customerId: string): Promise<CustomerPartition> {
    const items = await this.queryAll({
      TableName: this.db.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `CUST#${customerId}` },
      ConsistentRead: true,
    });
    const p: CustomerPartition = { customerId, entries: [], invoices: [], stageHistory: [], pauses: [] };
    for (const it of items) {
      const sk = String(it.SK);
      if (sk === 'PROFILE') p.profile = it;
      else if (sk === 'SUMMARY') p.summary = it;
      else if (sk.startsWith('ENTRY#'))
        p.entries.push({ entryKey: sk.slice('ENTRY#'.length), command: it.command as LedgerCommand, ...(it.origin ? { origin: it.origin as Item } : {}) });
      else if (sk.startsWith('INVOICE#')) p.invoices.push(it);
      else if (sk.startsWith('DUNNING#')) p.stageHistory.push({ invoiceId: String(it.invoiceId), stages: (it.stages as { stage: string; runDate: string }[]) ?? [] });
      else if (sk.startsWith('PAUSE#')) p.pauses.push(it);
      else if (sk === 'OPEN_CASE' && it.caseId) p.openCaseId = String(it.caseId);
    }
    return p;
  }

  async lettersOfCustomer(customerId: string): Promise<Item[]> {
    return this.queryAll({
      TableName: this.db.tableName,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': `LETTERS#${customerId}` },
      ScanIndexForward: false,
    });
  }

  async executionHistory(name: string): Promise<ExecutionHistory | undefined> {
    const r = await this.db.doc.send(new GetCommand({ TableName: this.db.tableName, Key: { PK: `EXECUTION#${name}`, SK: 'EXECUTION' } }));
    if (!r.Item) return undefined;
    const i = r.Item;
    return {
      name,
      ...(i.status ? { status: String(i.status) } : {}),
      ...(i.startedAt ? { startedAt: String(i.startedAt) } : {}),
      ...(i.finishedAt ? { finishedAt: String(i.finishedAt) } : {}),
      ...(i.input !== undefined ? { input: i.input } : {}),
      events: (i.history as ExecutionHistory['events'] | undefined) ?? [],
    };
  }

  private queryAll(input: QueryCommandInput): Promise<Item[]> {
    return queryAll(this.db.doc, input);
  }
}

const encodeAfter = (sk: string): string => Buffer.from(JSON.stringify({ a: sk }), 'utf8').toString('base64url');
function decodeAfter(token: string | undefined): string | undefined {
  if (!token) return undefined;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a?: unknown };
    if (typeof t.a !== 'string' || !t.a) throw new Error('no key');
    return t.a;
  } catch (err) {
    throw new ValidationError([{ field: 'pageToken', message: 'not a token this service issued' }], { cause: err });
  }
}
