/**
 * Fuzzed bodies on every route of the local stack (issue 12): a few hundred bodies per route (seeded,
 * reproducible: FUZZ_SEED, FUZZ_RUNS), each signed like the real sender would sign it so it reaches
 * the parser and the validation. For every body: no status ≥ 500, no dropped connection (one
 * kept-alive socket throughout), and nothing stored (table items, archived payloads) for a body
 * refused as invalid (400 VALIDATION_FAILED, 401, 413). Afterwards a valid event is still accepted.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import Stripe from 'stripe';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SECRETS, type LocalStack } from '../../bin/local/stack.js';
import { BILLING_SIGNATURE_HEADER, signBilling } from '../../functions/ingest/billing.js';
import { signCloudPayments } from '../../functions/ingest/cloudpayments.js';
import { keepAliveClient } from '../support/http-client.js';
import { customerEvent, invoiceEvent, postBilling, testStack } from '../support/local-stack.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const INVALID = new Set(['VALIDATION_FAILED', 'UNAUTHENTICATED', 'PAYLOAD_TOO_LARGE']);

/** Values that break a field: wrong types, impossible dates, bad amounts, oversized text. */
/**
 * For id fields any short string is a valid id, and providers' numbers there are taken as text (YooKassa
 * metadata, CloudPayments AccountId): such a body is valid and refused by the ledger after it was archived
 * (unknown customer). Only values no format accepts break an id.
 */
const badId = fc.constantFrom(null, '', ' ', 'x'.repeat(300), [], {}, [1, 2], 'a b', 'a\nb');
const badValue = fc.oneof(
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    1e308,
    20261124,
    '',
    ' ',
    '2026-02-30',
    '2026-02-30T10:00:00.000Z',
    '2026-13-01',
    '1e5',
    '-1.00',
    '1.001',
    'NaN',
    '١٢٣',
    'x'.repeat(300),
    [],
    {},
    [1, 2],
  ),
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A valid body with one leaf replaced or removed (the path picked from `paths`). */
function mutated(base: Record<string, unknown>, paths: string[], idPaths: string[] = []) {
  const pick = fc.oneof(fc.tuple(fc.constantFrom(...paths), badValue), ...(idPaths.length ? [fc.tuple(fc.constantFrom(...idPaths), badId as fc.Arbitrary<unknown>)] : []));
  return fc.tuple(pick, fc.boolean()).map(([[p, v], drop]) => {
    const copy = structuredClone(base) as Record<string, any>;
    const keys = p.split('.');
    let at = copy;
    for (const k of keys.slice(0, -1)) at = at[k] ?? (at[k] = {});
    if (drop) delete at[keys.at(-1)!];
    else at[keys.at(-1)!] = v;
    return JSON.stringify(copy);
  });
}

const junk = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.constantFrom('{', '[', '{"a":', '\u0000', '{"__proto__":{"x":1}}', `{"pad":"${'y'.repeat(300 * 1024)}"}`),
);

