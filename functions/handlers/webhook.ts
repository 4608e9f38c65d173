/**
 * Lambda entry for the webhook HTTP API (API Gateway HTTP API, payload v2): routes
 * POST /webhooks/{billing,stripe,yookassa,cloudpayments}. Thin: decodes the event, calls
 * handleWebhook (functions/ingest/http.ts) with the deps functions/adapters/compose.ts wires.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { loadFunctionConfig } from '../config.js';
import { awsClients } from '../adapters/aws-clients.js';
import { composeWebhookLambda } from '../adapters/compose.js';
import { handleWebhook } from '../ingest/http.js';
import { errorBody, PayloadTooLargeError } from '../domain/errors.js';
import { rawBodyOf } from './http-body.js';
import { logger, metrics } from './runtime.js';

logger.appendPersistentKeys({ function: 'webhook' });
// Cold start: a missing or bad variable throws here, naming it. The signing secrets are read on the
// first request and re-read after WEBHOOK_SECRETS_TTL_SECONDS (a rotated key is used within minutes).
const deps = composeWebhookLambda(loadFunctionConfig('webhook'), awsClients(), logger, metrics);

export const handler = async (event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2> => {
  if (context) logger.addContext(context);
  logger.setCorrelationId(event.requestContext?.requestId);
  try {
    const d = await deps();
    // Cheap pre-check on the encoded length before decoding a huge base64 body.
    if (event.isBase64Encoded && event.body && Math.floor((event.body.length * 3) / 4) - 2 > d.config.maxBodyBytes) {
      const { status, body } = errorBody(new PayloadTooLargeError(`body exceeds ${d.config.maxBodyBytes} bytes`));
      return { statusCode: status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
    }
    const res = await handleWebhook(d, {
      path: event.rawPath ?? event.requestContext?.http?.path ?? '',
      method: event.requestContext?.http?.method,
      headers: event.headers ?? {},
      rawBody: rawBodyOf(event),
      sourceIp: event.requestContext?.http?.sourceIp,
    });
    return { statusCode: res.statusCode, headers: res.headers, body: res.body };
  } catch (err) {
    logger.error('webhook handler failed', { error: err as Error });
    const { status, body } = errorBody(err);
    return { statusCode: status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
  } finally {
    logger.resetKeys();
  }
};
