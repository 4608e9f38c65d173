/**
 * The debtors' books (ReportSource.books({ scope: 'debtors' | 'open' }): the debtor index, and the
 * balance index, then one Query per customer) against DynamoDB Local, seeded through the real writers
 * (ledger, letters and stage history, pauses, claim cases): for every report and grouping that
 * source=auto reads from the debtors only (unpaid, aging, portfolios as of today or later), the report
 * equals the full Scan's, and fewer items are read. Also why the others are not picked (calendar:
 * counter-example), the balance index's back-fill and what auto does before it, the 400s of
 * source=debtors, and the documented edge (an invoice settled by a payment dated after the as-of date).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from '../../bin/local/dynamo.js';
import { freshTable } from '../support/dynamo.js';
import { DynamoLedger } from '../../functions/adapters/compose-ledger.js';
import { DynamoDunningStore } from '../../functions/adapters/dynamo-dunning.js';
import { DynamoClaims } from '../../functions/adapters/dynamo-claims.js';
import { DynamoReportSource } from '../../functions/adapters/dynamo-reports.js';
import { backfillBalanceIndex } from '../../functions/adapters/balance-index-backfill.js';
import { keys } from '../../functions/adapters/table-design.js';
import { buildReport, type ReportsDeps } from '../../functions/app/reports.js';
import { DEFAULT_REPORTS_CONFIG } from '../../functions/domain/reports/config.js';
import { GROUP_BYS, parseReportRequest, runReport, type CustomerBook } from '../../functions/domain/reports/index.js';
import { assess, basisWith, openCase } from '../../functions/domain/claims/index.js';
import { foldLedger } from '../../functions/domain/ledger/fold.js';
import { defaultRules } from '../../functions/domain/rules/index.js';
import { addDays, type CalendarDate } from '../../functions/domain/dates.js';
import type { LedgerCommand } from '../../functions/domain/ledger/commands.js';
import { ConflictError, ValidationError } from '../../functions/domain/errors.js';
import { contract, customer, invoice, payment, refund } from '../unit/ledger/builders.js';
import { history } from '../unit/reports/arbitraries.js';

const TODAY = '2025-06-30' as CalendarDate;
const NOW = new Date('2025-06-30T10:00:00Z');
const rules = defaultRules();
const of = (customerId: string, c: LedgerCommand): LedgerCommand => ({ ...c, customerId }) as LedgerCommand;

/** A fresh table, the real writers, and a report source whose reads are counted (items DynamoDB read: ScannedCount). */
async function world() {
  const { doc, tableName, endpoint } = await freshTable('debtors');
  const counted = localDynamoClient(endpoint);
  const read = { items: 0, requests: 0 };
  counted.middlewareStack.add(
    (next) => async (args) => {
      const r = await next(args);
      const out = r.output as { ScannedCount?: number } | undefined;
      read.requests += 1;
      read.items += out?.ScannedCount ?? 0;
      return r;
    },
    { step: 'initialize', name: 'countItemsRead' },
  );
  const countedDoc = DynamoDBDocumentClient.from(counted, { marshallOptions: { removeUndefinedValues: true } });
  const ledger = new DynamoLedger({ doc, tableName, now: () => NOW });
  const dunning = new DynamoDunningStore({ doc, tableName, now: () => NOW });
  const claims = new DynamoClaims({ doc, tableName });
  const source = new DynamoReportSource({ doc: countedDoc, tableName, timeZone: 'Europe/Moscow', concurrency: 4 });
  const deps: ReportsDeps = { source, config: DEFAULT_REPORTS_CONFIG, rules, today: () => TODAY };
  let ev = 0;
  /** Each command through the ledger writer; `refused: 'skip'` goes on past the ones it refuses (random histories name unknown invoices …). */
  const apply = async (customerId: string, cmds: LedgerCommand[], refused: 'throw' | 'skip' = 'throw') => {
    for (const c of cmds) {
      try {
        await ledger.apply(of(customerId, c), { source: 'billing', eventId: `ev-${++ev}`, receivedAt: NOW.toISOString() });
      } catch (err) {
        if (refused === 'throw' || !(err instanceof ValidationError || err instanceof ConflictError)) throw err;
      }
    }
  };
  const sent = async (customerId: string, runDate: string, stage: string, invoiceIds: string[]) => {
    const letter = { runDate, customerId, stage, owner: 'test-run', invoiceIds, invoiceSetHash: invoiceIds.join(','), channels: ['email'], total: [] };
    await dunning.reserveLetter(letter, { status: 'sending' });
    await dunning.markSent(letter, { messageId: `m-${customerId}-${stage}` });
  };
  /** Reads and the items they took, for one call. */
  const measured = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const before = read.items;
    const v = await fn();
    return [v, read.items - before];
  };
  /** The balance index's one-off back-fill (marks the index complete). */
  const backfill = () => backfillBalanceIndex(doc, tableName, () => NOW);
  /** A summary as written before the balance index existed (its entry removed). */
  const unindex = (customerId: string) => doc.send(new UpdateCommand({ TableName: tableName, Key: keys.customerSummary(customerId), UpdateExpression: 'REMOVE GSI2PK, GSI2SK' }));
  return { ledger, dunning, claims, source, deps, apply, sent, measured, backfill, unindex };
}

