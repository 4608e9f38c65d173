/**
 * DynamoDB implementation of the ledger: LedgerService (write side) + LedgerReader (dunning read side),
 * period close, refusal audit and reconciliation reads. Single table (table-design.ts).
 *
 * Write path (apply): ONE strongly consistent Query of the customer's ledger range
 * (PK = CUST#<id>, SK BETWEEN 'ENTRY#' AND 'INVOICE#\uffff': entries + materialized invoices), a
 * GetItem of CONFIG/PERIOD_CLOSE in parallel, a pure fold, then ONE TransactWriteItems:
 *   [dedupe record, entry, SUMMARY (optimistic version), PROFILE/CONTRACT (upserts), changed INVOICE#…]
 * The SUMMARY version equals Σ rev of the customer's entries, so a concurrent writer makes the version
 * check fail and we re-read, re-fold and retry (bounded loop with full jitter, see RETRY below).
 * Materialized invoice items are diffed against what is stored (not against an older fold), so a
 * partially written follow-up chunk heals on the next apply.
 *
 * CACHE. An instance (a warm Lambda, the local stack) keeps, per customer, the state it last committed
 * (entries, invoice items, version; LRU, 1,000 customers by default). The next apply for that customer
 * folds on it without the Query. This is safe because the transaction is conditioned on the SUMMARY
 * version (and on the entry's absence or rev): if anything else wrote the customer since, the write is
 * cancelled, the cache entry dropped, and the loop re-reads the table as before. A command is never
 * refused on a cached state: a validation failure is re-checked against a fresh read first. A billing
 * system sends a customer's documents in bursts (profile, contract, invoices), so most events of a
 * burst skip the read: 1 Query per customer burst instead of 1 per event.
 *
 * PERIOD CLOSE. The closed-period date is read (consistent GetItem), not condition-checked inside the
 * transaction: a ConditionCheck on the single CONFIG item would make every ledger transaction of every
 * customer conflict with every other. An instance reuses its read for periodCloseTtlMs (2 s), and
 * closePeriod returns only after that long: when the operator is told "closed", every instance's copy
 * was read after the close was written. Closes only move forward, so a refusal on an older copy is
 * always right.
 *
 * Limits, by design: (1) the window between the period-close read and the commit (milliseconds), against
 * an operator action that closes a past date. (2) Each apply reads the
 * customer's whole history (entries + invoices); cost grows with the history of one customer. Snapshots
 * at period close would bound it (not done). (3) A refund larger than the customer's credit is a
 * "refund debit" in SUMMARY.refundDebt, not an INVOICE item, so the debtor index ignores it.
 *
 * Item shapes written here (attribute names; all amounts are decimal strings, dates 'YYYY-MM-DD'):
 *
 *  DEDUPE#<source>#<eventId> / DEDUPE
 *    entryKey, customerId, source, eventId, at (ISO), expiresAt (epoch s, TTL = now + DEDUPE_TTL_DAYS)
 *  CUST#<id> / ENTRY#<entryKey>                  (append-only; upserts overwrite with rev+1)
 *    kind='entry', entryKey, type (command type), date? (business date), command (the parsed command),
 *    origin {source, eventId, receivedAt, archiveRef?}, recordedAt (ISO), rev (1.. ; upserts only >1)
 *  CUST#<id> / SUMMARY
 *    kind='summary', customerId, legalName, version (= Σ rev of entries), balances {CUR: amount},
 *    receivable {CUR}, unappliedCredit {CUR}, refundDebt {CUR}, openInvoiceCount, minOpenDueDate?,
 *    pendingCount, lastEntryDate?, updatedAt,
 *    GSI1PK='DEBTORS#<shard>', GSI1SK='<minOpenDueDate>#<customerId>'  (only while an invoice is open)
 *  CUST#<id> / PROFILE                            (UpdateItem: only these attributes; others keep theirs)
 *    kind='profile', customerId, legalName, taxId?, kpp?, emails[], phone?, postalAddress?, locale,
 *    segment, manager?, paymentTermsDays?, creditLimit? {amount, currency}, updatedAt
 *  CUST#<id> / CONTRACT#<contractId>
 *    kind='contract', customerId, contractId, number, date, currency, paymentTermsDays, penalty?, updatedAt
 *  CUST#<id> / INVOICE#<invoiceId>                (derived; rewritten when the fold changes it)
 *    kind='invoice', customerId, invoiceId, number, contractId?, contractNumber?, contractDate?,
 *    issueDate, dueDate, currency, amount, outstanding, status ('open'|'paid'|'void'), voidedOn?,
 *    paidOn? (date of the last allocation of a paid invoice), allocations [{source, amount, date, reason}]
 *    (active allocations in fold order), updatedAt
 *  CONFIG / PERIOD_CLOSE
 *    closedThrough, by, reason, at
 *  AUDIT#period-close / <at>#<closedThrough>      history of closes: closedThrough, previous?, by, reason, at
 *  AUDIT#ledger-refusal / <at>#<source>#<eventId> refused commands (never dropped):
 *    kind='ledger-refusal', customerId, entryKey, commandType, entryDate?, command, origin, code,
 *    message, fields? [{field, message}], closedThrough?, at, GSI2PK='REFUSALS#<customerId>', GSI2SK=at
 */
