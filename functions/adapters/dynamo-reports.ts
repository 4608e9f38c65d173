/**
 * The report source over the one DynamoDB table: a parallel Scan (segments) that keeps only what
 * reports read — ledger entries (ENTRY#), stage history (DUNNING#), promises and schedules (PAUSE#),
 * claim cases (CASE#), credit control's profile (CREDIT#PROFILE: customer type, individual terms) and
 * overrides (OVERRIDE#) under CUST#<id>, and sent letters (RUN#<date> / LETTER#<customer>#<stage>) —
 * grouped into one book per customer. A Scan reads every item once: at the bench's size (10,000
 * customers, 50,000 invoices) that is the floor of any report that covers every customer; how reports
 * scale past it (1M invoices) is in docs/ARCHITECTURE.md.
 *
 * Scope `debtors`: only the customers in the debtor index (GSI1 DEBTORS#<shard>, every shard, no date
 * bound: those with an open invoice now); scope `open`: also those in the balance index (GSI2
 * BALANCES#<shard>: unapplied credit or a refund debt now), once it is back-filled. Each customer is
 * read with one Query of its partition, `concurrency` at once. The same item kinds and the same
 * parsing (bookItem) as the Scan keeps; no letters (they sit under RUN#, outside the partition, and
 * no report that reads debtors only needs them).
 */
import { paginateQuery, paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dateInZone, type CalendarDate } from '../domain/dates.js';
import type { LedgerCommand } from '../domain/ledger/commands.js';
import type { StageName } from '../domain/policy/schema.js';
import type { ClaimStrategy } from '../domain/claims/model.js';
import type { PartialTerms } from '../domain/credit/policy.js';
import type { Money } from '../domain/money.js';
import type { CaseRecord, CreditRecord, CustomerBook, OverrideRecord, PromiseRecord } from '../domain/reports/model.js';
import type { BooksScope, ReadProgress, ReportSource } from '../ports/reports.js';
import { debtorIndexPage } from './dynamo-ledger-reader.js';
import { balanceIndexReady } from './balance-index-backfill.js';
import { queryAll } from './dynamo-helpers.js';
import { DEBTOR_SHARDS, keys } from './table-design.js';

type Item = Record<string, unknown>;

export interface DynamoReportSourceOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** Company time zone: the day a promise was given is the calendar date of its instant there. */
  timeZone: string;
  /** Parallel scan segments (default 4). */
  segments?: number;
  /** Customers' partitions queried at once for scope `debtors` (default 16). */
  concurrency?: number;
  /** Items evaluated per Scan request (default: DynamoDB's 1 MB pages). */
  pageSize?: number;
}

const FILTER =
  '(begins_with(PK, :cust) AND (begins_with(SK, :entry) OR begins_with(SK, :dunning) OR begins_with(SK, :pause) OR begins_with(SK, :case) OR SK = :creditProfile OR begins_with(SK, :override))) OR (begins_with(PK, :run) AND begins_with(SK, :letter) AND #st = :sent)';
const VALUES = {
  ':cust': 'CUST#',
  ':entry': 'ENTRY#',
  ':dunning': 'DUNNING#',
  ':pause': 'PAUSE#',
  ':case': 'CASE#',
  ':creditProfile': 'CREDIT#PROFILE',
  ':override': 'OVERRIDE#',
  ':run': 'RUN#',
  ':letter': 'LETTER#',
  ':sent': 'sent',
};

const emptyBook = (customerId: string): CustomerBook => ({ customerId, entries: [], stages: [], promises: [], letters: [], cases: [] });
const byCustomerId = (a: CustomerBook, b: CustomerBook) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0);

export class DynamoReportSource implements ReportSource {
  constructor(private readonly o: DynamoReportSourceOptions) {}

  /** Every item of the table, unfiltered and unparsed: the bench's "just read it" baseline. */
  async scanAll(onPage?: (n: number) => void): Promise<number> {
    let n = 0;
    await this.scan(undefined, (items) => {
      n += items.length;
      onPage?.(n);
    });
    return n;
  }

  private balanceIndexDone = false;

  /** `all` and `debtors` always; `open` once the balance index is back-filled (its marker; remembered once seen). */
  async ready(scope: BooksScope): Promise<boolean> {
    if (scope !== 'open') return true;
    this.balanceIndexDone ||= await balanceIndexReady(this.o.doc, this.o.tableName);
    return this.balanceIndexDone;
  }

