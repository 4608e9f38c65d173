/**
 * Local secrets and defaults (issue 12, item 8): the *_SECRETS variables are merged into the local
 * stack's secrets, and every local service (HTTP, local SES, DynamoDB Local) listens on 127.0.0.1 only.
 */
import net from 'node:net';
import os from 'node:os';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SECRETS, type LocalStack } from '../../bin/local/stack.js';
import { signCloudPayments } from '../../functions/ingest/cloudpayments.js';
import { customerEvent, postBilling, testStack } from '../support/local-stack.js';

const otherAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

const connects = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, host);
    s.setTimeout(2_000, () => {
      s.destroy();
      resolve(false);
    });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('local secrets and defaults', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await testStack({
      env: { STRIPE_WEBHOOK_SECRETS: 'whsec_from_env_1, whsec_from_env_2', CLOUDPAYMENTS_API_SECRETS: 'cp-from-env', BILLING_WEBHOOK_SECRETS: 'billing-from-env' },
    });
    await postBilling(stack, customerEvent('env-secrets-c'));
  });
  afterAll(async () => stack?.stop());

  it('accepts Stripe events signed with a secret from STRIPE_WEBHOOK_SECRETS, and the built-in one', async () => {
    // Prepare
    const raw = (id: string) =>
      JSON.stringify({ id, object: 'event', type: 'customer.created', created: Math.floor(Date.now() / 1000), data: { object: { id: 'cus_x', object: 'customer' } } });
    const post = (body: string, secret: string) =>
      fetch(`${stack.urls.http}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret }) },
        body,
      });
    // Act
    const fromEnv = await post(raw('evt_env_1'), 'whsec_from_env_2');
    const builtIn = await post(raw('evt_env_2'), LOCAL_SECRETS.stripe);
    const unknown = await post(raw('evt_env_3'), 'whsec_nobody');
    // Assess
    expect(fromEnv.status).toBe(200);
    expect(builtIn.status).toBe(200);
    expect(unknown.status).toBe(401);
  });

  it('accepts CloudPayments and billing events signed with secrets from the environment', async () => {
    // Prepare
    const body = new URLSearchParams({
      TransactionId: '1',
      Amount: '1.00',
      Currency: 'RUB',
      AccountId: 'env-secrets-c',
      OperationType: 'Payment',
      Status: 'Declined',
      DateTime: '2026-11-23 10:00:00',
    }).toString();
    // Act
    const cp = await fetch(`${stack.urls.http}/webhooks/cloudpayments/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-hmac': signCloudPayments(body, 'cp-from-env') },
      body,
    });
    const billing = await postBilling(stack, customerEvent('env-secrets-d'), { secret: 'billing-from-env' });
    // Assess
    expect(cp.status).toBe(200);
    expect(billing.status).toBe(200);
  });

  it.skipIf(!otherAddress)('no local service answers on a non-loopback address', async () => {
    // Prepare
    const ports = [new URL(stack.urls.http).port, new URL(stack.urls.dynamo).port, new URL(stack.ses.endpoint).port].map(Number);
    // Act
    const onLoopback = await Promise.all(ports.map((p) => connects('127.0.0.1', p)));
    const onOther = await Promise.all(ports.map((p) => connects(otherAddress!, p)));
    // Assess
    expect(onLoopback).toEqual([true, true, true]);
    expect(onOther).toEqual([false, false, false]);
  });
});