describe('fuzzed bodies on the local stack', () => {
  let stack: LocalStack;
  let archiveDir: string;
  const client = keepAliveClient();
  beforeAll(async () => {
    stack = await testStack();
    archiveDir = path.join(path.dirname(stack.urls.outbox), 'archive');
    await postBilling(stack, customerEvent('fuzz-c'));
    await postBilling(stack, invoiceEvent('fuzz-c', 'fuzz-inv', '2026-11-20', '1000.00'));
    // Let anything the stack writes in the background settle before counting.
    for (let last = '', i = 0; i < 20; i++) {
      const now = await stored();
      if (now === last) break;
      last = now;
      await new Promise((r) => setTimeout(r, 500));
    }
  });
  afterAll(async () => {
    client.close();
    await stack?.stop();
  });

  const stored = async () => {
    const items = (await stack.doc.send(new ScanCommand({ TableName: stack.tableName, Select: 'COUNT', ConsistentRead: true }))).Count ?? 0;
    const files = (await readdir(archiveDir, { recursive: true }).catch(() => [] as string[])).length;
    return `${items} items, ${files} archive entries`;
  };

  /** Posts one body; asserts the answer and, for an invalid body, that nothing was stored. */
  async function check(route: string, body: string, headers: Record<string, string>, seen: Map<number, number>) {
    const before = await stored();
    let res: Awaited<ReturnType<typeof client.request>>;
    try {
      res = await client.request(`${stack.urls.http}${route}`, { body, headers });
    } catch (err) {
      throw new Error(`${route}: the connection dropped (${(err as Error).message}) for body ${JSON.stringify(body.slice(0, 200))}`);
    }
    seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
    expect(res.status, `${route} answered ${res.status} ${res.body.slice(0, 300)} to ${JSON.stringify(body.slice(0, 200))}`).toBeLessThan(500);
    let code: string | undefined;
    try {
      code = JSON.parse(res.body)?.error?.code;
    } catch {
      code = undefined;
    }
    if (code && INVALID.has(code)) expect(await stored(), `${route} stored something for an invalid body ${JSON.stringify(body.slice(0, 200))}`).toBe(before);
  }

  const billingBase = {
    eventId: 'evt-fuzz',
    type: 'payment.received',
    data: { customerId: 'fuzz-c', paymentId: 'p-fuzz', date: '2026-11-20', amount: { amount: '10.00', currency: 'RUB' }, invoiceIds: ['fuzz-inv'] },
  };
  const yookassaBase = {
    type: 'notification',
    event: 'payment.succeeded',
    object: {
      id: 'yk-fuzz',
      status: 'succeeded',
      amount: { value: '10.00', currency: 'RUB' },
      captured_at: '2026-11-20T10:00:00.000Z',
      created_at: '2026-11-20T09:00:00.000Z',
      metadata: { claimflow_customer_id: 'fuzz-c', claimflow_invoice_id: 'fuzz-inv' },
    },
  };
  const stripeBase = {
    id: 'evt_fuzz',
    object: 'event',
    type: 'payment_intent.succeeded',
    created: 1795000000,
    data: {
      object: {
        id: 'pi_fuzz',
        object: 'payment_intent',
        amount_received: 1000,
        currency: 'rub',
        created: 1795000000,
        metadata: { claimflow_customer_id: 'fuzz-c', claimflow_invoice_id: 'fuzz-inv' },
      },
    },
  };
  const cpBase = {
    TransactionId: 900100,
    Amount: '10.00',
    Currency: 'RUB',
    InvoiceId: 'fuzz-inv',
    AccountId: 'fuzz-c',
    OperationType: 'Payment',
    Status: 'Completed',
    DateTime: '2026-11-20 10:00:00',
  };

  const routes: { name: string; route: string; bodies: fc.Arbitrary<string>; headers: (body: string) => Record<string, string> }[] = [
    {
      name: 'billing',
      route: '/webhooks/billing',
      bodies: fc.oneof(
        mutated(
          billingBase,
          ['type', 'data', 'data.date', 'data.amount', 'data.amount.amount', 'data.amount.currency', 'data.invoiceIds'],
          ['eventId', 'data.customerId', 'data.paymentId'],
        ),
        junk,
      ),
      headers: (b) => ({ 'content-type': 'application/json', [BILLING_SIGNATURE_HEADER]: signBilling(b, LOCAL_SECRETS.billing, Math.floor(Date.now() / 1000)) }),
    },
    {
      name: 'stripe',
      route: '/webhooks/stripe',
      bodies: fc.oneof(
        mutated(
          stripeBase,
          ['type', 'created', 'data', 'data.object', 'data.object.amount_received', 'data.object.currency', 'data.object.created', 'data.object.metadata'],
          ['id', 'data.object.metadata.claimflow_customer_id'],
        ),
        junk,
      ),
      headers: (b) => ({ 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: b, secret: LOCAL_SECRETS.stripe }) }),
    },
    {
      name: 'yookassa',
      route: '/webhooks/yookassa',
      bodies: fc.oneof(
        mutated(
          yookassaBase,
          ['type', 'object', 'object.amount', 'object.amount.value', 'object.amount.currency', 'object.captured_at', 'object.created_at', 'object.metadata'],
          ['event', 'object.id', 'object.metadata.claimflow_customer_id'],
        ),
        junk,
      ),
      headers: () => ({ 'content-type': 'application/json' }),
    },
    {
      name: 'cloudpayments',
      route: '/webhooks/cloudpayments/pay',
      bodies: fc.oneof(mutated(cpBase, ['TransactionId', 'Amount', 'Currency', 'DateTime'], ['AccountId', 'OperationType', 'Status']), junk),
      headers: (b) => ({ 'content-type': 'application/json', 'content-hmac': signCloudPayments(b, LOCAL_SECRETS.cloudpayments) }),
    },
    {
      name: 'runs',
      route: '/runs',
      // Never a valid request (that would start a run): runDate is always present and broken, or the body is not an object.
      bodies: fc.oneof(
        fc.record({ runDate: badValue, dryRun: fc.oneof(fc.constant(undefined), badValue), rerun: fc.oneof(fc.constant(undefined), badValue) }).map((o) => JSON.stringify(o)),
        junk.filter(
          (b) =>
            !/^\s*(\{\s*\}|""|)\s*$/.test(b) &&
            !(
              b.trim().startsWith('{') &&
              !b.includes('runDate') &&
              (() => {
                try {
                  const v = JSON.parse(b);
                  return v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
                } catch {
                  return false;
                }
              })()
            ),
        ),
      ),
      headers: () => ({ 'content-type': 'application/json' }),
    },
    {
      name: 'operator replay',
      route: '/operator/replay',
      bodies: fc.oneof(
        fc.record({ archiveRef: badValue }).map((o) => JSON.stringify(o)),
        fc.record({ archiveRef: fc.constantFrom('file:///etc/passwd', '../../etc/passwd', 's3://x/y', 'file:///proc/self/environ') }).map((o) => JSON.stringify(o)),
        junk,
      ),
      headers: () => ({ 'content-type': 'application/json', 'x-claimflow-operator': 'fuzzer' }),
    },
  ];

  it.each(routes.map((r) => [r.name, r] as const))(
    '%s: no 5xx, no dropped connection, nothing stored for an invalid body',
    async (_name, r) => {
      // Prepare
      const seen = new Map<number, number>();
      // Act / Assess
      await fc.assert(
        fc.asyncProperty(r.bodies, async (body) => check(r.route, body, r.headers(body), seen)),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
      console.log(`fuzz ${r.name}: ${RUNS} bodies, statuses ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
    },
    300_000,
  );

  it('a valid event is still accepted afterwards, on the same connection', async () => {
    // Prepare
    const body = JSON.stringify({
      eventId: 'evt-after-fuzz',
      type: 'payment.received',
      data: { customerId: 'fuzz-c', paymentId: 'p-after-fuzz', date: '2026-11-21', amount: { amount: '1.00', currency: 'RUB' } },
    });
    // Act
    const res = await client.request(`${stack.urls.http}/webhooks/billing`, {
      body,
      headers: { 'content-type': 'application/json', [BILLING_SIGNATURE_HEADER]: signBilling(body, LOCAL_SECRETS.billing, Math.floor(Date.now() / 1000)) },
    });
    // Assess
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).status).toBe('applied');
    expect(res.reusedSocket).toBe(true);
  });
});
