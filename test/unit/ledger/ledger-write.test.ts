/**
 * The ledger write use case over an in-memory store (no DynamoDB): what it reads, what it decides to
 * write, and how it retries. The DynamoDB store is covered by test/adapters/dynamo-ledger*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { LedgerWriter } from '../../../functions/app/ledger-write.js';
import type { CommitOutcome, LedgerImportSet, LedgerStore, LedgerWriteSet, PeriodClose, RefusalRecord, StoredLedger } from '../../../functions/ports/ledger.js';
import { ClosedPeriodError, TransientError } from '../../../functions/domain/errors.js';
import { contract, customer, invoice, payment } from './builders.js';

const NOW = new Date('2025-03-01T10:00:00Z');
let seq = 0;
const origin = () => ({ source: 'test', eventId: `e${++seq}`, receivedAt: NOW.toISOString() });

/** A store that keeps what was committed; `conflicts` makes the next commits answer 'conflict'. */
class MemoryStore implements LedgerStore {
  ledger: StoredLedger = { entries: new Map(), invoices: new Map(), version: 0 };
  dedupe = new Set<string>();
  loads = 0;
  commits: LedgerWriteSet[] = [];
  conflicts = 0;
  async load(): Promise<StoredLedger> {
    this.loads++;
    return { entries: new Map(this.ledger.entries), invoices: new Map(this.ledger.invoices), version: this.ledger.version };
  }
  async commit(w: LedgerWriteSet): Promise<CommitOutcome> {
    if (this.conflicts > 0) {
      this.conflicts--;
      return { status: 'conflict', reasons: ['None', 'None', 'ConditionalCheckFailed'], error: new Error('conflict') };
    }
    const key = `${w.origin.source}#${w.origin.eventId}`;
    if (this.dedupe.has(key)) return { status: 'duplicate' };
    this.dedupe.add(key);
    this.commits.push(w);
    this.ledger.entries.set(w.entry.entryKey, w.entry);
    for (const i of w.invoices) this.ledger.invoices.set(i.invoiceId, i);
    this.ledger.version += w.entry.rev - (w.previousRev ?? 0);
    return { status: 'committed' };
  }
  async importAll(_: LedgerImportSet): Promise<void> {}
}

function writer(store: MemoryStore, opts: { closedThrough?: string; refusals?: RefusalRecord[]; maxAttempts?: number; now?: Date; timeZone?: string } = {}) {
  const close: PeriodClose | undefined = opts.closedThrough ? { closedThrough: opts.closedThrough as never, by: 'a', reason: 'r', at: NOW.toISOString() } : undefined;
  return new LedgerWriter({
    store,
    periods: { getPeriodClose: async () => close, savePeriodClose: async () => 'saved', listPeriodCloses: async () => [] },
    refusals: { recordRefusal: async (r) => void opts.refusals?.push(r), listRefusals: async () => [] },
    now: () => opts.now ?? NOW,
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
    random: () => 0,
    ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
  });
}

