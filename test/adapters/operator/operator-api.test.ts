/**
 * The operator Lambda entry: API Gateway HTTP API v2 events with the IAM authorizer are mapped to
 * handleOperator, the caller's IAM ARN is audited as the principal, and binary PDFs come back base64.
 * Runs against a fresh table on DynamoDB Local (endpoint and dummy credentials through the environment).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { freshTable } from '../../support/dynamo.js';
import { DynamoLedger } from '../../../functions/adapters/compose-ledger.js';
import { zLedgerCommand } from '../../../functions/domain/ledger/commands.js';
import { DEFAULT_COMPANY } from '../../../functions/config.js';

let handler: typeof import('../../../functions/handlers/operator-api.js').handler;

function event(method: string, rawPath: string, body?: unknown, query?: Record<string, string>): APIGatewayProxyEventV2WithIAMAuthorizer {
  return {
    version: '2.0',
    routeKey: 'ANY /operator/{proxy+}',
    rawPath,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { 'content-type': 'application/json' },
    ...(query ? { queryStringParameters: query } : {}),
    ...(body === undefined ? {} : { body: Buffer.from(JSON.stringify(body)).toString('base64'), isBase64Encoded: true }),
    isBase64Encoded: body !== undefined,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-central-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '10.0.0.1', userAgent: 'claimflow-cli' },
      requestId: 'req-1',
      routeKey: 'ANY /operator/{proxy+}',
      stage: '$default',
      time: '20/Nov/2026:09:00:00 +0000',
      timeEpoch: 0,
      authorizer: {
        iam: {
          accessKey: 'AKIA…',
          accountId: '123456789012',
          callerId: 'AIDA…',
          cognitoIdentity: null as never,
          principalOrgId: null as never,
          userArn: 'arn:aws:iam::123456789012:user/olga',
          userId: 'AIDA…',
        },
      },
    },
  } as APIGatewayProxyEventV2WithIAMAuthorizer;
}

beforeAll(async () => {
  const { tableName, doc, endpoint } = await freshTable('opapi');
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    BUCKET_NAME: 'claimflow-documents-test',
    STATE_MACHINE_ARN: 'arn:aws:states:eu-central-1:123456789012:stateMachine:claimflow-test-dunning-run',
    COMPANY_REQUISITES: JSON.stringify(DEFAULT_COMPANY),
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const ledger = new DynamoLedger({ doc, tableName });
  await ledger.apply(zLedgerCommand.parse({ type: 'customer.upsert', customerId: 'C1', legalName: 'ООО «Ромашка»', taxId: '7701234567' }), {
    source: 'test',
    eventId: 'c1',
    receivedAt: '2026-11-01T00:00:00Z',
  });
  await ledger.apply(
    zLedgerCommand.parse({
      type: 'invoice.issued',
      customerId: 'C1',
      invoiceId: 'I-1',
      number: '101',
      issueDate: '2026-11-02',
      dueDate: '2099-12-01',
      amount: { amount: '100.00', currency: 'RUB' },
    }),
    { source: 'test', eventId: 'i1', receivedAt: '2026-11-01T00:00:00Z' },
  );
  ({ handler } = await import('../../../functions/handlers/operator-api.js'));
});

describe('operator-api Lambda', () => {
  it('audits the IAM caller as principal (and as the name when no operator header is sent)', async () => {
    // Prepare
    const body = { until: '2099-01-31', reason: 'court hearing pending' };
    // Act
    const created = await handler(event('POST', '/operator/customers/C1/pauses', body));
    const audit = await handler(event('GET', '/operator/audit', undefined, { customer: 'C1' }));
    // Assess
    expect(created.statusCode).toBe(201);
    expect(JSON.parse(created.body!).pause).toMatchObject({ kind: 'manual', until: '2099-01-31', by: 'arn:aws:iam::123456789012:user/olga' });
    expect(JSON.parse(audit.body!).entries).toMatchObject([
      { action: 'pause', by: 'arn:aws:iam::123456789012:user/olga', principal: 'arn:aws:iam::123456789012:user/olga', reason: 'court hearing pending' },
    ]);
  });

  it('returns the PDF statement base64-encoded and field errors as 400', async () => {
    // Prepare
    const query = { from: '2026-11-01', to: '2026-11-30', format: 'pdf' };
    // Act
    const pdf = await handler(event('GET', '/operator/customers/C1/reconciliation', undefined, query));
    const bad = await handler(event('POST', '/operator/period-close', { through: 'yesterday' }));
    // Assess
    expect(pdf.statusCode).toBe(200);
    expect(pdf.isBase64Encoded).toBe(true);
    expect(Buffer.from(pdf.body!, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bad.statusCode).toBe(400);
    expect(
      JSON.parse(bad.body!)
        .error.fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['reason', 'through']);
  });
});