  async books(opts: { onProgress?: (p: ReadProgress) => void; scope?: BooksScope; signal?: AbortSignal } = {}): Promise<CustomerBook[]> {
    if (opts.scope === 'debtors' || opts.scope === 'open') return this.debtorBooks(opts.scope, opts.onProgress, opts.signal);
    const books = new Map<string, CustomerBook>();
    const book = (customerId: string): CustomerBook => {
      let b = books.get(customerId);
      if (!b) books.set(customerId, (b = emptyBook(customerId)));
      return b;
    };
    let items = 0;
    await this.scan(
      { FilterExpression: FILTER, ExpressionAttributeValues: VALUES, ExpressionAttributeNames: { '#st': 'status' } },
      (page) => {
        for (const it of page) {
          const pk = String(it.PK);
          if (pk.startsWith('RUN#')) {
            const b = book(String(it.customerId));
            b.letters.push({
              runDate: String(it.runDate) as CalendarDate,
              stage: String(it.stage) as StageName,
              invoiceIds: (it.invoiceIds as string[]) ?? [],
              total: ((it.total as { amount: string; currency: string }[]) ?? []).map((t) => ({ amount: t.amount, currency: t.currency })),
            });
            continue;
          }
          bookItem(book(pk.slice('CUST#'.length)), it, this.o.timeZone);
        }
        items += page.length;
        opts.onProgress?.({ items, customers: books.size });
      },
      opts.signal,
    );
    return [...books.values()].sort(byCustomerId);
  }

  /**
   * The books of the customers with an open invoice (scope `open`: or a balance): every shard of the
   * debtor index (debtorIndexPage, no due-date bound; `open`: and of the balance index, GSI2
   * BALANCES#<shard>), then one Query per customer's partition, `concurrency` at once. A Query may not
   * filter on the sort key, so the whole partition is read and bookItem keeps the report kinds (the
   * materialized INVOICE#, PROFILE, SUMMARY … are read and dropped). A customer seen twice (in both
   * indexes, or its index key moved while paging) is read once.
   */
  private async debtorBooks(scope: 'debtors' | 'open', onProgress?: (p: ReadProgress) => void, signal?: AbortSignal): Promise<CustomerBook[]> {
    const ids = new Set<string>();
    let items = 0; // read: index entries, then every item of each partition
    let token: string | undefined;
    do {
      signal?.throwIfAborted();
      const page = await debtorIndexPage(this.o.doc, this.o.tableName, { limit: 1000, ...(token ? { pageToken: token } : {}) });
      for (const id of page.customerIds) ids.add(id);
      items += page.customerIds.length;
      token = page.nextToken;
    } while (token);
    if (scope === 'open') {
      for (let shard = 0; shard < DEBTOR_SHARDS; shard++) {
        const q = {
          TableName: this.o.tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.balanceIndex(shard, '').GSI2PK },
          ProjectionExpression: 'customerId',
        };
        signal?.throwIfAborted();
        const found = await queryAll(this.o.doc, q);
        for (const it of found) ids.add(String(it.customerId));
        items += found.length;
      }
    }
    const queue = [...ids];
    let next = 0;
    const books: CustomerBook[] = [];
    const worker = async () => {
      while (next < queue.length) {
        const id = queue[next++]!;
        const b = emptyBook(id);
        for await (const page of paginateQuery(
          { client: this.o.doc },
          { TableName: this.o.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `CUST#${id}` } },
          ...(signal ? [{ abortSignal: signal }] : []),
        )) {
          for (const it of (page.Items ?? []) as Item[]) bookItem(b, it, this.o.timeZone);
          items += page.Items?.length ?? 0;
          signal?.throwIfAborted();
        }
        books.push(b);
        onProgress?.({ items, customers: books.length });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.o.concurrency ?? 16, queue.length)) }, worker));
    return books.sort(byCustomerId);
  }

  /** Every segment's pages in turn; an aborted `signal` stops the read (the request in flight too) and rejects with its reason. */
  private async scan(filter: Record<string, unknown> | undefined, onPage: (items: Item[]) => void, signal?: AbortSignal): Promise<void> {
    const total = this.o.segments ?? 4;
    const input = { TableName: this.o.tableName, TotalSegments: total, ...(this.o.pageSize ? { Limit: this.o.pageSize } : {}), ...(filter ?? {}) };
    signal?.throwIfAborted();
    await Promise.all(
      Array.from({ length: total }, async (_, segment) => {
        for await (const page of paginateScan({ client: this.o.doc }, { ...input, Segment: segment }, ...(signal ? [{ abortSignal: signal }] : []))) {
          onPage((page.Items ?? []) as Item[]);
          signal?.throwIfAborted();
        }
      }),
    );
  }
}

/** One item of a customer's partition into its book (entries, stage history, promises, cases, credit profile, overrides; other kinds ignored). */
function bookItem(b: CustomerBook, it: Item, timeZone: string): void {
  const sk = String(it.SK);
  if (sk.startsWith('ENTRY#')) b.entries.push(it.command as LedgerCommand);
  else if (sk.startsWith('DUNNING#')) b.stages.push({ invoiceId: String(it.invoiceId), stages: (it.stages as { stage: StageName; runDate: CalendarDate }[]) ?? [] });
  else if (sk.startsWith('PAUSE#')) {
    const p = promiseOf(it, timeZone);
    if (p) b.promises.push(p);
  } else if (sk.startsWith('CASE#')) b.cases.push(caseOf(it, timeZone));
  else if (sk === 'CREDIT#PROFILE') Object.assign((b.credit ??= { overrides: [] }), creditProfileOf(it));
  else if (sk.startsWith('OVERRIDE#')) (b.credit ??= { overrides: [] }).overrides.push(overrideOf(it, timeZone));
}

