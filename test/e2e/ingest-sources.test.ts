/**
 * The local stack ingests a Stripe event signed with the official SDK, a CloudPayments-signed payment
 * and a 1C bank file; an unmatched bank payment waits in the review list until an operator books it;
 * the reconciliation statement's closing balance equals open invoices minus unapplied credit.
 */
import { readFileSync } from 'node:fs';
import { Decimal } from 'decimal.js';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SECRETS, type LocalStack } from '../../bin/local/stack.js';
import { signCloudPayments } from '../../functions/ingest/cloudpayments.js';
import { customerEvent, invoiceEvent, operatorCall, postBilling, testStack } from '../support/local-stack.js';

const op = (stack: LocalStack, method: string, path: string, body?: unknown) => operatorCall(stack, 'clerk-anna', method, path, body);

describe('ingestion sources on the local stack', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await testStack();
    // Customers matching the 1C fixture's payers, and one paying by card.
    await postBilling(stack, customerEvent('romashka', { taxId: '7701234567', kpp: '770101001' }));
    await postBilling(stack, invoiceEvent('romashka', 'inv-415', '2026-11-20', '125000.50', { number: '415' }));
    await postBilling(stack, customerEvent('ip-sidorov', { taxId: '502712345678' }));
    await postBilling(stack, invoiceEvent('ip-sidorov', 'inv-416', '2026-11-20', '20000.00', { number: '416' }));
    await postBilling(stack, invoiceEvent('ip-sidorov', 'inv-417', '2026-11-21', '30000.00', { number: '417' }));
    await postBilling(stack, customerEvent('card-buyer', { taxId: '7702000001' }));
    await postBilling(stack, invoiceEvent('card-buyer', 'inv-c1', '2026-11-20', '5000.00'));
    await postBilling(stack, invoiceEvent('card-buyer', 'inv-c2', '2026-11-22', '3000.00'));
  });
  afterAll(async () => stack?.stop());

  it('books a Stripe payment signed with the official SDK, once', async () => {
    // Prepare
    const event = {
      id: 'evt_e2e_1',
      object: 'event',
      api_version: '2025-03-31.basil',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'payment_intent.succeeded',
      data: {
        object: {
          id: 'pi_e2e_1',
          object: 'payment_intent',
          amount_received: 500000,
          currency: 'rub',
          created: Math.floor(Date.now() / 1000),
          metadata: { claimflow_customer_id: 'card-buyer', claimflow_invoice_id: 'inv-c1' },
        },
      },
    };
    const raw = JSON.stringify(event);
    const header = Stripe.webhooks.generateTestHeaderString({ payload: raw, secret: LOCAL_SECRETS.stripe });
    const post = () => fetch(`${stack.urls.http}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: raw });
    // Act
    const first = await post();
    const again = await post();
    // Assess
    expect(first.status).toBe(200);
    expect(((await again.json()) as any).status).toBe('duplicate');
    const open = await stack.app.ledger.openInvoices('card-buyer');
    expect(open.map((i) => i.invoiceId)).toEqual(['inv-c2']);
  });

  it('books a CloudPayments payment signed with Content-HMAC and answers {"code":0}', async () => {
    // Prepare
    const body = new URLSearchParams({
      TransactionId: '900001',
      Amount: '1000.00',
      Currency: 'RUB',
      InvoiceId: 'inv-c2',
      AccountId: 'card-buyer',
      OperationType: 'Payment',
      Status: 'Completed',
      DateTime: '2026-11-23 10:00:00',
    }).toString();
    // Act
    const res = await fetch(`${stack.urls.http}/webhooks/cloudpayments/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-hmac': signCloudPayments(body, LOCAL_SECRETS.cloudpayments) },
      body,
    });
    // Assess
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 0 });
    const c2 = (await stack.app.ledger.openInvoices('card-buyer')).find((i) => i.invoiceId === 'inv-c2');
    expect(c2?.outstanding.amount).toBe('2000.00');
  });

  it('imports a 1C bank file (Windows-1251), matches by INN and invoice number, and reviews the rest', async () => {
    // Prepare
    const bytes = readFileSync(new URL('../fixtures/bank/statement-1251.txt', import.meta.url));
    // Act
    const imported = await op(stack, 'POST', 'bank-imports', { fileName: 'statement-1251.txt', contentBase64: bytes.toString('base64') });
    // Assess
    expect(imported.status).toBe(200);
    expect(imported.body.imported).toBeGreaterThanOrEqual(2);
    expect(imported.body.errors.map((e: any) => e.line)).toEqual(expect.arrayContaining([72]));
    expect((await stack.app.ledger.openInvoices('romashka')).map((i) => i.invoiceId)).not.toContain('inv-415');
    const review = await op(stack, 'GET', 'review');
    expect(review.body.items.length).toBeGreaterThan(0);
  });

  it('an operator books a reviewed bank payment to a customer, once, audited', async () => {
    // Prepare: the payer was unknown at import time; the customer is created afterwards.
    await postBilling(stack, customerEvent('north', { taxId: '7899999999' }));
    const review = (await op(stack, 'GET', 'review')).body.items as any[];
    const item = review.find((i) => i.document?.payerInn === '7812345678') ?? review[0];
    const path = `review/${encodeURIComponent(item.importId)}/${item.line}/resolve`;
    // Act
    const booked = await op(stack, 'POST', path, { outcome: 'book', customerId: 'north', reason: 'ИНН сменился, подтверждено письмом' });
    const again = await op(stack, 'POST', path, { outcome: 'book', customerId: 'north', reason: 'retry' });
    // Assess
    expect(booked.status).toBe(200);
    expect(booked.body).toMatchObject({ status: 'booked', ledger: 'applied' });
    expect(again.status).toBe(409);
    const after = (await op(stack, 'GET', 'review')).body.items as any[];
    expect(after.find((i) => i.importId === item.importId && i.line === item.line)).toBeUndefined();
    const audit = (await op(stack, 'GET', 'audit?customer=north')).body;
    expect(JSON.stringify(audit)).toContain('review.resolve');
  });

  it('the reconciliation closing balance equals open invoices minus unapplied credit', async () => {
    // Act
    const st = (await op(stack, 'GET', 'customers/ip-sidorov/reconciliation?from=2026-01-01&to=2026-11-30')).body;
    // Assess
    const open = (await stack.app.ledger.openInvoices('ip-sidorov')).reduce((s, i) => s.plus(i.outstanding.amount), new Decimal(0));
    const credit = new Decimal(st.atClose?.unappliedCredit ?? '0');
    expect(new Decimal(st.closing.balance).toFixed(2)).toBe(open.minus(credit).toFixed(2));
  });
});
