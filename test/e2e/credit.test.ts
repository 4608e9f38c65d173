/**
 * Credit control end to end on the local stack with the demo ledger: a hold with its reasons, an
 * override by the head of sales (a clerk is refused), expiry, a payment by webhook releasing the
 * customer with a signed "released" event at a receiver, flexible mode, deviations and discipline.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bin/local/stack.js';
import { LOCAL_CREDIT_SECRET } from '../../bin/local/credit-local.js';
import { freePort } from '../../bin/local/ports.js';
import { signBilling, verifyBillingSignature } from '../../functions/ingest/billing.js';
import { dateInZone, type CalendarDate } from '../../functions/domain/dates.js';
import { postBilling, testStack, until } from '../support/local-stack.js';
import { main, type CliIo } from '../../bin/cli.js';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: { eventId: string; type: string; customerId: string; data: Record<string, unknown> };
  signatureOk: boolean;
}

describe('credit control on the local stack', () => {
  let stack: LocalStack;
  let receiver: Server;
  const received: Received[] = [];
  let shiftMs = 0;
  const today = dateInZone(new Date(), 'Europe/Moscow') as CalendarDate;

  beforeAll(async () => {
    // A receiver standing in for the order system: checks the signature of every event it gets.
    const port = await freePort();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        let signatureOk = true;
        try {
          verifyBillingSignature(raw, req.headers['x-claimflow-signature'] as string, [LOCAL_CREDIT_SECRET], new Date(Date.now() + shiftMs), 300);
        } catch {
          signatureOk = false;
        }
        received.push({ headers: req.headers, body: JSON.parse(raw.toString('utf8')), signatureOk });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', () => r()));
    stack = await testStack({
      demo: true,
      demoAsOf: today,
      now: () => new Date(Date.now() + shiftMs),
      settings: { credit: { webhookUrls: [`http://127.0.0.1:${port}/claimflow-events`] } },
    });
    // The run of the day sends the warning letter to demo-vector (7 days overdue).
    await stack.runDunning({ runDate: today });
    await stack.app.credit.refresher.idle();
  });
  afterAll(async () => {
    await stack?.stop();
    receiver?.close();
  });

  const machine = async (path: 'checks' | 'reservations', body: Record<string, unknown>) => {
    const raw = JSON.stringify(body);
    const res = await fetch(`${stack.urls.http}/credit/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-claimflow-signature': signBilling(raw, LOCAL_CREDIT_SECRET, Math.floor(Date.now() / 1000)) },
      body: raw,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const operator = async (role: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.urls.http}/operator/${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-claimflow-operator': `${role}-user`, 'x-claimflow-role': role },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const check = (customerId: string, amount = '50000.00', orderId = 'ORD-1') =>
    machine('checks', { customerId, orderId, amount, currency: 'RUB', idempotencyKey: `${orderId}-${Date.now()}` });

  it('past the hold point: HOLD with OVERDUE listing the invoice and the warning letter’s date', async () => {
    // Act
    const r = await check('demo-vector');
    // Assess
    expect(r.status).toBe(200);
    expect(r.body.decision).toBe('HOLD');
    expect(r.body.reasons).toContainEqual(
      expect.objectContaining({
        code: 'OVERDUE',
        value: '310500.00',
        documents: ['СЧ-301'],
        daysOverdue: 7,
        maxDaysOverdue: 5,
        letters: [{ invoice: 'СЧ-301', stage: 'warning', runDate: today }],
      }),
    );
    expect(r.body.policyVersion).toBe('wholesale-credit@1');
  });

  it('the warning letter tells the same story: shipments stopped since the day after 5 days overdue', async () => {
    // Act
    const mails = (await stack.ses.listEmails()).filter((m) => m.destination.to.includes('finance@vector.example'));
    // Assess: due today − 7, so held since today − 1 (days-overdue rule, the default)
    const since = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const ru = `${since.slice(8, 10)}.${since.slice(5, 7)}.${since.slice(0, 4)}`;
    expect(mails).toHaveLength(1);
    expect((mails[0]!.body.text ?? '').replace(/\s+/g, ' ')).toContain(`Отгрузки в Ваш адрес приостановлены (с ${ru}) до полного погашения просроченной задолженности`);
  });

  it('`claimflow credit deviations` lists the demo customers whose terms differ; `credit check` exits 3 on HOLD', async () => {
    // Prepare
    const run = async (args: string[]) => {
      let stdout = '';
      const io: CliIo = {
        stdout: (t) => void (stdout += t),
        stderr: () => undefined,
        env: { CLAIMFLOW_ENDPOINT: stack.urls.http, USER: 'anna' },
        readStdin: async () => '',
        readFile: async () => new Uint8Array(),
        writeFile: async () => undefined,
        fetch: globalThis.fetch,
      } as CliIo;
      const code = await main(args, io);
      return { code, stdout };
    };
    // Act
    const dev = await run(['credit', 'deviations', '--json']);
    const human = await run(['credit', 'deviations']);
    const held = await run(['credit', 'check', 'demo-vector', '--order', 'ORD-CLI', '--amount', '1000.00']);
    // Assess
    expect(dev.code).toBe(0);
    expect(JSON.parse(dev.stdout).customers.map((c: { customerId: string }) => c.customerId)).toEqual([
      'demo-accurate',
      'demo-greenleaf',
      'demo-nomail',
      'demo-romashka',
      'demo-sever',
      'demo-vector',
    ]);
    expect(human.stdout).toContain('demo-nomail (category new)\n  mode: matrix "hard", actual "flexible"');
    expect(held.code).toBe(3);
    expect(held.stdout).toMatch(/^HOLD\n {2}OVERDUE: 310500.00 RUB overdue/);
  });

  it('a flexible-mode customer ships against prepayment of the whole order', async () => {
    // Act
    const r = await check('demo-nomail', '20000.00', 'ORD-N');
    // Assess
    expect(r.body).toMatchObject({ decision: 'ALLOW_WITH_PREPAYMENT', prepayment: { amount: '20000.00', currency: 'RUB' }, mode: 'flexible' });
  });

  it('bad input: unknown customer 404 with what to do, bad amount and currency 400 naming the field, bad signature 401', async () => {
    // Act
    const unknown = await check('nobody');
    const amount = await machine('checks', { customerId: 'demo-vector', orderId: 'X', amount: '12,5', currency: 'RUB', idempotencyKey: 'k' });
    const currency = await machine('checks', { customerId: 'demo-vector', orderId: 'X', amount: '12.50', currency: 'XXX', idempotencyKey: 'k' });
    const unsigned = await fetch(`${stack.urls.http}/credit/checks`, { method: 'POST', body: '{}' });
    // Assess
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/unknown customer "nobody".*customer\.upsert/);
    expect([amount.status, amount.body.error.fields[0].field]).toEqual([400, 'amount']);
    expect([currency.status, currency.body.error.fields[0].field]).toEqual([400, 'currency']);
    expect(unsigned.status).toBe(401);
  });

  it('`deviations` lists the demo customers whose terms differ from the matrix; discipline matches the hand-computed figures', async () => {
    // Act
    const dev = await operator('clerk', 'GET', 'credit/deviations');
    const dis = await operator('clerk', 'GET', 'credit/discipline');
    // Assess
    const ids = dev.body.customers.map((c: { customerId: string }) => c.customerId);
    expect(ids).toEqual(['demo-accurate', 'demo-greenleaf', 'demo-nomail', 'demo-romashka', 'demo-sever', 'demo-vector']);
    const nomail = dev.body.customers.find((c: { customerId: string }) => c.customerId === 'demo-nomail');
    expect(nomail.deviations).toEqual([{ customerId: 'demo-nomail', field: 'mode', matrixValue: 'hard', actualValue: 'flexible' }]);
    const by = Object.fromEntries(dis.body.customers.map((c: { customerId: string }) => [c.customerId, c]));
    // See bin/local/demo-credit.ts for the arithmetic.
    expect(by['demo-accurate']).toMatchObject({ invoices: 4, onTimeShare: '1.0000', avgDaysLate: '0.00', score: '100.0', category: 'A' });
    expect(by['demo-greenleaf']).toMatchObject({ invoices: 5, onTimeShare: '0.8000', avgDaysLate: '0.60', score: '79.1', category: 'B', trend: { direction: 'improving' } });
    expect(by['demo-vector']).toMatchObject({ invoices: 3, onTimeShare: '0.1959', avgDaysLate: '8.18', score: '7.3', category: 'D' });
    expect(by['demo-sever']).toMatchObject({ invoices: 3, onTimeShare: '0.2128', avgDaysLate: '7.51', score: '10.0', category: 'D' });
    expect([by['demo-romashka'].category, by['demo-smirnov'].category, by['demo-nomail'].category]).toEqual(['new', 'new', 'new']);
  });

  let overrideId = '';
  it('a clerk may not override (403 naming head_of_sales, audited); head_of_sales grants 48 h → ALLOW naming the override', async () => {
    // Act
    const clerk = await operator('clerk', 'POST', 'credit/customers/demo-vector/overrides', {
      scope: 'customer',
      maxAmount: '100000.00',
      currency: 'RUB',
      hours: 48,
      reason: 'please',
    });
    const tooLong = await operator('head_of_sales', 'POST', 'credit/customers/demo-vector/overrides', {
      scope: 'customer',
      maxAmount: '100000.00',
      currency: 'RUB',
      hours: 100,
      reason: 'x',
    });
    const granted = await operator('head_of_sales', 'POST', 'credit/customers/demo-vector/overrides', {
      scope: 'customer',
      maxAmount: '100000.00',
      currency: 'RUB',
      hours: 48,
      reason: 'director promised payment on Friday',
    });
    overrideId = granted.body.overrideId;
    const r = await check('demo-vector');
    const audit = await operator('clerk', 'GET', 'customers/demo-vector/audit');
    // Assess
    expect(clerk.status).toBe(403);
    expect(clerk.body.error).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['head_of_sales'] });
    expect(clerk.body.error.message).toContain('head_of_sales');
    expect([tooLong.status, tooLong.body.error.fields[0].field]).toEqual([400, 'hours']);
    expect(granted.status).toBe(201);
    expect(r.body).toMatchObject({ decision: 'ALLOW', override: { overrideId, grantedBy: 'head_of_sales-user' } });
    const actions = audit.body.entries?.map((e: { action: string }) => e.action) ?? audit.body.map?.((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['access.denied', 'credit.override.grant']));
  });

  it('after the override expires: HOLD again', async () => {
    // Prepare: 49 hours later
    shiftMs = 49 * 3_600_000;
    // Act
    const r = await check('demo-vector');
    // Assess
    expect(r.body.decision).toBe('HOLD');
    expect(r.body.override).toBeUndefined();
  });

  it('a payment by webhook releases the customer: ALLOW, and a signed "released" event reaches the receiver', async () => {
    // Act
    const paid = await postBilling(stack, {
      eventId: 'evt-pay-vector',
      type: 'payment.received',
      data: { customerId: 'demo-vector', paymentId: 'pay-vector-1', date: today, amount: { amount: '310500.00', currency: 'RUB' }, invoiceIds: ['demo-inv-v-301'] },
    });
    const allowed = await until(async () => {
      const r = await check('demo-vector');
      return r.body.decision === 'ALLOW' ? r : undefined;
    });
    const released = await until(async () => received.find((e) => e.body.type === 'credit.released' && e.body.customerId === 'demo-vector'));
    // Assess
    expect(paid.status).toBe(200);
    expect(allowed.body.reasons).toEqual([]);
    expect(released.signatureOk).toBe(true);
    expect(released.headers['idempotency-key']).toBe(released.body.eventId);
    expect(released.body.data).toMatchObject({ previousReasons: expect.arrayContaining(['OVERDUE']) });
    expect(received.some((e) => e.body.type === 'credit.override.granted' && e.body.data.overrideId === overrideId)).toBe(true);
  });
});
