/**
 * Bad input never gets a 500 (issue 12): an oversized body answers 413 and leaves the kept-alive
 * connection usable; an impossible date is refused on every route; POST /runs answers 400 naming the
 * field.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SECRETS, type LocalStack } from '../../bin/local/stack.js';
import { customerEvent, invoiceEvent, postBilling, testStack } from '../support/local-stack.js';
import { keepAliveClient } from '../support/http-client.js';

describe('bad input on the local stack', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await testStack();
    await postBilling(stack, customerEvent('bad-input-c'));
    await postBilling(stack, invoiceEvent('bad-input-c', 'bad-input-inv', '2026-11-20', '1000.00'));
  });
  afterAll(async () => stack?.stop());

  it.each(['billing', 'stripe', 'yookassa', 'cloudpayments/pay'])('a body over 256 KB on /webhooks/%s answers 413 and the connection serves the next request', async (route) => {
    // Prepare
    const client = keepAliveClient();
    const big = `{"pad":"${'x'.repeat(300 * 1024)}"}`;
    try {
      // Act
      const first = await client.request(`${stack.urls.http}/health`, { method: 'GET' });
      const tooLarge = await client.request(`${stack.urls.http}/webhooks/${route}`, { body: big, headers: { 'content-type': 'application/json' } });
      const after = await client.request(`${stack.urls.http}/health`, { method: 'GET' });
      // Assess
      expect(first.status).toBe(200);
      expect(tooLarge.status).toBe(413);
      expect(JSON.parse(tooLarge.body).error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(after.status).toBe(200);
      expect(after.reusedSocket).toBe(true);
    } finally {
      client.close();
    }
  });

  it('an oversized operator body answers 413 and the connection serves the next request', async () => {
    // Prepare
    const client = keepAliveClient();
    try {
      // Act
      const tooLarge = await client.request(`${stack.urls.http}/operator/replay`, {
        body: `{"archiveRef":"${'a'.repeat(9 * 1024 * 1024)}"}`,
        headers: { 'content-type': 'application/json' },
      });
      const after = await client.request(`${stack.urls.http}/health`, { method: 'GET' });
      // Assess
      expect(tooLarge.status).toBe(413);
      expect(after.status).toBe(200);
      expect(after.reusedSocket).toBe(true);
    } finally {
      client.close();
    }
  });

  it('refuses a YooKassa payment captured on 2026-02-30, stores nothing', async () => {
    // Prepare
    const body = JSON.stringify({
      type: 'notification',
      event: 'payment.succeeded',
      object: {
        id: 'yk-impossible-date',
        status: 'succeeded',
        amount: { value: '100.00', currency: 'RUB' },
        captured_at: '2026-02-30T10:00:00.000Z',
        created_at: '2026-02-27T10:00:00.000Z',
        metadata: { claimflow_customer_id: 'bad-input-c', claimflow_invoice_id: 'bad-input-inv' },
      },
    });
    // Act
    const res = await fetch(`${stack.urls.http}/webhooks/yookassa`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    // Assess
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('object.captured_at');
    const open = await stack.app.ledger.openInvoices('bad-input-c');
    expect(open[0]?.outstanding.amount).toBe('1000.00');
  });

  it.each([
    [
      'billing',
      () =>
        postBilling(stack, {
          eventId: 'evt-bad-date',
          type: 'payment.received',
          data: { customerId: 'bad-input-c', paymentId: 'p-bad', date: '2026-02-30', amount: { amount: '1.00', currency: 'RUB' } },
        }),
    ],
    [
      'billing occurredAt',
      () =>
        postBilling(stack, {
          eventId: 'evt-bad-occ',
          type: 'payment.received',
          occurredAt: '2026-02-30T10:00:00Z',
          data: { customerId: 'bad-input-c', paymentId: 'p-bad2', date: '2026-11-20', amount: { amount: '1.00', currency: 'RUB' } },
        }),
    ],
    [
      'cloudpayments',
      async () => {
        const body = new URLSearchParams({
          TransactionId: '900777',
          Amount: '1.00',
          Currency: 'RUB',
          InvoiceId: 'bad-input-inv',
          AccountId: 'bad-input-c',
          OperationType: 'Payment',
          Status: 'Completed',
          DateTime: '2026-02-30 10:00:00',
        }).toString();
        const res = await fetch(`${stack.urls.http}/webhooks/cloudpayments/pay`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-hmac': createHmac('sha256', LOCAL_SECRETS.cloudpayments).update(body).digest('base64') },
          body,
        });
        return { status: res.status, body: await res.json() };
      },
    ],
  ])('refuses an impossible date on %s', async (_name, post) => {
    // Act
    const res = await post();
    // Assess
    expect(res.status === 400 || (res.status === 200 && (res.body as any).code !== 0)).toBe(true);
    expect((await stack.app.ledger.openInvoices('bad-input-c'))[0]?.outstanding.amount).toBe('1000.00');
  });

  it.each([
    ['{', '(body)'],
    ['{"runDate":"2026-02-30"}', 'runDate'],
    ['{"runDate":"not-a-date"}', 'runDate'],
    ['{"runDate":20261124}', 'runDate'],
    ['{"runDate":"2026-11-24","dryRun":"yes"}', 'dryRun'],
    ['{"runDate":"2026-11-24","rerun":"../x"}', 'rerun'],
    ['[1]', '(body)'],
    ['null', '(body)'],
  ])('POST /runs %s answers 400 naming %s', async (body, field) => {
    // Act
    const res = await fetch(`${stack.urls.http}/runs`, { method: 'POST', body });
    // Assess
    expect(res.status).toBe(400);
    const out = (await res.json()) as any;
    expect(out.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(out.error)).toContain(`"${field}"`);
  });
});
