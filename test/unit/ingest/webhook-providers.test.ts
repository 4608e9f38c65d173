import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { handleWebhook } from '../../../functions/ingest/http.js';
import { ipAllowlist } from '../../../functions/ingest/yookassa.js';
import { signCloudPayments } from '../../../functions/ingest/cloudpayments.js';
import { minorToDecimal } from '../../../functions/ingest/common.js';
import { YOOKASSA_DEFAULT_CIDRS } from '../../../functions/ingest/config.js';
import { CP_SECRET, NOW_S, STRIPE_SECRET, makeDeps } from './fakes.js';

// ---------- Stripe ----------
const stripeEvent = (type: string, object: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'evt_1QabcDEF',
  object: 'event',
  api_version: '2025-03-31.basil',
  created: NOW_S - 5,
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type,
  data: { object, ...extra },
});

const stripeInvoice = (over: Record<string, unknown> = {}) => ({
  id: 'in_1QxyzABC',
  object: 'invoice',
  number: 'F00D-0042',
  currency: 'rub',
  total: 12500050,
  amount_due: 12500050,
  amount_paid: 12500050,
  created: Date.UTC(2026, 10, 10, 22, 30) / 1000, // 2026-11-11 01:30 in Moscow
  due_date: Date.UTC(2026, 10, 25, 12) / 1000,
  paid_out_of_band: false,
  status_transitions: { finalized_at: Date.UTC(2026, 10, 10, 22, 30) / 1000, paid_at: Date.UTC(2026, 10, 19, 9) / 1000 },
  metadata: { claimflow_customer_id: 'cust-romashka', claimflow_invoice_id: 'inv-2026-0415' },
  ...over,
});

function stripeRequest(payload: unknown, opts: { secret?: string; timestamp?: number; header?: string | null } = {}) {
  const raw = JSON.stringify(payload, null, 2);
  const sig =
    opts.header === null
      ? undefined
      : (opts.header ?? Stripe.webhooks.generateTestHeaderString({ payload: raw, secret: opts.secret ?? STRIPE_SECRET, timestamp: opts.timestamp ?? NOW_S }));
  return { path: '/webhooks/stripe', method: 'POST', headers: { 'content-type': 'application/json', ...(sig ? { 'Stripe-Signature': sig } : {}) }, rawBody: raw };
}

