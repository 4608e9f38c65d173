/**
 * Lambda entry for credit control's machine API: API Gateway HTTP API (payload v2), routes
 * POST /credit/checks and POST /credit/reservations, public like the webhooks and authenticated inside
 * by the HMAC signature (the "credit" keys of the webhook secret document). Thin: maps the event to
 * handleCreditApi (functions/operator/credit-api.ts), the same core the local stack serves.
 *
 * Environment: functions/config.ts FUNCTION_ENV.creditApi (set by infra/constructs/credit.ts).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { loadFunctionConfig } from '../config.js';
import { awsClients } from '../adapters/aws-clients.js';
import { composeCreditApiLambda } from '../adapters/compose.js';
import { errorBody } from '../domain/errors.js';
import { handleCreditApi } from '../operator/credit-api.js';
import { rawBodyOf } from './http-body.js';
import { logger } from './runtime.js';

logger.appendPersistentKeys({ function: 'credit-api' });
// Cold start: a missing or bad variable throws here, naming it.
const deps = composeCreditApiLambda(loadFunctionConfig('creditApi'), awsClients());

export const handler = async (event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2> => {
  if (context) logger.addContext(context);
  logger.setCorrelationId(event.requestContext?.requestId);
  try {
    const res = await handleCreditApi(await deps(), {
      method: event.requestContext?.http?.method ?? 'POST',
      path: event.rawPath ?? event.requestContext?.http?.path ?? '',
      headers: event.headers ?? {},
      rawBody: rawBodyOf(event),
    });
    logger.info('credit request', { path: event.rawPath, status: res.statusCode });
    return { statusCode: res.statusCode, headers: res.headers, body: res.body };
  } catch (err) {
    logger.error('credit handler failed', { error: err as Error });
    const { status, body } = errorBody(err);
    return { statusCode: status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
  } finally {
    logger.resetKeys();
  }
};
