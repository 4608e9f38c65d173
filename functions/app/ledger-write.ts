/**
 * Use case: the ledger write (exactly once, any order), the initial import of a customer's history,
 * and closing the books through a date.
 *
 * apply: load the customer's ledger (entries, invoices, version) and the closed-period date → a
 * duplicate event stops here → fold all entries with the new one IN CANONICAL ORDER (never arrival
 * order) → check the period and the references (a refusal is recorded, never dropped) → one write set:
 * dedupe record, entry, summary at version + 1 (conditioned on the version read), profile/contract,
 * the invoices whose state changed (diffed against what is stored, so a partially written follow-up
 * heals on the next apply) → commit in one transaction. A conflict (another writer since the read)
 * re-reads and re-folds, with full-jitter backoff; when attempts run out, TransientError (503) lets
 * the caller's queue/DLQ retry with the archived payload.
 *
 * CACHE. An instance (a warm Lambda, the local stack) keeps, per customer, the state it last committed
 * (entries, invoices, version; LRU, 1,000 customers by default). The next apply for that customer
 * folds on it without the read. This is safe because the commit is conditioned on the summary version
 * (and on the entry's absence or rev): if anything else wrote the customer since, the write is
 * cancelled, the cache entry dropped, and the next attempt reads the store (at once: a stale copy is
 * not contention). A command is never refused on a cached state: a validation failure is re-checked
 * against a fresh read first. A billing system sends a customer's documents in bursts (profile,
 * contract, invoices), so most events of a burst skip the read.
 *
 * PERIOD CLOSE. The closed-period date is read beside the write, not checked inside it (a condition on
 * one item would make every customer's writes conflict with each other). An instance reuses its read
 * for periodCloseTtlMs (2 s), and closePeriod returns only after that long: when the operator is told
 * "closed", every instance's copy was read after the close was written. Closes only move forward, so a
 * refusal on an older copy is always right.
 *
 * Limits, by design: (1) the window between the period-close read and the commit (milliseconds),
 * against an operator action that closes a past date. (2) Each apply reads the customer's whole
 * history; cost grows with the history of one customer (snapshots at period close would bound it).
 * (3) A refund larger than the customer's credit is a "refund debit" in the summary's refundDebt, not
 * an invoice, so the debtor index ignores it.
 */
import { LRUCache } from 'lru-cache';
import { entryDate, entryKey, type LedgerCommand } from '../domain/ledger/commands.js';
import { foldLedger, foldWithNext } from '../domain/ledger/fold.js';
import { assertOpenPeriod, referenceIssues } from '../domain/ledger/validate.js';
import { ClosedPeriodError, ConflictError, TransientError, ValidationError, type FieldIssue } from '../domain/errors.js';
import { dateInZone, DEFAULT_TIME_ZONE, isCalendarDate, type CalendarDate } from '../domain/dates.js';
import type {
  ApplyResult,
  CommandOrigin,
  InvoiceDetail,
  LedgerService,
  LedgerStore,
  LedgerWriteSet,
  PeriodClose,
  PeriodCloseStore,
  RefusalRecord,
  RefusalStore,
  StoredEntry,
  StoredLedger,
} from '../ports/ledger.js';
import type { Logger } from '../ports/shared.js';
import { retry, retryOnConflict, sleep } from '../util/retry.js';
import { clean } from '../util/clean.js';
import { changedInvoices, invoiceRecords, summaryRecord } from './ledger-records.js';

export interface LedgerWriterOptions {
  store: LedgerStore;
  periods: PeriodCloseStore;
  refusals: RefusalStore;
  now?: () => Date;
  /** The company's time zone (IANA; default DEFAULT_TIME_ZONE): "today" for the payment-date and period-close rules is its calendar date. */
  timeZone?: string;
  /** Bounded optimistic-concurrency attempts (default 20). */
  maxAttempts?: number;
  logger?: Logger;
  /** Injected for tests; default Math.random. */
  random?: () => number;
  /** Customers whose last committed state this instance keeps (see CACHE; default 1,000; 0 = off). */
  cacheSize?: number;
  /** How long a read of the closed-period date is reused (see PERIOD CLOSE; default 2,000 ms). */
  periodCloseTtlMs?: number;
}

const isUpsert = (c: LedgerCommand): boolean => c.type === 'customer.upsert' || c.type === 'contract.upsert';

