/**
 * The HTTP API (payload v2) body as bytes, for the handlers that verify a signature over the raw body
 * (webhook.ts, credit-api.ts). No side effects: importing it composes nothing.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** Bytes of the body, decoding base64 when API Gateway encoded it. */
export function rawBodyOf(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}
