/** functions/handlers/http-body.ts: the one decoding of an HTTP API body, used by the webhook and credit-api handlers. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rawBodyOf } from '../../../functions/handlers/http-body.js';

describe('rawBodyOf', () => {
  it('gives the same bytes whether API Gateway sent the body as text or base64', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        // Prepare
        const bytes = Buffer.from(text, 'utf8');
        // Act
        const plain = rawBodyOf({ body: text, isBase64Encoded: false });
        const encoded = rawBodyOf({ body: bytes.toString('base64'), isBase64Encoded: true });
        // Assess
        expect(plain.equals(bytes)).toBe(true);
        expect(encoded.equals(bytes)).toBe(true);
      }),
    );
  });

  it('an absent body is empty', () => {
    // Act / Assess
    expect(rawBodyOf({ isBase64Encoded: false }).length).toBe(0);
    expect(rawBodyOf({ body: '', isBase64Encoded: true }).length).toBe(0);
  });
});