/** A PAUSE# item of kind promise or schedule as a promise record (other pauses are not inflows). */
export function promiseOf(it: Item, timeZone: string): PromiseRecord | undefined {
  const kind = it.kind;
  if (kind !== 'promise' && kind !== 'schedule') return undefined;
  // A promise naming several invoices is stored once per invoice (<id>, <id>.2, <id>.3 …) with the same amount: count it once.
  if (/\.\d+$/.test(String(it.pauseId))) return undefined;
  const at = typeof it.at === 'string' ? new Date(it.at) : undefined;
  const resolved = it.resolved as { at?: string } | undefined;
  const amount = it.amount as { amount: string; currency: string } | undefined;
  return {
    id: String(it.pauseId),
    kind,
    madeOn: at && !Number.isNaN(at.getTime()) ? dateInZone(at, timeZone) : (String(it.until) as CalendarDate),
    until: String(it.until) as CalendarDate,
    ...(amount ? { amount: { amount: amount.amount, currency: amount.currency } } : {}),
    ...(Array.isArray(it.installments) ? { installments: it.installments as { date: CalendarDate; amount: string }[] } : {}),
    ...(resolved?.at ? { resolvedOn: dateInZone(new Date(resolved.at), timeZone) } : {}),
  };
}

const STRATEGIES: readonly ClaimStrategy[] = ['wait', 'collect', 'sell'];

/**
 * A CASE# item as reports need it, with its strategy history from the case's events (the claims
 * module writes them, functions/domain/claims/transitions.ts): it opens with "wait"; an event whose
 * note says "strategy set to <s>" (the system's switch at litigation) or a "strategy-set" event (an
 * operator's choice, its note starting with the strategy) changes it from that event's day on.
 */
export function caseOf(it: Item, timeZone = 'UTC'): CaseRecord {
  const closed = it.closed as { on: CalendarDate; reason: string } | undefined;
  const openedOn = String(it.openedOn) as CalendarDate;
  const strategy = (it.strategy as CaseRecord['strategy']) ?? 'wait';
  const history: { on: CalendarDate; strategy: ClaimStrategy }[] = [];
  const events = Array.isArray(it.events) ? (it.events as { at?: string; kind?: string; note?: string }[]) : [];
  for (const e of events) {
    const note = e.note ?? '';
    const set =
      e.kind === 'strategy-set'
        ? STRATEGIES.find((x) => note.startsWith(`${x} `) || note === x)
        : (/strategy set to (wait|collect|sell)\b/.exec(note)?.[1] as ClaimStrategy | undefined);
    if (e.kind === 'opened') history.push({ on: openedOn, strategy: 'wait' });
    else if (set && e.at && !Number.isNaN(Date.parse(e.at))) history.push({ on: dateInZone(new Date(e.at), timeZone), strategy: set });
  }
  // The events must end at the stored strategy; if they do not (an older case), only the current one is known.
  const consistent = history.length > 0 && history.at(-1)!.strategy === strategy;
  return {
    caseId: String(it.caseId),
    openedOn,
    strategy,
    ...(consistent ? { strategyHistory: history } : {}),
    status: (it.status as CaseRecord['status']) ?? 'pre-trial',
    ...(closed ? { closedOn: closed.on, closedReason: closed.reason } : {}),
  };
}

function creditProfileOf(it: Item): Omit<CreditRecord, 'overrides'> {
  return {
    ...(typeof it.customerType === 'string' ? { customerType: it.customerType } : {}),
    ...(it.terms && typeof it.terms === 'object' ? { terms: it.terms as PartialTerms } : {}),
    ...(it.contracts && typeof it.contracts === 'object' ? { contracts: it.contracts as Record<string, PartialTerms> } : {}),
  };
}

export function overrideOf(it: Item, timeZone: string): OverrideRecord {
  const on = (iso: string) => dateInZone(new Date(iso), timeZone);
  const grantedAt = String(it.grantedAt);
  const expiresAt = String(it.expiresAt);
  const revokedAt = typeof it.revokedAt === 'string' ? it.revokedAt : undefined;
  return {
    overrideId: String(it.overrideId),
    scope: it.scope === 'order' ? 'order' : 'customer',
    ...(typeof it.orderId === 'string' ? { orderId: it.orderId } : {}),
    maxAmount: it.maxAmount as Money,
    ...(it.used ? { used: it.used as Money } : {}),
    reason: String(it.reason ?? ''),
    grantedBy: String(it.grantedBy ?? ''),
    grantedAt,
    grantedOn: on(grantedAt),
    expiresAt,
    expiresOn: on(expiresAt),
    ...(revokedAt ? { revokedAt, revokedOn: on(revokedAt) } : {}),
  };
}