import { Decimal } from 'decimal.js';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  PutCommand,
  BatchWriteCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CommandOrigin, ApplyResult, CustomerProfileView, LedgerReader, LedgerService, OpenInvoiceView } from '../ports/index.js';
import { entryDate, entryKey, type LedgerCommand, type ContractUpsert } from '../domain/ledger/commands.js';
import { foldLedger, foldWithNext, stableStringify, type InvoiceState, type LedgerState, type AllocationReason } from '../domain/ledger/fold.js';
import { assertOpenPeriod, referenceIssues } from '../domain/ledger/validate.js';
import { reconcile, type ReconciliationStatement } from '../domain/ledger/reconcile.js';
import { ClosedPeriodError, ConflictError, NotFoundError, TransientError, ValidationError, type FieldIssue } from '../domain/errors.js';
import { isCalendarDate, type CalendarDate } from '../domain/dates.js';
import type { Currency, Money } from '../domain/money.js';
import { DEDUPE_TTL_DAYS, DEBTOR_SHARDS, debtorShard, keys } from './table-design.js';
import { pauseOfItem, stageHistoryOf, type PauseRecord, type StageHistory } from './dynamo-dunning.js';

import { LRUCache } from 'lru-cache';

type Item = Record<string, unknown>;

export interface LedgerLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
}

export interface DynamoLedgerOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
  /** Bounded optimistic-concurrency retries (default 20). */
  maxAttempts?: number;
  /** Powertools Logger (or anything with info/warn). */
  logger?: LedgerLogger;
  /** Injected for tests; default Math.random. */
  random?: () => number;
  /** Customers whose last committed state this instance keeps (see CACHE; default 1,000; 0 = off). */
  cacheSize?: number;
  /** How long a read of the closed-period date is reused (see PERIOD CLOSE; default 2,000 ms). */
  periodCloseTtlMs?: number;
}

/** A customer's ledger as read (or as this instance last committed it): entries, invoice items, version. */
interface LoadedLedger {
  entries: Map<string, StoredEntry>;
  invoices: Map<string, Item>;
  version: number;
}

export interface StoredEntry {
  entryKey: string;
  command: LedgerCommand;
  origin?: CommandOrigin;
  recordedAt?: string;
  rev: number;
}

export interface InvoiceDetail extends OpenInvoiceView {
  voidedOn?: CalendarDate;
  paidOn?: CalendarDate;
  allocations: { source: string; amount: string; date: CalendarDate; reason: AllocationReason }[];
}

export interface CustomerSummary {
  customerId: string;
  legalName?: string;
  version: number;
  balances: Partial<Record<Currency, string>>;
  receivable: Partial<Record<Currency, string>>;
  unappliedCredit: Partial<Record<Currency, string>>;
  refundDebt: Partial<Record<Currency, string>>;
  openInvoiceCount: number;
  minOpenDueDate?: CalendarDate;
  pendingCount: number;
}

export interface RefusalRecord {
  customerId: string;
  entryKey: string;
  commandType: string;
  entryDate?: string;
  command: LedgerCommand;
  origin: CommandOrigin;
  code: string;
  message: string;
  fields?: FieldIssue[];
  closedThrough?: string;
  at: string;
}

export interface PeriodClose {
  closedThrough: CalendarDate;
  by: string;
  reason: string;
  at: string;
}

/**
 * RETRY. The retryable failure is our own optimistic-concurrency conflict (TransactionCanceled because
 * the SUMMARY version moved, the entry appeared, or TransactionConflict). The SDK's retry strategy does
 * not retry it (it cannot: the write must be recomputed from a fresh read), while it still retries
 * throttling and network errors of each call. So a small bounded loop with "full jitter" backoff
 * (sleep random(0, min(cap, base·2^attempt))) re-reads, re-folds and retries; N contenders on one
 * customer need at most N rounds. When attempts run out we throw TransientError (503) so the caller's
 * queue/DLQ retries with the archived payload.
 */