export class LedgerWriter implements LedgerService {
  private readonly store: LedgerStore;
  private readonly periods: PeriodCloseStore;
  private readonly refusals: RefusalStore;
  private readonly now: () => Date;
  private readonly timeZone: string;
  private readonly maxAttempts: number;
  private readonly logger?: Logger;
  private readonly random: () => number;
  private readonly cacheSize: number;
  private readonly states: LRUCache<string, StoredLedger>;
  private readonly periodCloseTtlMs: number;
  private periodCloseRead?: { value: PeriodClose | undefined; at: number };

  constructor(opts: LedgerWriterOptions) {
    this.store = opts.store;
    this.periods = opts.periods;
    this.refusals = opts.refusals;
    this.cacheSize = opts.cacheSize ?? 1000;
    this.periodCloseTtlMs = opts.periodCloseTtlMs ?? 2000;
    this.states = new LRUCache({ max: Math.max(1, this.cacheSize) });
    this.now = opts.now ?? (() => new Date());
    this.timeZone = opts.timeZone ?? DEFAULT_TIME_ZONE;
    this.maxAttempts = opts.maxAttempts ?? 20;
    if (opts.logger) this.logger = opts.logger;
    this.random = opts.random ?? Math.random;
  }

  async apply(command: LedgerCommand, origin: CommandOrigin): Promise<ApplyResult> {
    const key = entryKey(command);
    const cid = command.customerId;
    return retryOnConflict<ApplyResult>(
      async (attempt) => {
        // First attempt: this instance's last known state of the customer, if any (see CACHE); every
        // retry reads the store.
        const cached = attempt === 1 ? this.states.get(cid) : undefined;
        const [loaded, closed] = await Promise.all([cached ?? this.store.load(cid), this.knownPeriodClose()]);
        const existing = loaded.entries.get(key);
        if (existing && !isUpsert(command)) return { status: 'duplicate', entryKey: key };

        const others = [...loaded.entries.values()].filter((e) => e.entryKey !== key).map((e) => e.command);
        const { before: current, after: next } = foldWithNext(existing ? [...others, existing.command] : others, command);
        try {
          assertOpenPeriod(command, closed?.closedThrough);
          const issues = referenceIssues(current, command, { today: this.today() });
          if (issues.length > 0) throw new ValidationError(issues);
        } catch (err) {
          // Never refuse on a cached state: a writer elsewhere may have added what this command refers to.
          if (cached && err instanceof ValidationError) return retry(err, { backoff: false });
          if (err instanceof ClosedPeriodError || err instanceof ValidationError) await this.refuse(command, origin, err);
          throw err;
        }

        const at = this.now().toISOString();
        const write: LedgerWriteSet = {
          customerId: cid,
          at,
          origin,
          entry: { entryKey: key, command, origin, recordedAt: at, rev: existing ? existing.rev + 1 : 1 },
          ...(existing ? { previousRev: existing.rev } : {}),
          version: loaded.version,
          summary: summaryRecord(next),
          ...(command.type === 'customer.upsert' ? { profile: command } : {}),
          ...(command.type === 'contract.upsert' ? { contract: command } : {}),
          invoices: changedInvoices(next, loaded.invoices),
        };
        let outcome: Awaited<ReturnType<LedgerStore['commit']>>;
        try {
          outcome = await this.store.commit(write);
        } catch (err) {
          this.states.delete(cid);
          throw err;
        }
        if (outcome.status === 'duplicate') {
          this.states.delete(cid);
          return { status: 'duplicate', entryKey: key };
        }
        if (outcome.status === 'conflict') {
          this.states.delete(cid);
          // A stale cached state is not a contention: re-read at once.
          return retry(outcome, { backoff: !cached });
        }
        this.remember(cid, loaded, write);
        const waiting = next.pending.find((p) => p.entryKey === key);
        if (waiting) return { status: 'pending', entryKey: key, waitingFor: waiting.waitingFor.join(',') };
        return { status: 'applied', entryKey: key };
      },
      {
        maxAttempts: this.maxAttempts,
        random: this.random,
        exhausted: (cause, attempts) => {
          const c = cause as { reasons?: string[]; error?: unknown };
          this.logger?.warn('ledger write kept conflicting', { customerId: cid, entryKey: key, attempts, reasons: c.reasons });
          return new TransientError(`ledger write for customer ${cid} kept conflicting after ${attempts} attempts`, { cause: c.error ?? cause });
        },
      },
    );
  }

