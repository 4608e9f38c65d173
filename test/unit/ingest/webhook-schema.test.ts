import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { webhookSchemaText, webhookJsonSchema } from '../../../functions/ingest/schema.js';
import { verifyBillingSignature } from '../../../functions/ingest/billing.js';

describe('docs/webhook-schema.json', () => {
  it('equals the schema generated from the zod schemas (run npx tsx bin/gen-webhook-docs.ts after changing them)', () => {
    // Prepare
    const committed = readFileSync(new URL('../../../docs/webhook-schema.json', import.meta.url), 'utf8');
    // Act
    const fresh = webhookSchemaText();
    // Assess
    expect(committed).toBe(fresh);
  });

  it('covers every event type and documents amounts as decimal strings with known currencies', () => {
    // Prepare
    const schema = webhookJsonSchema() as {
      oneOf: { properties: { type: { const: string }; data: { properties: Record<string, { properties?: Record<string, { type?: string; enum?: string[] }> }> } } }[];
    };
    // Act
    const types = schema.oneOf.map((o) => o.properties.type.const);
    const amount = schema.oneOf.find((o) => o.properties.type.const === 'payment.received')!.properties.data.properties['amount']!;
    // Assess
    expect(types).toEqual([
      'customer.upsert',
      'contract.upsert',
      'invoice.issued',
      'invoice.voided',
      'creditNote.issued',
      'payment.received',
      'payment.reversed',
      'refund.issued',
      'writeOff.recorded',
    ]);
    expect(amount.properties!['amount']!.type).toBe('string');
    expect(amount.properties!['currency']!.enum).toContain('RUB');
  });
});

describe('docs/webhooks.md', () => {
  it('carries a correctly signed example request', () => {
    // Prepare
    const md = readFileSync(new URL('../../../docs/webhooks.md', import.meta.url), 'utf8');
    const header = /X-Claimflow-Signature: (t=\d+,v1=[0-9a-f]{64})'/.exec(md)![1]!;
    const body = /--data-binary '(\{"eventId":"1c-2026-11-20-000415".*\})'/.exec(md)![1]!;
    const t = Number(/t=(\d+)/.exec(header)![1]);
    // Act
    const verify = () => verifyBillingSignature(Buffer.from(body), header, ['demo-secret-change-me-0123456789'], new Date(t * 1000), 300);
    // Assess
    expect(verify).not.toThrow();
  });
});