const RETRY_BASE_MS = 10;
const RETRY_CAP_MS = 250;
const TX_MAX_ITEMS = 100;
const REFUSAL_SCOPE = 'ledger-refusal';
const PERIOD_SCOPE = 'period-close';

const isUpsert = (c: LedgerCommand): boolean => c.type === 'customer.upsert' || c.type === 'contract.upsert';
const clean = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DynamoLedger implements LedgerService, LedgerReader {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly now: () => Date;
  private readonly maxAttempts: number;
  private readonly logger?: LedgerLogger;
  private readonly random: () => number;
  private readonly cacheSize: number;
  private readonly states: LRUCache<string, LoadedLedger>;
  private readonly periodCloseTtlMs: number;
  private periodCloseRead?: { value: PeriodClose | undefined; at: number };

  constructor(opts: DynamoLedgerOptions) {
    this.cacheSize = opts.cacheSize ?? 1000;
    this.periodCloseTtlMs = opts.periodCloseTtlMs ?? 2000;
    this.states = new LRUCache({ max: Math.max(1, this.cacheSize) });
    this.doc = opts.doc;
    this.table = opts.tableName;
    this.now = opts.now ?? (() => new Date());
    this.maxAttempts = opts.maxAttempts ?? 20;
    this.logger = opts.logger;
    this.random = opts.random ?? Math.random;
  }

  // ------------------------------------------------------------------------------------------
  // Write side

  async apply(command: LedgerCommand, origin: CommandOrigin): Promise<ApplyResult> {
    const key = entryKey(command);
    const cid = command.customerId;
    for (let attempt = 1; ; attempt++) {
      // First attempt: this instance's last known state of the customer, if any (see CACHE above);
      // every retry reads the table.
      const cached = attempt === 1 ? this.states.get(cid) : undefined;
      const [{ entries, invoices, version }, closed] = await Promise.all([cached ?? this.loadLedger(cid), this.knownPeriodClose()]);
      const existing = entries.get(key);
      if (existing && !isUpsert(command)) return { status: 'duplicate', entryKey: key };

      const others = [...entries.values()].filter((e) => e.entryKey !== key).map((e) => e.command);
      const { before: current, after: next } = foldWithNext(
        existing ? [...others, existing.command] : others,
        command,
      );
      try {
        assertOpenPeriod(command, closed?.closedThrough);
        const issues = referenceIssues(current, command, { today: this.today() });
        if (issues.length > 0) throw new ValidationError(issues);
      } catch (err) {
        // Never refuse on a cached state: a writer elsewhere may have added what this command refers to.
        if (cached && err instanceof ValidationError) continue;
        if (err instanceof ClosedPeriodError || err instanceof ValidationError) await this.refuse(command, origin, err);
        throw err;
      }

      const rev = existing ? existing.rev + 1 : 1;
      const tx = this.buildWrite(command, origin, key, rev, existing?.rev, version, next, invoices);

      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: tx.main }));
        for (const chunk of tx.followUps) await this.writeFollowUp(chunk, cid, version + 1);
      } catch (err) {
        this.states.delete(cid);
        const reasons = cancellationCodes(err);
        if (!reasons) throw err;
        if (reasons[0] === 'ConditionalCheckFailed') return { status: 'duplicate', entryKey: key };
        if (attempt >= this.maxAttempts) {
          this.logger?.warn('ledger write kept conflicting', { customerId: cid, entryKey: key, attempts: attempt, reasons });
          throw new TransientError(`ledger write for customer ${cid} kept conflicting after ${attempt} attempts`, { cause: err });
        }
        // A stale cached state is not a contention: re-read at once.
        if (!cached) await sleep(this.random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt));
        continue;
      }
      this.remember(cid, version + 1, entries, { entryKey: key, command: clean(command), origin: clean(origin), recordedAt: tx.at, rev }, invoices, tx.changed);
      const waiting = next.pending.find((p) => p.entryKey === key);
      if (waiting) return { status: 'pending', entryKey: key, waitingFor: waiting.waitingFor.join(',') };
      return { status: 'applied', entryKey: key };
    }
  }

  /** The state this instance just committed for a customer: the next apply for it skips the read. */
  private remember(customerId: string, version: number, entries: Map<string, StoredEntry>, entry: StoredEntry, invoices: Map<string, Item>, changed: Item[]): void {
    if (this.cacheSize === 0) return;
    const nextInvoices = new Map(invoices);
    for (const it of changed) nextInvoices.set(it.invoiceId as string, it);
    this.states.set(customerId, { version, entries: new Map(entries).set(entry.entryKey, entry), invoices: nextInvoices });
  }

  /**
   * Initial migration of a NEW customer's whole history (e.g. from spreadsheets): one fold, then plain
   * batch writes of the same items apply() would have written (dedupe records, entries, profile,
   * contracts, invoices), the SUMMARY (debtor index) last. Refused when the customer already has
   * entries: from then on every change goes through apply().
   */
  async importHistory(customerId: string, commands: LedgerCommand[], origin: Omit<CommandOrigin, 'eventId'>): Promise<{ entries: number }> {
    this.states.delete(customerId);
    const { entries } = await this.loadLedger(customerId);
    if (entries.size) throw new ValidationError([{ field: 'customerId', message: `customer ${customerId} already has a ledger; use apply()` }]);
    if (commands.some((c) => c.customerId !== customerId)) throw new ValidationError([{ field: 'commands', message: `every command must be for customer ${customerId}` }]);
    const unique = new Map(commands.map((c) => [entryKey(c), c]));
    const state = foldLedger([...unique.values()]);
    const at = this.now().toISOString();
    const expiresAt = Math.floor(this.now().getTime() / 1000) + DEDUPE_TTL_DAYS * 86_400;
    const puts: Item[] = [];
    for (const [key, c] of unique) {
      const eventId = `${origin.source}:${key}`;
      const date = entryDate(c);
      puts.push({ ...keys.dedupe(origin.source, eventId), entryKey: key, customerId, source: origin.source, eventId, at, expiresAt });
      puts.push(clean({ ...keys.entry(customerId, key), kind: 'entry', entryKey: key, type: c.type, ...(date ? { date } : {}), command: c, origin: { ...origin, eventId }, recordedAt: at, rev: 1 }));
      if (c.type === 'contract.upsert') puts.push(clean({ ...keys.contract(customerId, c.contractId), kind: 'contract', ...stripType(c), updatedAt: at }));
    }
    const byInvoice = new Map<string, LedgerState['allocations']>();
    for (const a of state.allocations) {
      if (a.undoneBy || a.targetKind !== 'invoice') continue;
      byInvoice.set(a.targetId, [...(byInvoice.get(a.targetId) ?? []), a]);
    }
    for (const inv of state.invoices) puts.push({ ...invoiceItem(customerId, inv, state, byInvoice.get(inv.invoiceId) ?? []), updatedAt: at });
    for (let i = 0; i < puts.length; i += 25) {
      let pending: Record<string, unknown>[] = puts.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length; attempt++) {
        const r = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending as never } }));
        pending = (r.UnprocessedItems?.[this.table] ?? []) as Record<string, unknown>[];
        if (pending.length) await sleep(this.random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt));
      }
    }
    const profile = [...unique.values()].find((c) => c.type === 'customer.upsert');
    if (profile?.type === 'customer.upsert') await this.doc.send(new UpdateCommand({ TableName: this.table, ...profileUpdate(profile, at) }));
    await this.doc.send(new PutCommand({ TableName: this.table, Item: this.summaryItem(customerId, state, unique.size, at) }));
    return { entries: unique.size };
  }

  private today(): CalendarDate {
    return this.now().toISOString().slice(0, 10) as CalendarDate;
  }

  private buildWrite(
    c: LedgerCommand,
    origin: CommandOrigin,
    key: string,
    rev: number,
    previousRev: number | undefined,
    version: number,
    next: LedgerState,
    stored: Map<string, Item>,
  ): { main: NonNullable<TransactWriteCommandInput['TransactItems']>; followUps: Item[][]; changed: Item[]; at: string } {
    const at = this.now().toISOString();
    const cid = c.customerId;
    const date = entryDate(c);
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
    items.push({
      Put: {
        TableName: this.table,
        Item: {
          ...keys.dedupe(origin.source, origin.eventId),
          entryKey: key,
          customerId: cid,
          source: origin.source,
          eventId: origin.eventId,
          at,
          expiresAt: Math.floor(this.now().getTime() / 1000) + DEDUPE_TTL_DAYS * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
    items.push({
      Put: {
        TableName: this.table,
        Item: clean({
          ...keys.entry(cid, key),
          kind: 'entry',
          entryKey: key,
          type: c.type,
          ...(date ? { date } : {}),
          command: c,
          origin,
          recordedAt: at,
          rev,
        }),
        ...(previousRev === undefined
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': previousRev } }),
      },
    });
    items.push({
      Put: {
        TableName: this.table,
        Item: this.summaryItem(cid, next, version + 1, at),
        ...(version === 0
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } }),
      },
    });
    if (c.type === 'customer.upsert') items.push({ Update: { TableName: this.table, ...profileUpdate(c, at) } });
    if (c.type === 'contract.upsert') {
      items.push({
        Put: {
          TableName: this.table,
          Item: clean({ ...keys.contract(cid, c.contractId), kind: 'contract', ...stripType(c), updatedAt: at }),
        },
      });
    }
    const changed: Item[] = [];
    const byInvoice = new Map<string, LedgerState['allocations']>();
    for (const a of next.allocations) {
      if (a.undoneBy || a.targetKind !== 'invoice') continue;
      const list = byInvoice.get(a.targetId);
      if (list) list.push(a);
      else byInvoice.set(a.targetId, [a]);
    }
    for (const inv of next.invoices) {
      const item = invoiceItem(cid, inv, next, byInvoice.get(inv.invoiceId) ?? []);
      const old = stored.get(inv.invoiceId);
      if (old && sameInvoice(old, item)) continue;
      changed.push({ ...item, updatedAt: at });
    }
    const room = TX_MAX_ITEMS - items.length;
    for (const it of changed.slice(0, room)) items.push({ Put: { TableName: this.table, Item: it } });
    const followUps: Item[][] = [];
    for (let i = room; i < changed.length; i += TX_MAX_ITEMS - 1) followUps.push(changed.slice(i, i + TX_MAX_ITEMS - 1));
    return { main: items, followUps, changed, at };
  }

  /** Invoice items that did not fit the main transaction; guarded so a newer writer is never overwritten. */
  private async writeFollowUp(chunk: Item[], customerId: string, version: number): Promise<void> {
    const check = {
      TableName: this.table,
      Key: keys.customerSummary(customerId),
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': version },
    };
    try {
      await this.doc.send(
        new TransactWriteCommand({ TransactItems: [{ ConditionCheck: check }, ...chunk.map((Item) => ({ Put: { TableName: this.table, Item } }))] }),
      );
    } catch (err) {
      // A newer writer moved on; it diffs against stored items, so it rewrites whatever we left stale.
      if (!cancellationCodes(err)) throw err;
    }
  }

  private summaryItem(customerId: string, s: LedgerState, version: number, at: string): Item {
    const openInvoices = s.invoices.filter((i) => i.status === 'open');
    const refundDebt: Partial<Record<Currency, string>> = {};
    for (const r of s.refundDebits) {
      const cur = r.outstanding.currency;
      refundDebt[cur] = addAmounts(refundDebt[cur], r.outstanding);
    }
    return clean({
      ...keys.customerSummary(customerId),
      kind: 'summary',
      customerId,
      legalName: s.customer?.legalName,
      version,
      balances: s.balances,
      receivable: s.receivable,
      unappliedCredit: s.unappliedCredit,
      refundDebt,
      openInvoiceCount: openInvoices.length,
      minOpenDueDate: s.minOpenDueDate,
      pendingCount: s.pending.length,
      lastEntryDate: s.documents.length ? s.documents[s.documents.length - 1].date : undefined,
      updatedAt: at,
      ...(s.minOpenDueDate ? keys.debtorIndex(debtorShard(customerId), s.minOpenDueDate, customerId) : {}),
    });
  }

  /** Records a refused command (closed period, bad reference) as an audit item; never silently dropped. */
  private async refuse(c: LedgerCommand, origin: CommandOrigin, err: ClosedPeriodError | ValidationError): Promise<void> {
    const at = this.now().toISOString();
    const item = clean({
      ...keys.audit(REFUSAL_SCOPE, at, `${origin.source}#${origin.eventId}`),
      kind: 'ledger-refusal',
      customerId: c.customerId,
      entryKey: entryKey(c),
      commandType: c.type,
      entryDate: entryDate(c),
      command: c,
      origin,
      code: err.code,
      message: err.message,
      ...(err instanceof ValidationError ? { fields: err.fields } : { closedThrough: err.closedThrough }),
      at,
      GSI2PK: `REFUSALS#${c.customerId}`,
      GSI2SK: at,
    });
    await this.doc.send(new PutCommand({ TableName: this.table, Item: item }));
    this.logger?.info('ledger command refused', { customerId: c.customerId, entryKey: entryKey(c), code: err.code, source: origin.source, eventId: origin.eventId });
  }

  // ------------------------------------------------------------------------------------------
  // Period close

  async getPeriodClose(): Promise<PeriodClose | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.periodClose(), ConsistentRead: true }));
    if (!r.Item?.closedThrough) return undefined;
    const { closedThrough, by, reason, at } = r.Item as PeriodClose;
    return { closedThrough, by, reason, at };
  }

  /** The closed-period date, read at most periodCloseTtlMs ago (monotonic clock). */
  private async knownPeriodClose(): Promise<PeriodClose | undefined> {
    const r = this.periodCloseRead;
    if (r && performance.now() - r.at < this.periodCloseTtlMs) return r.value;
    const at = performance.now();
    const value = await this.getPeriodClose();
    this.periodCloseRead = { value, at };
    return value;
  }

  async getClosedThrough(): Promise<CalendarDate | undefined> {
    return (await this.getPeriodClose())?.closedThrough;
  }

  /**
   * Closes the books through a date (inclusive). Never moves backwards (a closed period is not reopened;
   * corrections go into the open period). Closing again through the same date is a no-op.
   */
  async closePeriod(through: CalendarDate, by: string, reason: string): Promise<PeriodClose> {
    const issues: FieldIssue[] = [];
    if (!isCalendarDate(through)) issues.push({ field: 'through', message: 'must be a real calendar date YYYY-MM-DD' });
    else if (through >= this.today()) issues.push({ field: 'through', message: 'only a past date can be closed' });
    if (!by) issues.push({ field: 'by', message: 'required' });
    if (!reason) issues.push({ field: 'reason', message: 'required' });
    if (issues.length) throw new ValidationError(issues);
    const current = await this.getPeriodClose();
    if (current && current.closedThrough === through) return current;
    if (current && current.closedThrough > through) {
      throw new ConflictError(`the books are closed through ${current.closedThrough}; a closed period is never reopened`);
    }
    const at = this.now().toISOString();
    const record: PeriodClose = { closedThrough: through, by, reason, at };
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.periodClose(), ...record },
                ConditionExpression: 'attribute_not_exists(closedThrough) OR closedThrough < :t',
                ExpressionAttributeValues: { ':t': through },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: clean({ ...keys.audit(PERIOD_SCOPE, at, through), kind: 'period-close', ...record, previous: current?.closedThrough }),
              },
            },
          ],
        }),
      );
    } catch (err) {
      if (cancellationCodes(err)) throw new ConflictError('the closed period changed concurrently; read it and try again', { cause: err });
      throw err;
    }
    this.logger?.info('ledger period closed', { closedThrough: through, by });
    this.periodCloseRead = { value: record, at: performance.now() };
    // The close takes effect when this returns: by then every instance's copy was read after the write.
    if (this.periodCloseTtlMs > 0) await sleep(this.periodCloseTtlMs);
    return record;
  }

  async listPeriodCloses(): Promise<(PeriodClose & { previous?: CalendarDate })[]> {
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.audit(PERIOD_SCOPE, '', '').PK },
    });
    return items.map(({ closedThrough, by, reason, at, previous }) => ({ closedThrough, by, reason, at, ...(previous ? { previous } : {}) }) as never);
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
    const items = await this.queryAll(input, opts.limit ?? 1000);
    return items.map((i) => {
      const { PK: _pk, SK: _sk, GSI2PK: _g, GSI2SK: _s, kind: _k, ...rest } = i;
      return rest as unknown as RefusalRecord;
    });
  }

  // ------------------------------------------------------------------------------------------
  // Read side

  async listDebtors(dueOnOrBefore: CalendarDate, pageToken?: string, pageSize = 100): Promise<{ customerIds: string[]; nextToken?: string }> {
    let cursor = decodeToken(pageToken);
    const out: string[] = [];
    while (cursor && out.length < pageSize) {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK <= :sk',
          ExpressionAttributeValues: { ':pk': `DEBTORS#${cursor.s}`, ':sk': `${dueOnOrBefore}#\uffff` },
          ProjectionExpression: 'customerId',
          Limit: pageSize - out.length,
          ...(cursor.k ? { ExclusiveStartKey: cursor.k } : {}),
        }),
      );
      for (const it of r.Items ?? []) out.push(it.customerId as string);
      if (r.LastEvaluatedKey) cursor = { s: cursor.s, k: r.LastEvaluatedKey };
      else cursor = cursor.s + 1 < DEBTOR_SHARDS ? { s: cursor.s + 1 } : undefined;
    }
    return { customerIds: out, ...(cursor ? { nextToken: encodeToken(cursor) } : {}) };
  }

  async getProfile(customerId: string): Promise<CustomerProfileView | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.customerProfile(customerId), ConsistentRead: true }));
    return r.Item ? profileView(customerId, r.Item) : undefined;
  }

  /**
   * Everything a dunning run needs about one customer in ONE strongly consistent Query of its partition
   * (PK = CUST#<id>): profile, open invoices, the folded ledger (penalties, claim cases), stage history,
   * pauses, the last letter date and the SUMMARY version (for the cheap recheck before each send).
   */
  async customerFile(customerId: string): Promise<CustomerFile> {
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `CUST#${customerId}` },
      ConsistentRead: true,
    });
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
    const r = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.customerSummary(customerId), ConsistentRead: true, ProjectionExpression: 'version' }),
    );
    return (r.Item?.version as number | undefined) ?? 0;
  }

  async openInvoices(customerId: string): Promise<OpenInvoiceView[]> {
    const items = await this.queryAll({
      TableName: this.table,
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
    if (!r.Item) return undefined;
    const i = r.Item;
    return clean({
      ...invoiceView(i),
      voidedOn: i.voidedOn as CalendarDate | undefined,
      paidOn: i.paidOn as CalendarDate | undefined,
      allocations: (i.allocations as InvoiceDetail['allocations'] | undefined) ?? [],
    });
  }

  async getSummary(customerId: string): Promise<CustomerSummary | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.customerSummary(customerId), ConsistentRead: true }));
    if (!r.Item) return undefined;
    const i = r.Item;
    return clean({
      customerId,
      legalName: i.legalName as string | undefined,
      version: i.version as number,
      balances: (i.balances ?? {}) as CustomerSummary['balances'],
      receivable: (i.receivable ?? {}) as CustomerSummary['receivable'],
      unappliedCredit: (i.unappliedCredit ?? {}) as CustomerSummary['unappliedCredit'],
      refundDebt: (i.refundDebt ?? {}) as CustomerSummary['refundDebt'],
      openInvoiceCount: (i.openInvoiceCount as number | undefined) ?? 0,
      minOpenDueDate: i.minOpenDueDate as CalendarDate | undefined,
      pendingCount: (i.pendingCount as number | undefined) ?? 0,
    });
  }

  /** The customer's entries (append-only history), in key order. */
  async listEntries(customerId: string): Promise<StoredEntry[]> {
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': `CUST#${customerId}`, ':p': 'ENTRY#' },
      ConsistentRead: true,
    });
    return items.map(toEntry);
  }

  /** The full derived ledger state of a customer (fold of its entries). */
  async ledgerState(customerId: string): Promise<LedgerState> {
    return foldLedger((await this.listEntries(customerId)).map((e) => e.command));
  }

  async reconciliation(customerId: string, from: CalendarDate, to: CalendarDate, currency?: Currency): Promise<ReconciliationStatement> {
    const entries = await this.listEntries(customerId);
    if (!entries.some((e) => e.command.type === 'customer.upsert')) throw new NotFoundError(`customer ${customerId} not found`);
    return reconcile(
      entries.map((e) => e.command),
      { customerId, from, to, ...(currency ? { currency } : {}) },
    );
  }

  // ------------------------------------------------------------------------------------------

  /** One strongly consistent Query: entries and materialized invoices of a customer. */
  private async loadLedger(customerId: string): Promise<LoadedLedger> {
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':pk': `CUST#${customerId}`, ':a': 'ENTRY#', ':b': 'INVOICE#\uffff' },
      ConsistentRead: true,
    });
    const entries = new Map<string, StoredEntry>();
    const invoices = new Map<string, Item>();
    for (const it of items) {
      const sk = it.SK as string;
      if (sk.startsWith('ENTRY#')) entries.set(it.entryKey as string, toEntry(it));
      else if (sk.startsWith('INVOICE#')) invoices.set(it.invoiceId as string, it);
    }
    let version = 0;
    for (const e of entries.values()) version += e.rev;
    return { entries, invoices, version };
  }

  private async queryAll(input: QueryCommandInput, limit = Number.POSITIVE_INFINITY): Promise<Item[]> {
    const out: Item[] = [];
    let start: Item | undefined;
    do {
      const r = await this.doc.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
      out.push(...((r.Items ?? []) as Item[]));
      start = r.LastEvaluatedKey;
    } while (start && out.length < limit);
    return out.slice(0, limit);
  }
}