describe('Stripe', () => {
  it('verifies a real signed invoice.finalized with the SDK and books invoice.issued in business dates', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    // Act
    const res = await handleWebhook(deps, stripeRequest(stripeEvent('invoice.finalized', stripeInvoice())));
    // Assess
    expect(res.statusCode).toBe(200);
    expect(ledger.calls[0]!.command).toEqual({
      type: 'invoice.issued',
      customerId: 'cust-romashka',
      invoiceId: 'inv-2026-0415',
      number: 'F00D-0042',
      issueDate: '2026-11-11',
      dueDate: '2026-11-25',
      amount: { amount: '125000.50', currency: 'RUB' },
    });
    expect(ledger.calls[0]!.origin.eventId).toBe('evt_1QabcDEF');
    expect(ledger.calls[0]!.origin.source).toBe('stripe');
  });

  it.each([
    ['missing', { header: null }],
    ['signed with another secret', { secret: 'whsec_other_000000000000' }],
    ['expired', { timestamp: NOW_S - 301 }],
  ])('refuses a %s Stripe signature with 401', async (_n, opts) => {
    // Prepare
    const { deps, ledger, archive } = makeDeps();
    // Act
    const res = await handleWebhook(deps, stripeRequest(stripeEvent('invoice.paid', stripeInvoice()), opts));
    // Assess
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('UNAUTHENTICATED');
    expect(ledger.calls).toHaveLength(0);
    expect(archive.items.size).toBe(0);
  });

  it('accepts the second secret during rotation', async () => {
    // Prepare
    const { deps, ledger } = makeDeps({ stripeSecrets: ['whsec_new_000000000000', STRIPE_SECRET] });
    // Act
    const res = await handleWebhook(deps, stripeRequest(stripeEvent('invoice.paid', stripeInvoice())));
    // Assess
    expect(res.statusCode).toBe(200);
    expect(ledger.calls[0]!.command).toMatchObject({
      type: 'payment.received',
      paymentId: 'stripe:in_1QxyzABC',
      date: '2026-11-19',
      amount: { amount: '125000.50', currency: 'RUB' },
      invoiceIds: ['inv-2026-0415'],
      channel: 'stripe',
    });
  });

  it('answers 400 on a signed but malformed body', async () => {
    // Prepare
    const { deps } = makeDeps();
    const raw = '{"id": "evt_1", "type": ';
    const sig = Stripe.webhooks.generateTestHeaderString({ payload: raw, secret: STRIPE_SECRET, timestamp: NOW_S });
    // Act
    const res = await handleWebhook(deps, { path: '/webhooks/stripe', headers: { 'stripe-signature': sig }, rawBody: raw });
    // Assess
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error.fields[0].field).toBe('(body)');
  });

  it('names the missing customer metadata and an unknown currency', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    // Act
    const noCustomer = await handleWebhook(deps, stripeRequest(stripeEvent('invoice.finalized', stripeInvoice({ metadata: {} }))));
    const badCurrency = await handleWebhook(deps, stripeRequest(stripeEvent('invoice.finalized', stripeInvoice({ currency: 'xyz' }))));
    // Assess
    expect(noCustomer.statusCode).toBe(400);
    expect(JSON.parse(noCustomer.body).error.fields).toEqual([{ field: 'data.object.metadata.claimflow_customer_id', message: 'is required to book this event' }]);
    expect(badCurrency.statusCode).toBe(400);
    expect(JSON.parse(badCurrency.body).error.fields).toEqual([{ field: 'data.object.currency', message: 'unknown currency' }]);
    expect(ledger.calls).toHaveLength(0);
  });

  it('books a stand-alone payment intent, and not the payment intent or charge of an invoice (no double count)', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    const standalone = {
      id: 'pi_3Qaa',
      object: 'payment_intent',
      amount_received: 5000,
      currency: 'jpy',
      metadata: { claimflow_customer_id: 'cust-jp', claimflow_invoice_id: 'inv-7, inv-8' },
    };
    const ofInvoice = { id: 'pi_3Qbb', object: 'payment_intent', amount_received: 12500050, currency: 'rub', metadata: {} };
    const charge = { id: 'ch_3Qbb', object: 'charge', amount: 12500050, currency: 'rub', payment_intent: 'pi_3Qbb', metadata: {} };
    // Act
    const a = await handleWebhook(deps, stripeRequest({ ...stripeEvent('payment_intent.succeeded', standalone), id: 'evt_a' }));
    const b = await handleWebhook(deps, stripeRequest({ ...stripeEvent('payment_intent.succeeded', ofInvoice), id: 'evt_b' }));
    const c = await handleWebhook(deps, stripeRequest({ ...stripeEvent('charge.succeeded', charge), id: 'evt_c' }));
    const d = await handleWebhook(deps, stripeRequest({ ...stripeEvent('customer.created', { id: 'cus_1' }), id: 'evt_d' }));
    // Assess
    expect([a.statusCode, b.statusCode, c.statusCode, d.statusCode]).toEqual([200, 200, 200, 200]);
    expect([b, c, d].map((r) => JSON.parse(r.body).status)).toEqual(['ignored', 'ignored', 'ignored']);
    expect(ledger.calls).toHaveLength(1);
    expect(ledger.calls[0]!.command).toMatchObject({
      type: 'payment.received',
      customerId: 'cust-jp',
      paymentId: 'stripe:pi_3Qaa',
      amount: { amount: '5000', currency: 'JPY' },
      invoiceIds: ['inv-7', 'inv-8'],
    });
  });

  it('books only the newly refunded part of charge.refunded, once per refund step', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    const charge = (refunded: number) => ({
      id: 'ch_9',
      object: 'charge',
      amount: 100000,
      amount_refunded: refunded,
      currency: 'rub',
      payment_intent: 'pi_9',
      metadata: { claimflow_customer_id: 'cust-romashka' },
    });
    const first = { ...stripeEvent('charge.refunded', charge(30000), { previous_attributes: { amount_refunded: 0 } }), id: 'evt_r1' };
    const second = { ...stripeEvent('charge.refunded', charge(100000), { previous_attributes: { amount_refunded: 30000 } }), id: 'evt_r2' };
    // Act
    await handleWebhook(deps, stripeRequest(first));
    await handleWebhook(deps, stripeRequest(second));
    const redelivered = await handleWebhook(deps, stripeRequest(second));
    // Assess
    expect(JSON.parse(redelivered.body).status).toBe('duplicate');
    expect([...ledger.stored.values()].map((s) => s.command)).toEqual([
      {
        type: 'refund.issued',
        customerId: 'cust-romashka',
        refundId: 'stripe:ch_9:30000',
        paymentId: 'stripe:pi_9',
        date: '2026-11-20',
        amount: { amount: '300.00', currency: 'RUB' },
      },
      {
        type: 'refund.issued',
        customerId: 'cust-romashka',
        refundId: 'stripe:ch_9:100000',
        paymentId: 'stripe:pi_9',
        date: '2026-11-20',
        amount: { amount: '700.00', currency: 'RUB' },
      },
    ]);
  });

  it('does not book an invoice paid out of band', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    // Act
    const res = await handleWebhook(deps, stripeRequest(stripeEvent('invoice.paid', stripeInvoice({ paid_out_of_band: true }))));
    // Assess
    expect(JSON.parse(res.body).status).toBe('ignored');
    expect(ledger.calls).toHaveLength(0);
  });

  it('converts minor units exactly, leaving zero-decimal currencies undivided', () => {
    // Prepare
    const cases: [number, string, string][] = [
      [1, 'rub', '0.01'],
      [12500050, 'RUB', '125000.50'],
      [999999999999, 'usd', '9999999999.99'],
      [5000, 'jpy', '5000'],
      [5000, 'KRW', '5000'],
    ];
    // Act
    const out = cases.map(([m, c]) => minorToDecimal(m, c));
    // Assess
    expect(out).toEqual(cases.map((c) => c[2]));
  });
});

