import { afterEach, describe, expect, it, vi } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { webhookConfigFrom } from '../../../functions/ingest/config.js';
import { loadFunctionConfig } from '../../../functions/config.js';

const webhookEnvFrom = (env: Record<string, string | undefined>) => ({ config: webhookConfigFrom(loadFunctionConfig('webhook', env)) });

const ENV = {
  TABLE_NAME: 'claimflow-test-ledger',
  BUCKET_NAME: 'claimflow-test-documents',
  DLQ_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/failed-payloads',
  BILLING_WEBHOOK_SECRETS: 'billing-secret-0123456789abcdef',
  AWS_REGION: 'eu-central-1',
};
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.resetModules();
});

const event = (body: string, isBase64Encoded: boolean): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /webhooks/billing',
    rawPath: '/webhooks/billing',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body,
    isBase64Encoded,
    requestContext: { requestId: 'req-1', http: { method: 'POST', path: '/webhooks/billing', sourceIp: '203.0.113.9' } },
  }) as unknown as APIGatewayProxyEventV2;

describe('webhook Lambda entry', () => {
  it('fails at cold start naming each missing variable', async () => {
    // Prepare
    process.env = { AWS_REGION: 'eu-central-1' };
    // Act
    const load = import('../../../functions/handlers/webhook.js');
    // Assess
    await expect(load).rejects.toThrow('webhook configuration invalid: TABLE_NAME: is not set; BUCKET_NAME: is not set; DLQ_URL: is not set');
    expect(() => webhookEnvFrom({ ...ENV, BILLING_WEBHOOK_SECRETS: undefined })).toThrow(/WEBHOOK_SECRETS_ARN: is not set \(nor BILLING_WEBHOOK_SECRETS\)/);
  });

  it('measures a base64 body after decoding: 200 KB decoded passes the size check, 300 KB is 413', async () => {
    // Prepare
    process.env = { ...saved, ...ENV };
    const { handler } = await import('../../../functions/handlers/webhook.js');
    const small = Buffer.alloc(200 * 1024, 0x7b).toString('base64'); // 273 KB encoded
    const big = Buffer.alloc(300 * 1024, 0x7b).toString('base64');
    // Act
    const a = await handler(event(small, true));
    const b = await handler(event(big, true));
    // Assess
    expect(small.length).toBeGreaterThan(256 * 1024);
    expect(a.statusCode).toBe(401); // past the size check; unsigned
    expect(b.statusCode).toBe(413);
    expect(JSON.parse(b.body!).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('reads the YooKassa allowlist, tolerance and time zone from the environment', () => {
    // Prepare
    const env = { ...ENV, YOOKASSA_ALLOWLIST: '10.0.0.0/8, ::1', WEBHOOK_TOLERANCE_SECONDS: '120', COMPANY_TIME_ZONE: 'Asia/Yekaterinburg' };
    // Act
    const { config } = webhookEnvFrom(env);
    const bad = () => webhookEnvFrom({ ...ENV, COMPANY_TIME_ZONE: 'Mars/Olympus' });
    // Assess
    expect(config).toMatchObject({
      yookassaAllowedCidrs: ['10.0.0.0/8', '::1'],
      signatureToleranceSeconds: 120,
      timeZone: 'Asia/Yekaterinburg',
      billingSecrets: ['billing-secret-0123456789abcdef'],
    });
    expect(bad).toThrow(/COMPANY_TIME_ZONE: must be an IANA time zone/);
  });
});