// ---------------------------------------------------------------------------------------------

function cancellationCodes(err: unknown): string[] | undefined {
  const e = err as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e?.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

function toEntry(it: Item): StoredEntry {
  return {
    entryKey: it.entryKey as string,
    command: it.command as LedgerCommand,
    origin: it.origin as CommandOrigin | undefined,
    recordedAt: it.recordedAt as string | undefined,
    rev: (it.rev as number | undefined) ?? 1,
  };
}

function stripType<T extends { type: string }>(c: T): Omit<T, 'type'> {
  const { type: _t, ...rest } = c;
  return rest;
}

function addAmounts(a: string | undefined, b: Money): string {
  if (!a) return b.amount;
  const digits = b.amount.split('.')[1]?.length ?? 0;
  return new Decimal(a).plus(b.amount).toFixed(digits); // exact: decimal strings of one currency
}

const PROFILE_FIELDS = ['legalName', 'taxId', 'kpp', 'emails', 'phone', 'postalAddress', 'locale', 'segment', 'manager', 'paymentTermsDays', 'creditLimit'] as const;

/** SET the profile fields the command carries, REMOVE the optional ones it omits; other attributes stay. */
function profileUpdate(c: Extract<LedgerCommand, { type: 'customer.upsert' }>, at: string) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':kind': 'profile', ':cid': c.customerId, ':at': at };
  const sets = ['#kind = :kind', 'customerId = :cid', 'updatedAt = :at'];
  names['#kind'] = 'kind';
  const removes: string[] = [];
  const data = clean(c) as Record<string, unknown>;
  for (const f of PROFILE_FIELDS) {
    names[`#${f}`] = f;
    if (data[f] === undefined) removes.push(`#${f}`);
    else {
      sets.push(`#${f} = :${f}`);
      values[`:${f}`] = data[f];
    }
  }
  return {
    Key: keys.customerProfile(c.customerId),
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

const INVOICE_ATTRS = [
  'kind',
  'customerId',
  'invoiceId',
  'number',
  'contractId',
  'contractNumber',
  'contractDate',
  'issueDate',
  'dueDate',
  'currency',
  'amount',
  'outstanding',
  'status',
  'voidedOn',
  'paidOn',
  'allocations',
] as const;

function invoiceItem(customerId: string, inv: InvoiceState, s: LedgerState, active: LedgerState['allocations']): Item {
  const k: ContractUpsert | undefined = inv.contractId ? s.contracts[inv.contractId] : undefined;
  const allocations = active.map((a) => ({ source: a.source, amount: a.amount.amount, date: a.date, reason: a.reason }));
  const paidOn = inv.status === 'paid' ? allocations.reduce<string | undefined>((m, a) => (!m || a.date > m ? a.date : m), undefined) : undefined;
  return clean({
    ...keys.invoice(customerId, inv.invoiceId),
    kind: 'invoice',
    customerId,
    invoiceId: inv.invoiceId,
    number: inv.number,
    contractId: inv.contractId,
    contractNumber: k?.number,
    contractDate: k?.date,
    issueDate: inv.issueDate,
    dueDate: inv.dueDate,
    currency: inv.amount.currency,
    amount: inv.amount.amount,
    outstanding: inv.outstanding.amount,
    status: inv.status,
    voidedOn: inv.voidedOn,
    paidOn,
    allocations,
  });
}

function sameInvoice(stored: Item, computed: Item): boolean {
  const pick = (i: Item) => Object.fromEntries(INVOICE_ATTRS.filter((a) => i[a] !== undefined).map((a) => [a, i[a]]));
  return stableStringify(pick(stored)) === stableStringify(pick(computed));
}

const byDueDate = (a: OpenInvoiceView, b: OpenInvoiceView) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.invoiceId < b.invoiceId ? -1 : 1);

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