// ---------- YooKassa ----------
const ykPayment = (over: Record<string, unknown> = {}) => ({
  type: 'notification',
  event: 'payment.succeeded',
  object: {
    id: '2f1a0b3c-000f-5000-8000-1a2b3c4d5e6f',
    status: 'succeeded',
    paid: true,
    amount: { value: '4500.00', currency: 'RUB' },
    income_amount: { value: '4342.50', currency: 'RUB' },
    captured_at: '2026-11-19T21:10:00.000Z',
    created_at: '2026-11-19T21:05:00.000Z',
    description: 'Оплата счета 415',
    metadata: { claimflow_customer_id: 'cust-romashka', claimflow_invoice_id: 'inv-2026-0415' },
    ...over,
  },
});
const ykRequest = (body: unknown, ip: string) => ({
  path: '/webhooks/yookassa',
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  rawBody: JSON.stringify(body),
  sourceIp: ip,
});

describe('YooKassa', () => {
  it.each([
    ['185.71.76.5', true],
    ['185.71.76.31', true],
    ['185.71.76.32', false],
    ['77.75.156.11', true],
    ['77.75.156.12', false],
    ['77.75.154.200', true],
    ['::ffff:185.71.77.1', true],
    ['2a02:5180:0:1::15', true],
    ['2a02:5181::1', false],
    ['10.0.0.1', false],
    ['not-an-ip', false],
  ])('allowlist: %s → %s', (ip, allowed) => {
    // Prepare
    const check = ipAllowlist(YOOKASSA_DEFAULT_CIDRS);
    // Act
    const result = check(ip);
    // Assess
    expect(result).toBe(allowed);
  });

  it('books payment.succeeded from an allowed IPv4 sender, dedupes by event + object id', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    // Act
    const res = await handleWebhook(deps, ykRequest(ykPayment(), '185.71.76.10'));
    const again = await handleWebhook(deps, ykRequest(ykPayment(), '185.71.76.10'));
    // Assess
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(again.body).status).toBe('duplicate');
    expect(ledger.stored.size).toBe(1);
    expect(ledger.calls[0]!.origin.eventId).toBe('payment.succeeded:2f1a0b3c-000f-5000-8000-1a2b3c4d5e6f');
    expect(ledger.calls[0]!.command).toEqual({
      type: 'payment.received',
      customerId: 'cust-romashka',
      paymentId: 'yookassa:2f1a0b3c-000f-5000-8000-1a2b3c4d5e6f',
      date: '2026-11-20', // 21:10 UTC is 00:10 the next day in Moscow
      amount: { amount: '4500.00', currency: 'RUB' },
      invoiceIds: ['inv-2026-0415'],
      channel: 'yookassa',
      reference: 'Оплата счета 415',
    });
  });

  it('accepts an IPv6 sender inside 2a02:5180::/32 and refuses one outside with 401', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    // Act
    const inside = await handleWebhook(deps, ykRequest(ykPayment(), '2a02:5180::abcd'));
    const outside = await handleWebhook(deps, ykRequest(ykPayment({ id: 'other' }), '2001:db8::1'));
    const v4outside = await handleWebhook(deps, ykRequest(ykPayment({ id: 'other' }), '198.51.100.7'));
    // Assess
    expect(inside.statusCode).toBe(200);
    expect(outside.statusCode).toBe(401);
    expect(v4outside.statusCode).toBe(401);
    expect(ledger.calls).toHaveLength(1);
  });

  it('uses a configured allowlist instead of the default', async () => {
    // Prepare
    const { deps } = makeDeps({ yookassaAllowedCidrs: ['127.0.0.1', '::1'] });
    // Act
    const local = await handleWebhook(deps, ykRequest(ykPayment(), '127.0.0.1'));
    const published = await handleWebhook(deps, ykRequest(ykPayment(), '185.71.76.10'));
    // Assess
    expect(local.statusCode).toBe(200);
    expect(published.statusCode).toBe(401);
  });

  it('books refund.succeeded and acknowledges payment.canceled without storing it', async () => {
    // Prepare
    const { deps, ledger, archive } = makeDeps();
    const refund = {
      type: 'notification',
      event: 'refund.succeeded',
      object: {
        id: 'rf-1',
        payment_id: 'pay-1',
        status: 'succeeded',
        amount: { value: '100.50', currency: 'RUB' },
        created_at: '2026-11-20T08:00:00Z',
        metadata: { claimflow_customer_id: 'cust-romashka' },
      },
    };
    const canceled = { type: 'notification', event: 'payment.canceled', object: { id: 'pay-2', status: 'canceled', amount: { value: '10.00', currency: 'RUB' } } };
    // Act
    const r = await handleWebhook(deps, ykRequest(refund, '185.71.77.3'));
    const c = await handleWebhook(deps, ykRequest(canceled, '185.71.77.3'));
    // Assess
    expect(r.statusCode).toBe(200);
    expect(c.statusCode).toBe(200);
    expect(JSON.parse(c.body).status).toBe('ignored');
    expect(ledger.calls.map((x) => x.command)).toEqual([
      {
        type: 'refund.issued',
        customerId: 'cust-romashka',
        refundId: 'yookassa:rf-1',
        paymentId: 'yookassa:pay-1',
        date: '2026-11-20',
        amount: { amount: '100.50', currency: 'RUB' },
      },
    ]);
    expect(archive.items.size).toBe(1);
  });

  it('names YooKassa fields in validation errors', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    // Act
    const res = await handleWebhook(deps, ykRequest(ykPayment({ amount: { value: '12.345', currency: 'RUB' }, metadata: {} }), '185.71.76.10'));
    const res2 = await handleWebhook(deps, ykRequest(ykPayment({ amount: { value: '12.34', currency: 'RUR' } }), '185.71.76.10'));
    // Assess
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error.fields).toEqual([{ field: 'object.metadata.claimflow_customer_id', message: 'is required to book this event' }]);
    expect(JSON.parse(res2.body).error.fields).toEqual([{ field: 'object.amount.currency', message: 'unknown currency' }]);
    expect(ledger.calls).toHaveLength(0);
  });
});

