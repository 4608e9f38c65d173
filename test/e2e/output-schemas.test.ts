/**
 * The outputs an integrator relies on, taken from the running local stack (demo ledger, Tuesday and
 * Friday runs), validate against their JSON Schemas in docs/schemas/ (closed objects: a new or renamed
 * field fails), and a payment dated after tomorrow is refused as docs/webhooks.md says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../bin/cli.js';
import { onceJson } from '../../bin/local/once-json.js';
import type { LocalStack } from '../../bin/local/stack.js';
import { addDays, dateInZone, DEFAULT_TIME_ZONE, type CalendarDate } from '../../functions/domain/dates.js';
import { operatorCall, postBilling, testStack } from '../support/local-stack.js';
import { schemaErrors } from '../support/schemas.js';

const TUESDAY = '2026-11-24';
const FRIDAY = '2026-11-27';

describe('outputs on the local stack match docs/schemas', () => {
  let stack: LocalStack;
  const http = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.urls.http}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const cli = async (args: string[]) => {
    let stdout = '';
    const io: CliIo = {
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => undefined,
      env: { CLAIMFLOW_ENDPOINT: stack.urls.http, USER: 'clerk' },
      readStdin: async () => '',
      readFile: async () => new Uint8Array(),
      writeFile: async () => undefined,
      fetch: globalThis.fetch,
    };
    const code = await main([...args, '--json'], io);
    return { code, json: JSON.parse(stdout) };
  };
  beforeAll(async () => {
    stack = await testStack({ demo: true, demoAsOf: TUESDAY as CalendarDate });
  });
  afterAll(async () => stack?.stop());

  it('GET /health → health.json', async () => {
    // Act
    const r = await http('GET', '/health');
    // Assess
    expect(r.status).toBe(200);
    expect(schemaErrors('health.json', r.body)).toEqual([]);
  });

  it('the dry run (API page and CLI --json) → dry-run.json', async () => {
    // Act
    const page = await operatorCall(stack, 'olga', 'POST', 'runs', { runDate: TUESDAY, dryRun: true, maxCustomers: 2 });
    const all = await cli(['run', '--as-of', TUESDAY, '--dry-run']);
    // Assess
    expect(page.status).toBe(200);
    expect(page.body.nextToken).toEqual(expect.any(String));
    expect(schemaErrors('dry-run.json', page.body)).toEqual([]);
    expect(all.code).toBe(0);
    expect(schemaErrors('dry-run.json', all.json)).toEqual([]);
    expect(all.json.totals.letters).toEqual({ reminder: 2, warning: 2, claim: 1, litigation: 1 });
  });

  it('POST /runs (Tuesday, then the same date again, then a dry run of Friday) → post-runs.json', async () => {
    // Act
    const tuesday = await http('POST', '/runs', { runDate: TUESDAY });
    const again = await http('POST', '/runs', { runDate: TUESDAY });
    const dry = await http('POST', '/runs', { runDate: FRIDAY, dryRun: true });
    // Assess
    expect(tuesday.body).toMatchObject({ status: 'SUCCEEDED', summary: { newlyAtLitigation: ['demo-smirnov'], moreInvoicesAtLitigation: [], sending: 0 } });
    expect(tuesday.body.summary.printBatch).toEqual(expect.any(String));
    expect(again.body.status).toBe('ALREADY_STARTED');
    expect(again.body.summary.finishedAt).toEqual(expect.any(String));
    expect(dry.body.summary.dryRun).toBe(true);
    for (const r of [tuesday, again, dry]) expect(schemaErrors('post-runs.json', r.body)).toEqual([]);
  });

  it('npm start --once --json line (the same run result) → run-once.json', async () => {
    // Act
    const r = await stack.runDunning({ runDate: FRIDAY as CalendarDate });
    const line = onceJson(r, FRIDAY, stack.urls.inbox);
    // Assess
    expect(r.status).toBe('SUCCEEDED');
    expect(schemaErrors('run-once.json', line)).toEqual([]);
  });

  it('claimflow runs show / GET /operator/runs/{date} → run-letters.json', async () => {
    // Act
    const api = await operatorCall(stack, 'olga', 'GET', `runs/${TUESDAY}`);
    const shown = await cli(['runs', 'show', TUESDAY]);
    // Assess
    expect(api.body.letters.length).toBe(6);
    expect(api.body.run.finishedAt).toEqual(expect.any(String));
    expect(schemaErrors('run-letters.json', api.body)).toEqual([]);
    expect(schemaErrors('run-letters.json', shown.json)).toEqual([]);
  });

  it('the reconciliation statement (API, by contract, no contract, CLI --json) → reconciliation-statement.json', async () => {
    // Act
    const q = `from=2026-01-01&to=${TUESDAY}`;
    const whole = await http('GET', `/operator/customers/demo-vector/reconciliation?${q}`);
    const contractId = whole.body.byContract[0].contractId as string;
    const one = await http('GET', `/operator/customers/demo-vector/reconciliation?${q}&contract=${contractId}`);
    const none = await http('GET', `/operator/customers/demo-vector/reconciliation?${q}&contract=none`);
    const viaCli = await cli(['reconcile', 'demo-sever', '--from', '2026-01-01', '--to', TUESDAY]);
    // Assess
    expect(one.body.contractId).toBe(contractId);
    expect(none.body.contractId).toBeNull();
    for (const st of [whole.body, one.body, none.body, viaCli.json]) expect(schemaErrors('reconciliation-statement.json', st)).toEqual([]);
  });

  it('a payment dated after tomorrow is refused with 400 VALIDATION_FAILED naming `date`; one dated tomorrow is booked', async () => {
    // Prepare: "today" is the ledger's UTC date.
    const today = dateInZone(new Date(), DEFAULT_TIME_ZONE); // the local stack's company zone
    const pay = (id: string, date: string) => ({
      eventId: `evt-${id}`,
      type: 'payment.received',
      data: { customerId: 'demo-vector', paymentId: id, date, amount: { amount: '1.00', currency: 'RUB' } },
    });
    // Act
    const later = await postBilling(stack, pay('p-after-tomorrow', addDays(today, 2)));
    const tomorrow = await postBilling(stack, pay('p-tomorrow', addDays(today, 1)));
    // Assess
    expect(later.status).toBe(400);
    expect(later.body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The request has invalid fields.',
        fields: [{ field: 'date', message: 'a payment is recorded when the money arrives, not before' }],
      },
    });
    expect(tomorrow.status).toBe(200);
  });
});