type World = Awaited<ReturnType<typeof world>>;

/** Fully paid, credit only, partly paid with stages and a promise, a claim case, paid after promising, two currencies with a schedule, a refund debit only, a future invoice, a profile only. */
async function seedBook(w: World): Promise<void> {
  await w.apply('paid', [customer('x', { manager: 'Анна' }), invoice('I1', '1000.00', '2025-03-01', '2025-03-31'), payment('P1', '1000.00', '2025-04-10')]);
  await w.apply('credit', [customer('x', { manager: 'Анна' }), invoice('I1', '500.00', '2025-03-20', '2025-04-15'), payment('P1', '800.00', '2025-04-20')]);
  await w.apply('partly', [
    customer('x', { manager: 'Борис', segment: 'retail' }),
    contract('K1', 'RUB', 'x'),
    invoice('I1', '1000.00', '2025-03-01', '2025-04-01', { contractId: 'K1' }),
    invoice('I2', '2000.00', '2025-05-15', '2025-06-15'),
    payment('P1', '400.00', '2025-05-05'),
  ]);
  await w.sent('partly', '2025-04-08', 'reminder', ['I1']);
  await w.sent('partly', '2025-05-13', 'warning', ['I1']);
  await w.dunning.putPause({
    pauseId: 'pr-1',
    customerId: 'partly',
    invoiceId: 'I1',
    kind: 'promise',
    until: '2025-07-10',
    reason: 'by phone',
    by: 'anna',
    at: '2025-06-20T09:00:00Z',
    amount: { amount: '600.00', currency: 'RUB' },
  });
  const caseBook = [customer('x', { manager: 'Борис' }), invoice('I9', '90000.00', '2025-01-10', '2025-02-01'), payment('P9', '10000.00', '2025-03-01')];
  await w.apply('case', caseBook);
  for (const [d, s] of [
    ['2025-02-11', 'reminder'],
    ['2025-03-04', 'warning'],
    ['2025-04-15', 'claim'],
  ] as const)
    await w.sent('case', d, s, ['I9']);
  const on = '2025-04-15' as CalendarDate;
  const state = foldLedger(caseBook.map((c) => of('case', c)));
  const assessment = assess({ caseId: 'CASE-case', state, invoices: basisWith(undefined, ['I9'], on), asOf: on, court: 'arbitration', rules });
  await w.claims.create(
    openCase({
      caseId: 'CASE-case',
      customerId: 'case',
      customer: { legalName: 'ООО «case»' },
      openedOn: on,
      stage: 'claim',
      assessment,
      court: 'arbitration',
      actor: { by: 'run', at: '2025-04-15T09:00:00.000Z' },
    }),
  );
  await w.apply('promised-paid', [customer('x', { manager: 'Анна' }), invoice('I1', '700.00', '2025-04-01', '2025-05-01'), payment('P1', '700.00', '2025-06-01')]);
  await w.dunning.putPause({
    pauseId: 'pr-2',
    customerId: 'promised-paid',
    invoiceId: 'I1',
    kind: 'promise',
    until: '2025-07-05',
    reason: 'by phone',
    by: 'anna',
    at: '2025-05-10T09:00:00Z',
    amount: { amount: '700.00', currency: 'RUB' },
  });
  await w.apply('usd', [
    customer('x', { manager: 'Пётр', segment: 'export' }),
    invoice('I1', '1200.00', '2025-05-01', '2025-06-01', { amount: { amount: '1200.00', currency: 'USD' } }),
    invoice('I2', '300.00', '2025-06-01', '2025-07-01'),
    payment('P1', '200.00', '2025-06-10', { amount: { amount: '200.00', currency: 'USD' } }),
  ]);
  await w.dunning.putPause({
    pauseId: 'sch-1',
    customerId: 'usd',
    kind: 'schedule',
    until: '2025-08-01',
    reason: 'agreed',
    by: 'anna',
    at: '2025-06-12T09:00:00Z',
    amount: { amount: '1000.00', currency: 'USD' },
    installments: [
      { date: '2025-07-01', amount: '500.00' },
      { date: '2025-08-01', amount: '500.00' },
    ],
  });
  await w.apply('refunded', [
    customer('x', { manager: 'Пётр' }),
    invoice('I1', '500.00', '2025-03-01', '2025-03-31'),
    payment('P1', '500.00', '2025-03-20'),
    refund('R1', '200.00', '2025-04-02'),
  ]);
  await w.apply('future', [customer('x'), invoice('I1', '400.00', '2025-07-05', '2025-07-20')]);
  await w.apply('profile-only', [customer('x', { manager: 'Анна' })]);
}