// ---------- CloudPayments ----------
const cpForm = (over: Record<string, string> = {}) =>
  new URLSearchParams({
    TransactionId: '1504327',
    Amount: '10500.00',
    Currency: 'RUB',
    PaymentAmount: '10500.00',
    PaymentCurrency: 'RUB',
    OperationType: 'Payment',
    DateTime: '2026-11-19 22:15:00',
    CardFirstSix: '424242',
    CardLastFour: '4242',
    Status: 'Completed',
    InvoiceId: 'inv-2026-0415',
    AccountId: 'cust-romashka',
    Description: 'Оплата по счету 415',
    TestMode: '0',
    ...over,
  }).toString();
const cpRequest = (raw: string, headers: Record<string, string>, path = '/webhooks/cloudpayments') => ({ path, method: 'POST', headers, rawBody: raw });

describe('CloudPayments', () => {
  it('verifies Content-HMAC over a form body, books Pay and replies {"code":0}', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    const raw = cpForm();
    // Act
    const res = await handleWebhook(deps, cpRequest(raw, { 'content-type': 'application/x-www-form-urlencoded', 'Content-HMAC': signCloudPayments(raw, CP_SECRET) }));
    // Assess
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ code: 0 });
    expect(ledger.calls[0]!.origin.eventId).toBe('pay:1504327');
    expect(ledger.calls[0]!.command).toEqual({
      type: 'payment.received',
      customerId: 'cust-romashka',
      paymentId: 'cloudpayments:1504327',
      date: '2026-11-20',
      amount: { amount: '10500.00', currency: 'RUB' },
      invoiceIds: ['inv-2026-0415'],
      channel: 'cloudpayments',
      reference: 'Оплата по счету 415',
    });
  });

  it('verifies X-Content-HMAC over a JSON body with numeric fields', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    const raw = JSON.stringify({
      TransactionId: 1504400,
      Amount: 99.9,
      Currency: 'RUB',
      DateTime: '2026-11-20 07:00:00',
      Status: 'Completed',
      OperationType: 'Payment',
      AccountId: 'cust-romashka',
    });
    // Act
    const res = await handleWebhook(deps, cpRequest(raw, { 'content-type': 'application/json', 'X-Content-HMAC': signCloudPayments(raw, CP_SECRET) }));
    // Assess
    expect(res.statusCode).toBe(200);
    expect(ledger.calls[0]!.command).toMatchObject({ paymentId: 'cloudpayments:1504400', amount: { amount: '99.90', currency: 'RUB' } });
  });

  it('refuses a missing or wrong HMAC with 401', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    const raw = cpForm();
    // Act
    const missing = await handleWebhook(deps, cpRequest(raw, { 'content-type': 'application/x-www-form-urlencoded' }));
    const wrong = await handleWebhook(deps, cpRequest(raw, { 'Content-HMAC': signCloudPayments(raw, 'other-secret') }));
    const tampered = await handleWebhook(deps, cpRequest(cpForm({ Amount: '1.00' }), { 'Content-HMAC': signCloudPayments(raw, CP_SECRET) }));
    // Assess
    expect([missing.statusCode, wrong.statusCode, tampered.statusCode]).toEqual([401, 401, 401]);
    expect(ledger.calls).toHaveLength(0);
  });

  it('books Refund, acknowledges Fail with {"code":0}, dedupes by TransactionId', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    const refund = cpForm({ TransactionId: '1504999', PaymentTransactionId: '1504327', OperationType: 'Refund', Amount: '500' });
    const fail = new URLSearchParams({
      TransactionId: '1505000',
      Amount: '10.00',
      Currency: 'RUB',
      DateTime: '2026-11-20 07:00:00',
      OperationType: 'Payment',
      Reason: 'InsufficientFunds',
      ReasonCode: '5051',
      AccountId: 'cust-romashka',
    }).toString();
    const sign = (raw: string) => ({ 'Content-HMAC': signCloudPayments(raw, CP_SECRET) });
    // Act
    const r1 = await handleWebhook(deps, cpRequest(refund, sign(refund)));
    const r2 = await handleWebhook(deps, cpRequest(refund, sign(refund)));
    const f = await handleWebhook(deps, cpRequest(fail, sign(fail)));
    // Assess
    expect([r1.statusCode, r2.statusCode, f.statusCode]).toEqual([200, 200, 200]);
    expect(JSON.parse(f.body)).toEqual({ code: 0 });
    expect(ledger.stored.size).toBe(1);
    expect(ledger.calls[0]!.command).toEqual({
      type: 'refund.issued',
      customerId: 'cust-romashka',
      refundId: 'cloudpayments:1504999',
      paymentId: 'cloudpayments:1504327',
      date: '2026-11-20',
      amount: { amount: '500.00', currency: 'RUB' },
    });
  });

  it('names CloudPayments fields in validation errors', async () => {
    // Prepare
    const { deps } = makeDeps();
    const raw = cpForm({ Amount: '10.555', AccountId: '' });
    const raw2 = cpForm({ Amount: '-5.00' });
    // Act
    const res = await handleWebhook(deps, cpRequest(raw, { 'Content-HMAC': signCloudPayments(raw, CP_SECRET) }));
    const res2 = await handleWebhook(deps, cpRequest(raw2, { 'Content-HMAC': signCloudPayments(raw2, CP_SECRET) }));
    // Assess
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error.fields).toEqual([{ field: 'AccountId', message: 'is required: it names the claimflow customer' }]);
    expect(JSON.parse(res2.body).error.fields).toEqual([{ field: 'Amount', message: 'must not be negative' }]);
  });
});
