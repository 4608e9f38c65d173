/**
 * Lambda entry for the operator API: API Gateway HTTP API (payload v2), route ANY /operator/{proxy+}
 * with the IAM authorizer (SigV4-signed requests; policy OperatorApiAccess). Thin: maps the event to
 * handleOperator (functions/operator/router.ts); the caller's IAM ARN is the audited principal.
 *
 * Environment: functions/config.ts FUNCTION_ENV.operatorApi (set by the stack with each grant).
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { loadFunctionConfig } from '../config.js';
import { awsClients } from '../adapters/aws-clients.js';
import { composeOperatorLambda } from '../adapters/compose.js';
import { errorBody } from '../domain/errors.js';
import { handleOperator } from '../operator/router.js';
import { identityFromJwtClaims } from '../operator/identity.js';
import { logger, once } from './runtime.js';

// Cold start: a missing or bad variable throws here, naming it.
const config = loadFunctionConfig('operatorApi');
const operator = once(() => composeOperatorLambda(config, awsClients(), logger));

export const handler = async (event: APIGatewayProxyEventV2WithIAMAuthorizer, context?: Context): Promise<APIGatewayProxyStructuredResultV2> => {
  if (context) logger.addContext(context);
  logger.setCorrelationId(event.requestContext?.requestId);
  try {
    const principal = event.requestContext?.authorizer?.iam?.userArn ?? undefined;
    // The console's routes (/console/operator/…) carry a Cognito JWT checked by API Gateway's JWT authorizer.
    const identity = identityFromJwtClaims((event.requestContext?.authorizer as { jwt?: { claims?: Record<string, unknown> } } | undefined)?.jwt?.claims);
    const body = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body) : undefined;
    const res = await handleOperator(await operator(), {
      method: event.requestContext?.http?.method ?? 'GET',
      path: event.rawPath ?? event.requestContext?.http?.path ?? '',
      query: event.queryStringParameters ?? {},
      headers: event.headers ?? {},
      body,
      ...(principal ? { principal } : {}),
      ...(identity ? { identity } : {}),
    });
    logger.info('operator request', { method: event.requestContext?.http?.method, path: event.rawPath, status: res.statusCode, principal });
    return { statusCode: res.statusCode, headers: res.headers, body: res.body, ...(res.isBase64Encoded ? { isBase64Encoded: true } : {}) };
  } catch (err) {
    logger.error('operator handler failed', { error: err as Error });
    const { status, body } = errorBody(err);
    return { statusCode: status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
  } finally {
    logger.resetKeys();
  }
};
