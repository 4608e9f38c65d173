/**
 * Lambda entry for the webhook HTTP API (API Gateway HTTP API, payload v2): routes
 * POST /webhooks/{billing,stripe,yookassa,cloudpayments}. Thin: decodes the event, calls
 * handleWebhook (functions/ingest/http.ts) with adapters built once per module.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoLedger } from '../adapters/compose-ledger.js';
import { S3Archive } from '../adapters/s3-archive.js';
import { createSqsDeadLetters } from '../adapters/sqs-dead-letters.js';
import { readSecretString } from '../adapters/webhook-secrets.js';
import { webhookEnvFrom, withSecrets } from '../ingest/config.js';
import { handleWebhook, type WebhookDeps } from '../ingest/http.js';
import { errorBody, PayloadTooLargeError } from '../domain/errors.js';
import { SDK_LOGGER } from '../adapters/sdk-logger.js';
import { PowertoolsMetrics } from '../adapters/metrics.js';

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'claimflow', persistentKeys: { function: 'webhook' } });
const metrics = new PowertoolsMetrics({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'claimflow' });

// Cold start: a missing or bad variable throws here, naming it.
const { env, config: envConfig } = webhookEnvFrom(process.env);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ logger: SDK_LOGGER }), { marshallOptions: { removeUndefinedValues: true } });
const ledger = new DynamoLedger({ doc, tableName: env.TABLE_NAME });
const archive = new S3Archive({ bucket: env.BUCKET_NAME, prefix: env.ARCHIVE_PREFIX });
const deadLetters = createSqsDeadLetters(env.DLQ_URL);

let depsPromise: Promise<WebhookDeps> | undefined;
function deps(): Promise<WebhookDeps> {
  depsPromise ??= (async () => {
    const config = env.WEBHOOK_SECRETS_ARN ? withSecrets(envConfig, await readSecretString(env.WEBHOOK_SECRETS_ARN)) : envConfig;
    return { ledger, archive, deadLetters, config, now: () => new Date(), logger, metrics };
  })().catch((err: unknown) => {
    depsPromise = undefined; // retry the secret read on the next invocation
    throw err;
  });
  return depsPromise;
}

/** Bytes of the body, decoding base64 when API Gateway encoded it. */
export function rawBodyOf(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

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