describe('LedgerWriter (the ledger write use case)', () => {
  it('writes only the invoices whose state changed, and folds later events on its own last commit without reading again', async () => {
    // Prepare
    const store = new MemoryStore();
    const w = writer(store);
    // Act
    await w.apply(customer('C1'), origin());
    await w.apply(contract('K1', 'RUB', 'C1'), origin());
    await w.apply(invoice('I1', '100.00', '2025-02-01', '2025-02-20'), origin());
    await w.apply(invoice('I2', '50.00', '2025-02-02', '2025-02-21'), origin());
    const paid = await w.apply(payment('P1', '100.00', '2025-02-25', { invoiceIds: ['I1'] }), origin());
    // Assess
    expect(paid).toEqual({ status: 'applied', entryKey: expect.any(String) });
    expect(store.loads).toBe(1);
    expect(store.commits.map((c) => c.invoices.map((i) => `${i.invoiceId}:${i.outstanding.amount}`))).toEqual([[], [], ['I1:100.00'], ['I2:50.00'], ['I1:0.00']]);
    expect(store.commits.map((c) => c.version)).toEqual([0, 1, 2, 3, 4]);
    expect(store.commits[4]!.summary).toMatchObject({ receivable: { RUB: '50.00' }, openInvoiceCount: 1, minOpenDueDate: '2025-02-21' });
    expect(store.commits[0]!.profile?.type).toBe('customer.upsert');
    expect(store.commits[1]!.contract?.type).toBe('contract.upsert');
  });

  it('a conflict drops the cached state and retries on a fresh read; attempts running out is a TransientError', async () => {
    // Prepare
    const store = new MemoryStore();
    const w = writer(store, { maxAttempts: 3 });
    await w.apply(customer('C1'), origin());
    store.conflicts = 1;
    // Act
    const second = await w.apply(invoice('I1', '100.00', '2025-02-01', '2025-02-20'), origin());
    store.conflicts = 3;
    const third = w.apply(invoice('I2', '100.00', '2025-02-01', '2025-02-20'), origin());
    // Assess
    expect(second.status).toBe('applied');
    expect(store.loads).toBe(2); // the first apply, then the retry after the conflict on the cached state
    await expect(third).rejects.toBeInstanceOf(TransientError);
  });

  it('refuses a back-dated entry in a closed period and records the refusal; a duplicate event is not written twice', async () => {
    // Prepare
    const store = new MemoryStore();
    const refusals: RefusalRecord[] = [];
    const w = writer(store, { closedThrough: '2025-01-31', refusals });
    await w.apply(customer('C1'), origin());
    const o = origin();
    await w.apply(invoice('I1', '100.00', '2025-02-01', '2025-02-20'), o);
    // Act
    const again = await w.apply(invoice('I1', '100.00', '2025-02-01', '2025-02-20'), o);
    const late = w.apply(invoice('I0', '10.00', '2025-01-15', '2025-01-30'), origin());
    // Assess
    expect(again.status).toBe('duplicate');
    await expect(late).rejects.toBeInstanceOf(ClosedPeriodError);
    expect(refusals).toMatchObject([{ customerId: 'C1', code: expect.any(String), closedThrough: '2025-01-31', commandType: 'invoice.issued' }]);
    expect(store.commits).toHaveLength(2);
  });

  it("counts today in the company's zone: at 01:30 in Moscow (22:30 UTC the day before) tomorrow's payment is accepted and yesterday can be closed", async () => {
    // Prepare: 2025-03-01T22:30Z is 2025-03-02 01:30 in Moscow
    const late = new Date('2025-03-01T22:30:00Z');
    const store = new MemoryStore();
    const moscow = writer(store, { now: late, timeZone: 'Europe/Moscow' });
    const utc = writer(new MemoryStore(), { now: late, timeZone: 'UTC' });
    for (const w of [moscow, utc]) {
      await w.apply(customer('C1'), origin());
      await w.apply(contract('K1', 'RUB', 'C1'), origin());
      await w.apply(invoice('I1', '100.00', '2025-02-01', '2025-02-20'), origin());
    }
    // Act
    const paidTomorrow = await moscow.apply(payment('P1', '10.00', '2025-03-03', { invoiceIds: ['I1'] }), origin());
    const paidTooLate = await moscow.apply(payment('P2', '10.00', '2025-03-04', { invoiceIds: ['I1'] }), origin()).catch((e: unknown) => e);
    const inUtc = await utc.apply(payment('P1', '10.00', '2025-03-03', { invoiceIds: ['I1'] }), origin()).catch((e: unknown) => e);
    const closed = await moscow.closePeriod('2025-03-01' as never, 'finance', 'month end');
    const closingTodayInUtc = await utc.closePeriod('2025-03-01' as never, 'finance', 'month end').catch((e: unknown) => e);
    // Assess
    expect(paidTomorrow.status).toBe('applied');
    expect(paidTooLate).toMatchObject({ fields: [{ field: 'date' }] });
    expect(inUtc).toMatchObject({ fields: [{ field: 'date' }] });
    expect(closed.closedThrough).toBe('2025-03-01');
    expect(closingTodayInUtc).toMatchObject({ fields: [{ field: 'through', message: 'only a past date can be closed' }] });
  });
});
