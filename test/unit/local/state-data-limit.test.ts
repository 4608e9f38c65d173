/**
 * Step Functions refuses a state whose input or output is over 256 KB (States.DataLimitExceeded). The
 * local runner enforces the same limit, and the DunningRun definition keeps every state under it
 * whatever the book: the Map keeps one bounded tally per customer, failures are recorded (with their
 * causes) inside the item, and a batch is CUSTOMERS_PER_BATCH customers.
 */
import { describe, expect, it } from 'vitest';
import { executeLocally, STATE_DATA_LIMIT_BYTES } from '../../../bin/local/state-machine.js';
import { CUSTOMERS_PER_BATCH, dunningRunAsl, LOCAL_FUNCTION_ARNS, STATE } from '../../../workflows/dunning-run.js';
import { addUp, emptyTotals, tallyOf, type CustomerResult, type LetterResult } from '../../../functions/app/run-totals.js';

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');
/** The longest customer id the ledger accepts (128 characters), in Cyrillic: 256 bytes. */
const longId = (i: number) => `клиент-${String(i).padStart(6, '0')}-`.padEnd(128, 'ж');

/** A stress-book customer: every stage, three currencies, a long summary and many skipped invoices. */
function stressResult(customerId: string): CustomerResult {
  const letter = (stage: LetterResult['stage']): LetterResult => ({
    stage,
    invoiceNumbers: Array.from({ length: 60 }, (_, i) => `СЧ-${String(i).padStart(8, '0')}`),
    channels: ['email', 'post'],
    outcome: 'sent',
    total: [
      { amount: '123456789.12', currency: 'RUB' },
      { amount: '1234567.89', currency: 'USD' },
      { amount: '7654321.00', currency: 'EUR' },
    ],
    documentUri: `s3://claimflow-prod-documents/letters/2026-11-24/${stage}/${customerId}.pdf`,
  });
  return {
    customerId,
    status: 'processed',
    summary: 'Долг по 60 счетам. '.repeat(40),
    letters: (['reminder', 'warning', 'claim', 'litigation'] as const).map(letter),
    skipped: Array.from({ length: 40 }, (_, i) => ({ invoice: `СЧ-${i}`, reason: 'оплата ожидается по графику платежей' })),
  };
}

/**
 * The definition as it was before the fix (issue 17 item 7): 500 customers per batch, each Map item's
 * output the customer's whole result, a failure's cause carried in the batch.
 */
function preFixAsl(): Record<string, any> {
  const asl = structuredClone(dunningRunAsl()) as { States: Record<string, any> };
  asl.States[STATE.find].Parameters.pageSize = 500;
  const items = asl.States[STATE.each].ItemProcessor.States as Record<string, any>;
  delete items[STATE.decide].Next;
  items[STATE.decide].End = true;
  delete items[STATE.tally];
  delete items[STATE.failedUnrecorded];
  items[STATE.failed] = {
    Type: 'Pass',
    Parameters: { 'customerId.$': '$.customerId', status: 'failed', 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' },
    End: true,
  };
  return asl;
}

/** Handlers over a stress book of `count` customers (every third failing with a long cause), paged by the definition's pageSize. */
function stressHandlers(count: number) {
  const ids = Array.from({ length: count }, (_, i) => longId(i));
  const failing = new Set(ids.filter((_, i) => i % 3 === 0));
  const state = { recorded: 0 };
  const handlers = {
    findDebtors: async (e: unknown) => {
      const ev = e as { page?: { nextToken?: string }; pageSize: number };
      const from = ev.page?.nextToken ? Number(ev.page.nextToken) : 0;
      const page = ids.slice(from, from + ev.pageSize);
      return { customerIds: page, ...(from + ev.pageSize < ids.length ? { nextToken: String(from + ev.pageSize) } : {}) };
    },
    processCustomer: async (e: unknown) => {
      const id = (e as { customerId: string }).customerId;
      if (failing.has(id)) {
        const err = new Error(`ledger unreadable: ${'stack frame '.repeat(3000)}`);
        err.name = 'LedgerError';
        throw err;
      }
      const r = stressResult(id);
      return { ...r, tally: tallyOf(r) };
    },
    summarizeRun: async (e: unknown) => {
      const ev = e as { action: string; customerId?: string; error?: string; totals?: never; batch?: never };
      if (ev.action === 'recordFailure') {
        state.recorded += 1;
        return { customerId: ev.customerId, status: 'failed', error: ev.error, recorded: true };
      }
      if (ev.action === 'addUp') return addUp(ev.totals ?? emptyTotals(), ev.batch ?? []);
      return { done: true, totals: ev.totals };
    },
  };
  return { ids, failing, state, handlers };
}

describe('the 256 KB state data limit', () => {
  it('fails the definition as it was before the fix (500 full results per batch) with States.DataLimitExceeded, where AWS would', async () => {
    // Prepare
    const book = stressHandlers(500);

    // Act
    const r = await executeLocally({
      asl: preFixAsl() as never,
      arns: LOCAL_FUNCTION_ARNS,
      handlers: book.handlers,
      input: { runDate: '2026-11-24' },
      executionName: 'dunning-run-prefix',
    });

    // Assess
    expect(r.status).toBe('FAILED');
    expect(r.error?.Error).toBe('States.DataLimitExceeded');
  });

  it('runs the same stress book through the current definition within the limit', async () => {
    // Prepare
    const book = stressHandlers(500);

    // Act
    const r = await executeLocally({
      asl: dunningRunAsl() as never,
      arns: LOCAL_FUNCTION_ARNS,
      handlers: book.handlers,
      input: { runDate: '2026-11-24' },
      executionName: 'dunning-run-current',
    });

    // Assess
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('SUCCEEDED');
    expect(book.state.recorded).toBe(book.failing.size);
    expect((r.output as { totals: { customers: number; failures: number } }).totals).toMatchObject({ customers: 500, failures: book.failing.size });
  });

  it('fails an execution whose state output is over the limit, as States.DataLimitExceeded', async () => {
    // Prepare
    const asl = {
      StartAt: 'Big',
      States: { Big: { Type: 'Task', Resource: 'arn:aws:lambda:eu-central-1:000000000000:function:big', End: true } },
    };
    const big = async () => ({ blob: 'x'.repeat(STATE_DATA_LIMIT_BYTES) });

    // Act
    const r = await executeLocally({ asl, arns: { big: 'arn:aws:lambda:eu-central-1:000000000000:function:big' }, handlers: { big }, input: {}, executionName: 'too-big' });

    // Assess
    expect(r.status).toBe('FAILED');
    expect(r.error?.Error).toBe('States.DataLimitExceeded');
  });

  it('runs two full batches of stress-book customers (every stage, failures with long causes) within the limit', async () => {
    // Prepare
    const { ids, failing, state, handlers } = stressHandlers(2 * CUSTOMERS_PER_BATCH);

    // Act
    const r = await executeLocally({
      asl: dunningRunAsl() as never,
      arns: LOCAL_FUNCTION_ARNS,
      handlers,
      input: { runDate: '2026-11-24' },
      executionName: 'dunning-run-2026-11-24',
    });

    // Assess
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('SUCCEEDED');
    expect(state.recorded).toBe(failing.size);
    expect((r.output as { totals: { customers: number; failures: number } }).totals).toMatchObject({ customers: ids.length, failures: failing.size });
    // What a batch would weigh if the Map kept each customer's full result: over the limit.
    expect(CUSTOMERS_PER_BATCH * bytes(stressResult(longId(0)))).toBeGreaterThan(STATE_DATA_LIMIT_BYTES);
  });
});