const withoutSource = (r: { params: Record<string, unknown> }) => {
  const { source: _s, ...params } = r.params;
  return { ...r, params };
};

describe('ReportSource.books({ scope: "debtors" | "open" }) over DynamoDB Local', () => {
  it('unpaid, aging (every grouping) and portfolios, as of today and later, read from the debtors only equal the full read, with fewer items read', async () => {
    // Prepare
    const w = await world();
    await seedBook(w);
    await w.backfill();
    const asked = [...[undefined, ...GROUP_BYS].flatMap((groupBy) => ['unpaid', 'aging'].map((name) => ({ name, ...(groupBy ? { groupBy } : {}) }))), { name: 'portfolios' }];
    for (const asOf of [TODAY, addDays(TODAY, 10), addDays(TODAY, 40)]) {
      for (const a of asked) {
        const q = { ...a, asOf };
        // Act
        const [auto, autoRead] = await w.measured(() => buildReport(w.deps, q));
        const [full, fullRead] = await w.measured(() => buildReport(w.deps, { ...q, source: 'ledger' }));
        // Assess
        expect(auto.report.params.source).toBe('debtors');
        expect(full.report.params.source).toBeUndefined();
        expect(JSON.parse(JSON.stringify(withoutSource(auto.report)))).toEqual(JSON.parse(JSON.stringify(full.report)));
        expect(autoRead).toBeGreaterThan(0);
        expect(autoRead).toBeLessThan(fullRead);
      }
    }
    expect((await w.source.books({ scope: 'debtors' })).map((b) => b.customerId)).toEqual(['case', 'future', 'partly', 'usd']);
    const books = await w.source.books({ scope: 'open' });
    expect(books.map((b) => b.customerId)).toEqual(['case', 'credit', 'future', 'partly', 'refunded', 'usd']);
    expect(books.find((b) => b.customerId === 'case')).toMatchObject({ cases: [{ caseId: 'CASE-case', status: 'pre-trial' }], letters: [] });
    expect(books.find((b) => b.customerId === 'partly')?.stages).toEqual([
      {
        invoiceId: 'I1',
        stages: [
          { stage: 'reminder', runDate: '2025-04-08' },
          { stage: 'warning', runDate: '2025-05-13' },
        ],
      },
    ]);
    const unpaid = (await buildReport(w.deps, { name: 'unpaid', asOf: TODAY })).report;
    expect(unpaid.detail.rows.map((r) => `${r.customerId}/${r.invoice}/${r.outstanding}`)).toEqual([
      'case/N-I9/80000.00',
      'partly/N-I1/600.00',
      'usd/N-I1/1000.00',
      'partly/N-I2/2000.00',
      'usd/N-I2/300.00',
    ]);
    const aging = (await buildReport(w.deps, { name: 'aging', asOf: TODAY })).report;
    expect(aging.detail.rows.filter((r) => r.kind !== 'invoice').map((r) => `${r.customerId}/${r.kind}/${r.net}`)).toEqual([
      'credit/unapplied-credit/-300.00',
      'refunded/refund-debit/200.00',
    ]);
  });

  it('the debtors’ books are the full books of the same customers (one parsing), letters aside', async () => {
    // Prepare
    const w = await world();
    await seedBook(w);
    // Act
    const all = await w.source.books();
    const debtors = await w.source.books({ scope: 'open' });
    // Assess
    const norm = (b: CustomerBook) => ({ ...b, entries: [...b.entries].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))), letters: [] });
    expect(debtors.map(norm)).toEqual(all.filter((b) => debtors.some((d) => d.customerId === b.customerId)).map(norm));
  });

  it('why aging needs the balance index and the calendar is not picked: a credit-only customer is not a debtor, a promise kept early stays', async () => {
    // Prepare
    const w = await world();
    await seedBook(w);
    const all = await w.source.books();
    const debtors = await w.source.books({ scope: 'debtors' });
    const open = await w.source.books({ scope: 'open' });
    const run = (books: CustomerBook[], q: Record<string, string>) => runReport(books, parseReportRequest({ name: q.name!, asOf: TODAY, ...q }), { rules });
    const july = { name: 'calendar', from: '2025-07-01', to: '2025-07-31' };
    // Act
    const aging = [run(all, { name: 'aging' }), run(debtors, { name: 'aging' })];
    const calendar = [run(all, july), run(open, july)];
    // Assess
    expect(aging[0]!.detail.rows.filter((r) => r.kind === 'unapplied-credit').map((r) => r.customerId)).toEqual(['credit']);
    expect(aging[1]!.detail.rows.some((r) => r.customerId === 'credit' || r.customerId === 'refunded')).toBe(false);
    expect(calendar[0]!.totals.rows[0]!.expectedPromised).toBe('1300.00');
    expect(calendar[1]!.totals.rows[0]!.expectedPromised).toBe('600.00');
  });

  it('before the balance index is back-filled auto reads every book for aging; the back-fill indexes old summaries once', async () => {
    // Prepare: summaries of 'credit' and 'refunded' as written before the index existed.
    const w = await world();
    await seedBook(w);
    await w.unindex('credit');
    await w.unindex('refunded');
    const before = await buildReport(w.deps, { name: 'aging', asOf: TODAY });
    const insisted = await buildReport(w.deps, { name: 'aging', asOf: TODAY, source: 'debtors' }).catch((e: unknown) => e);
    const unpaidBefore = await buildReport(w.deps, { name: 'unpaid', asOf: TODAY });
    // Act
    const first = await w.backfill();
    const second = await w.backfill();
    const after = await buildReport(w.deps, { name: 'aging', asOf: TODAY });
    const full = await buildReport(w.deps, { name: 'aging', asOf: TODAY, source: 'ledger' });
    // Assess
    expect(before.report.params.source).toBeUndefined();
    expect(before.report).toEqual(full.report);
    expect(insisted).toBeInstanceOf(ValidationError);
    expect((insisted as ValidationError).fields.map((f) => f.field)).toEqual(['source']);
    expect(unpaidBefore.report.params.source).toBe('debtors');
    expect(first).toEqual({ ran: true, indexed: 2 });
    expect(second).toEqual({ ran: false, indexed: 0 });
    expect(after.report.params.source).toBe('debtors');
    expect(withoutSource(after.report)).toEqual(full.report);
  });

  it('source=debtors where it is not exact is a 400 naming source; auto before today reads everything', async () => {
    // Prepare
    const w = await world();
    await seedBook(w);
    // Act
    const cases = await Promise.all(
      [
        buildReport(w.deps, { name: 'balances', asOf: TODAY, source: 'debtors' }),
        buildReport(w.deps, { name: 'calendar', asOf: TODAY, from: addDays(TODAY, 1), source: 'debtors' }),
        buildReport(w.deps, { name: 'aging', asOf: addDays(TODAY, -1), source: 'debtors' }),
        buildReport(w.deps, { name: 'unpaid', asOf: addDays(TODAY, -1), source: 'debtors' }),
        buildReport({ source: w.deps.source, config: w.deps.config }, { name: 'unpaid', asOf: TODAY, source: 'debtors' }),
      ].map((p) => p.catch((e: unknown) => e)),
    );
    const past = await buildReport(w.deps, { name: 'unpaid', asOf: addDays(TODAY, -1) });
    const insisted = await buildReport(w.deps, { name: 'unpaid', asOf: TODAY, source: 'debtors' });
    // Assess
    for (const err of cases) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).fields.map((f) => f.field)).toEqual(['source']);
    }
    expect(past.report.params.source).toBeUndefined();
    expect(insisted.report.params.source).toBe('debtors');
  });

  it('documented edge: an invoice settled by a payment dated after the as-of date (booked ahead) is missing from the debtors’ unpaid', async () => {
    // Prepare
    const w = await world();
    await w.apply('ahead', [customer('x'), invoice('I1', '500.00', '2025-06-01', '2025-06-20'), payment('P1', '500.00', addDays(TODAY, 1))]);
    await w.apply('open', [customer('x'), invoice('I1', '100.00', '2025-06-01', '2025-06-20')]);
    // Act
    const auto = await buildReport(w.deps, { name: 'unpaid', asOf: TODAY });
    const full = await buildReport(w.deps, { name: 'unpaid', asOf: TODAY, source: 'ledger' });
    // Assess
    expect(full.report.detail.rows.map((r) => r.customerId)).toEqual(['ahead', 'open']);
    expect(auto.report.detail.rows.map((r) => r.customerId)).toEqual(['open']);
  });

  it('property: over random ledgers (invoices, payments, credit notes, voids, reversals, refunds, write-offs) unpaid, aging and portfolios from the debtors equal the full read', async () => {
    // Prepare: five customers' random histories (entries dated 2025-01-01 … 2025-06-29, before today), written through the ledger.
    const today = '2025-06-30' as CalendarDate;
    const seen = { debtors: 0, balanceOnly: 0, neither: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          history.map((h) => h.slice(0, 14)),
          { minLength: 5, maxLength: 5 },
        ),
        fc.integer({ min: 0, max: 60 }),
        async (histories, later) => {
          const w = await world();
          for (const [i, h] of histories.entries()) await w.apply(`c${i}`, h, 'skip');
          await w.backfill();
          const debtors = (await w.source.books({ scope: 'debtors' })).length;
          const open = (await w.source.books({ scope: 'open' })).length;
          seen.debtors += debtors;
          seen.balanceOnly += open - debtors;
          seen.neither += histories.length - open;
          const deps = { ...w.deps, today: () => today };
          const asked = [{ name: 'unpaid' }, { name: 'unpaid', groupBy: 'contract' }, { name: 'aging' }, { name: 'aging', groupBy: 'manager' }, { name: 'portfolios' }];
          for (const a of asked) {
            const q = { ...a, asOf: addDays(today, later) };
            // Act
            const [auto, autoRead] = await w.measured(() => buildReport(deps, q));
            const [full, fullRead] = await w.measured(() => buildReport(deps, { ...q, source: 'ledger' }));
            // Assess
            expect(withoutSource(auto.report)).toEqual(full.report);
            expect(autoRead).toBeLessThanOrEqual(fullRead);
          }
        },
      ),
      { numRuns: 6, seed: 14 },
    );
    // Assess: the runs had customers of every kind (debtors, balance holders only, neither).
    expect(seen.debtors).toBeGreaterThan(0);
    expect(seen.balanceOnly).toBeGreaterThan(0);
    expect(seen.neither).toBeGreaterThan(0);
  });
});
