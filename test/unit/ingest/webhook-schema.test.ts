import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { webhookSchemaText, webhookJsonSchema } from '../../../functions/ingest/schema.js';

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
    const schema = webhookJsonSchema() as { oneOf: { properties: { type: { const: string }; data: { properties: Record<string, { properties?: Record<string, { type?: string; enum?: string[] }> }> } } }[] };
    // Act
    const types = schema.oneOf.map((o) => o.properties.type.const);
    const amount = schema.oneOf.find((o) => o.properties.type.const === 'payment.received')!.properties.data.properties['amount']!;
    // Assess
    expect(types).toEqual(['customer.upsert', 'contract.upsert', 'invoice.issued', 'invoice.voided', 'creditNote.issued', 'payment.received', 'payment.reversed', 'refund.issued', 'writeOff.recorded']);
    expect(amount.properties!['amount']!.type).toBe('string');
    expect(amount.properties!['currency']!.enum).toContain('RUB');
  });
});