  /** The state this instance just committed for a customer: the next apply for it skips the read. */
  private remember(customerId: string, loaded: StoredLedger, w: LedgerWriteSet): void {
    if (this.cacheSize === 0) return;
    const invoices = new Map<string, InvoiceDetail>(loaded.invoices);
    for (const r of w.invoices) invoices.set(r.invoiceId, r);
    const entry: StoredEntry = { ...w.entry, command: clean(w.entry.command), origin: clean(w.entry.origin) };
    this.states.set(customerId, { version: loaded.version + 1, entries: new Map(loaded.entries).set(entry.entryKey, entry), invoices });
  }

  /**
   * Initial migration of a NEW customer's whole history (e.g. from spreadsheets): one fold, then plain
   * writes of the same items apply() would have written, the summary (debtor index) last. Refused when
   * the customer already has entries: from then on every change goes through apply().
   */
  async importHistory(customerId: string, commands: LedgerCommand[], origin: Omit<CommandOrigin, 'eventId'>): Promise<{ entries: number }> {
    this.states.delete(customerId);
    const { entries } = await this.store.load(customerId);
    if (entries.size) throw new ValidationError([{ field: 'customerId', message: `customer ${customerId} already has a ledger; use apply()` }]);
    if (commands.some((c) => c.customerId !== customerId)) throw new ValidationError([{ field: 'commands', message: `every command must be for customer ${customerId}` }]);
    const unique = new Map(commands.map((c) => [entryKey(c), c]));
    const state = foldLedger([...unique.values()]);
    const at = this.now().toISOString();
    const all = [...unique.values()];
    const profile = all.find((c) => c.type === 'customer.upsert');
    await this.store.importAll({
      customerId,
      at,
      entries: [...unique].map(([key, command]) => ({ entryKey: key, command, origin: { ...origin, eventId: `${origin.source}:${key}` }, recordedAt: at, rev: 1 })),
      ...(profile?.type === 'customer.upsert' ? { profile } : {}),
      contracts: all.filter((c) => c.type === 'contract.upsert'),
      invoices: invoiceRecords(state),
      summary: summaryRecord(state),
      version: unique.size,
    });
    return { entries: unique.size };
  }

  /** Today's business date: the calendar date in the company's zone (not UTC's, which lags Moscow by three hours). */
  private today(): CalendarDate {
    return dateInZone(this.now(), this.timeZone);
  }

  /** Records a refused command (closed period, bad reference); never silently dropped. */
  private async refuse(c: LedgerCommand, origin: CommandOrigin, err: ClosedPeriodError | ValidationError): Promise<void> {
    const key = entryKey(c);
    const date = entryDate(c);
    const record: RefusalRecord = {
      customerId: c.customerId,
      entryKey: key,
      commandType: c.type,
      ...(date ? { entryDate: date } : {}),
      command: c,
      origin,
      code: err.code,
      message: err.message,
      ...(err instanceof ValidationError ? { fields: err.fields } : { closedThrough: err.closedThrough }),
      at: this.now().toISOString(),
    };
    await this.refusals.recordRefusal(record);
    this.logger?.info('ledger command refused', { customerId: c.customerId, entryKey: key, code: err.code, source: origin.source, eventId: origin.eventId });
  }

  /** The closed-period date, read at most periodCloseTtlMs ago (monotonic clock). */
  private async knownPeriodClose(): Promise<PeriodClose | undefined> {
    const r = this.periodCloseRead;
    if (r && performance.now() - r.at < this.periodCloseTtlMs) return r.value;
    const at = performance.now();
    const value = await this.periods.getPeriodClose();
    this.periodCloseRead = { value, at };
    return value;
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
    const current = await this.periods.getPeriodClose();
    if (current && current.closedThrough === through) return current;
    if (current && current.closedThrough > through) {
      throw new ConflictError(`the books are closed through ${current.closedThrough}; a closed period is never reopened`);
    }
    const record: PeriodClose = { closedThrough: through, by, reason, at: this.now().toISOString() };
    if ((await this.periods.savePeriodClose(record, current?.closedThrough)) === 'conflict') {
      throw new ConflictError('the closed period changed concurrently; read it and try again');
    }
    this.logger?.info('ledger period closed', { closedThrough: through, by });
    this.periodCloseRead = { value: record, at: performance.now() };
    // The close takes effect when this returns: by then every instance's copy was read after the write.
    if (this.periodCloseTtlMs > 0) await sleep(this.periodCloseTtlMs);
    return record;
  }
}
