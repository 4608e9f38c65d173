/**
 * JSON Schema of the billing webhook envelope, generated from the zod schemas (z.toJSONSchema).
 * bin/gen-webhook-docs.ts writes it to docs/webhook-schema.json; a test checks the committed file.
 */
import { z } from 'zod';
import { zCurrency, zDate, zDecimal } from '../domain/ledger/commands.js';
import { CURRENCIES } from '../domain/money.js';
import { zBillingEnvelope } from './billing.js';

export function webhookJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(zBillingEnvelope, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const s = ctx.jsonSchema as Record<string, unknown>;
      if (ctx.zodSchema === zDate) Object.assign(s, { type: 'string', format: 'date', description: 'Calendar date YYYY-MM-DD (a real date).' });
      if (ctx.zodSchema === zCurrency) Object.assign(s, { type: 'string', enum: Object.keys(CURRENCIES), description: 'ISO 4217 code.' });
      if (ctx.zodSchema === zDecimal && !s['description']) {
        s['description'] =
          'Decimal string, never a JSON number: no exponent, no thousands separator, at most as many decimals as the currency has (RUB 2, JPY 0); must not be negative.';
      }
    },
  }) as Record<string, unknown>;
  return {
    $schema: schema['$schema'],
    $id: 'https://claimflow.example/schemas/webhook-envelope.json',
    title: 'claimflow billing webhook envelope',
    description:
      'POST /webhooks/billing. Header X-Claimflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>. `type` selects the ledger command; `data` carries its fields. Generated from the zod schemas by bin/gen-webhook-docs.ts — do not edit.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

export const webhookSchemaText = (): string => `${JSON.stringify(webhookJsonSchema(), null, 2)}\n`;
