/**
 * Lambda entry for the operator API: API Gateway HTTP API (payload v2), route ANY /operator/{proxy+}
 * with the IAM authorizer (SigV4-signed requests; policy OperatorApiAccess). Thin: maps the event to
 * handleOperator (functions/operator/router.ts); the caller's IAM ARN is the audited principal.
 *
 * Environment (shared runtime config, functions/config.ts): TABLE_NAME, BUCKET_NAME (archived payloads
 * for replay), STATE_MACHINE_ARN (starting runs), COMPANY_TIME_ZONE, COMPANY_REQUISITES, DUNNING_POLICY,
 * SES_FROM_ADDRESS…; optional COMPANY_ACCOUNTS (bank import: the company's settlement accounts, comma-separated).
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { logger, runtime } from './runtime.js';
import { S3Archive } from '../adapters/s3-archive.js';
import { createSfnStarter } from '../adapters/sfn-starter.js';
import { startRun } from '../app/start-run.js';
import { defaultWebhookConfig } from '../ingest/config.js';
import { errorBody } from '../domain/errors.js';
import { handleOperator, type OperatorRouterDeps } from '../operator/router.js';
import { companyInfo, operatorDeps } from '../operator/deps.js';
import { SDK_LOGGER } from '../adapters/sdk-logger.js';
import { parseReportsConfig } from '../domain/reports/config.js';
import { identityFromJwtClaims, stepFunctionsExecutionUrl } from '../operator/identity.js';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ logger: SDK_LOGGER }), { marshallOptions: { removeUndefinedValues: true } });

let deps: OperatorRouterDeps | undefined;
function operator(): OperatorRouterDeps {
  if (deps) return deps;
  const { config, app } = runtime();
  const accounts = (process.env.COMPANY_ACCOUNTS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  deps = operatorDeps(app, {
    doc,
    tableName: config.TABLE_NAME,
    timeZone: config.COMPANY_TIME_ZONE,
    company: companyInfo(config.COMPANY_REQUISITES),
    logger,
    legalPrincipals: config.LEGAL_ROLE_PRINCIPALS,
    reportsConfig: parseReportsConfig(process.env.REPORTS_CONFIG),
    ...(config.STATE_MACHINE_ARN ? { executionUrl: stepFunctionsExecutionUrl(config.STATE_MACHINE_ARN) } : {}),
    ...(config.STATE_MACHINE_ARN
      ? {
          runs: {
            launch: (req) =>
              startRun({ starter: createSfnStarter(config.STATE_MACHINE_ARN!), timeZone: config.COMPANY_TIME_ZONE, now: () => new Date() }, req),
          },
        }
      : {}),
    ...(config.BUCKET_NAME ? { replay: { archive: new S3Archive({ bucket: config.BUCKET_NAME, prefix: process.env.ARCHIVE_PREFIX ?? 'archive/' }), config: defaultWebhookConfig({ timeZone: config.COMPANY_TIME_ZONE }) } } : {}),
    ...(accounts.length ? { bankConfig: { companyAccounts: accounts } } : {}),
  });
  return deps;
}

export const handler = async (event: APIGatewayProxyEventV2WithIAMAuthorizer, context?: Context): Promise<APIGatewayProxyStructuredResultV2> => {
  if (context) logger.addContext(context);
  logger.setCorrelationId(event.requestContext?.requestId);
  try {
    const principal = event.requestContext?.authorizer?.iam?.userArn ?? undefined;
    // The console's routes (/console/operator/…) carry a Cognito JWT checked by API Gateway's JWT authorizer.
    const identity = identityFromJwtClaims((event.requestContext?.authorizer as { jwt?: { claims?: Record<string, unknown> } } | undefined)?.jwt?.claims);
    const body = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body) : undefined;
    const res = await handleOperator(operator(), {
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