export function profileView(customerId: string, i: Item): CustomerProfileView | undefined {
  if (!i.legalName) return undefined;
  return clean({
    customerId,
    legalName: i.legalName as string,
    taxId: i.taxId as string | undefined,
    kpp: i.kpp as string | undefined,
    emails: (i.emails as string[] | undefined) ?? [],
    undeliverableEmails: i.undeliverableEmails as string[] | undefined,
    postalAddress: i.postalAddress as CustomerProfileView['postalAddress'],
    locale: (i.locale as 'ru' | 'en' | undefined) ?? 'ru',
    segment: (i.segment as string | undefined) ?? 'wholesale',
    manager: i.manager as string | undefined,
  });
}

function invoiceView(i: Item): OpenInvoiceView {
  const currency = i.currency as Currency;
  return clean({
    invoiceId: i.invoiceId as string,
    number: i.number as string,
    contractId: i.contractId as string | undefined,
    contractNumber: i.contractNumber as string | undefined,
    contractDate: i.contractDate as CalendarDate | undefined,
    issueDate: i.issueDate as CalendarDate,
    dueDate: i.dueDate as CalendarDate,
    amount: { amount: i.amount as string, currency },
    outstanding: { amount: i.outstanding as string, currency },
    status: i.status as OpenInvoiceView['status'],
  });
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
