/**
 * The IAM cross-check (issue 17, "Tests that keep it so"): every Lambda's own handler module runs here
 * with the environment its function gets in the synthesized stack (tokens replaced by stand-in names),
 * over DynamoDB Local (every DynamoDB call real) and aws-sdk-client-mock for S3, SES, Step Functions,
 * SQS, Secrets Manager, SSM and Lambda. Each AWS SDK command a handler sends is recorded, mapped to
 * the IAM action and resource it needs (test/support/iam.ts: GetItem → dynamodb:GetItem on the table,
 * GetObject with a VersionId → s3:GetObjectVersion on the key, SendRawEmail → ses:SendRawEmail on the
 * identity and configuration set, Invoke → lambda:InvokeFunction …) and checked against the policy
 * statements of that function's role in the template (Template.fromStack). The other direction, what
 * a role is granted that no recorded command used, must equal the written allowlist below.
 *
 * A removed grant fails the check (the last tests take one grant out of a copy of the statements).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { Template } from 'aws-cdk-lib/assertions';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { ClaimflowCredit } from '../../infra/constructs/credit.js';
import { HANDLERS, type HandlerRole } from '../../infra/service-stack.js';
import { buildTestApp, flattenJoin, statementsOfRole } from '../infra/support.js';
import { freshTable } from '../support/dynamo.js';
import { grantsOf, missingGrants, needsOf, unusedGrants, type Need, type ResourceArns, type SentCommand, type Statement } from '../support/iam.js';
import { createAwsClients, awsClients } from '../../functions/adapters/aws-clients.js';
import { DynamoLedger } from '../../functions/adapters/compose-ledger.js';
import { DynamoDunningStore } from '../../functions/adapters/dynamo-dunning.js';
import { DynamoClaims } from '../../functions/adapters/dynamo-claims.js';
import { entryKey } from '../../functions/domain/ledger/index.js';
import { demoLedger, demoSentLetters } from '../../bin/local/demo.js';
import { signBilling, BILLING_SIGNATURE_HEADER } from '../../functions/ingest/billing.js';
import { emptyTotals } from '../../functions/app/run-totals.js';
import { bankFile } from './operator/world.js';

/**
 * Granted but not used by any recorded command, with the reason. Everything else a role is granted
 * must be used by its handler here, and everything a handler sends must be granted.
 */
const ALLOWLIST: { grant: RegExp; roles: HandlerRole[] | 'all'; reason: string }[] = [
  { grant: /^logs:(CreateLogStream|PutLogEvents) /, roles: 'all', reason: 'the Lambda runtime writes the function log, not the handler' },
  { grant: /^xray:(PutTraceSegments|PutTelemetryRecords) \*$/, roles: 'all', reason: 'active tracing: the runtime sends the segments' },
  {
    grant: /^s3:ListBucket /,
    roles: 'all',
    reason: 'granted with each readable prefix so that a missing key answers 404 (NoSuchKey) instead of 403; no handler lists',
  },
  { grant: /^sqs:(GetQueueAttributes|GetQueueUrl) /, roles: ['webhook'], reason: "CDK's grantSendMessages adds them; the DLQ adapter only sends" },
  { grant: /^secretsmanager:DescribeSecret /, roles: ['webhook', 'creditApi', 'creditJobs'], reason: "CDK's secret.grantRead adds it; Powertools only calls GetSecretValue" },
  {
    grant: /^sqs:(SendMessage|GetQueueAttributes|GetQueueUrl) \$\{DeadLetters(BankImport|RunTrigger|SesFeedback|WeeklySummary|CreditJobs)Dlq/,
    roles: ['bankImport', 'startRun', 'sesFeedback', 'weeklySummary', 'creditJobs'],
    reason: "the on-failure destination of the function's asynchronous invocations: Lambda sends the failed event there with the function's own role",
  },
  { grant: /^s3:GetObject .*\/bank\/\*$/, roles: ['bankImport'], reason: 'an S3 notification without a version id (the handler accepts those too) reads the current object' },
  {
    grant: /^states:SendTaskSuccess \*$/,
    roles: ['claimCase'],
    reason: 'the wait step answers its own token when the decision was taken before the wait began; here the lawyer approves after it',
  },
  { grant: /^s3:GetObject .*\/letters\/\*$/, roles: ['processCustomer'], reason: 'not sent on the paths run here (readWrite on letters/); not shown to be needed' },
  ...tableGroupLeftovers({
    operatorApi: ['ConditionCheckItem', 'DeleteItem', 'UpdateItem'],
    bankImport: ['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'UpdateItem'],
    processCustomer: ['BatchGetItem', 'ConditionCheckItem', 'DeleteItem'],
    summarizeRun: ['ConditionCheckItem', 'GetItem', 'UpdateItem'],
    weeklySummary: ['BatchGetItem', 'Query'],
    claimCase: ['BatchGetItem', 'ConditionCheckItem', 'DeleteItem'],
    webhook: ['BatchGetItem', 'ConditionCheckItem'],
    creditApi: ['BatchGetItem', 'ConditionCheckItem', 'PutItem', 'Query', 'UpdateItem'],
    creditJobs: ['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'UpdateItem'],
  }),
];

/**
 * Table actions each role gets from its access group (infra/constructs/bindings.ts TABLE_ACCESS:
 * read / write / writeDelete) that its handler did not send on the paths run here. Not shown to be
 * needed: candidates for a narrower grant. Listed exactly, so a newly unused one fails the check.
 */
function tableGroupLeftovers(byRole: Partial<Record<HandlerRole, string[]>>) {
  return Object.entries(byRole).map(([role, actions]) => ({
    grant: new RegExp(`^dynamodb:(${actions.join('|')}) `),
    roles: [role as HandlerRole],
    reason: 'table access group grant not sent on the paths run here (see tableGroupLeftovers)',
  }));
}

const RUN = '2026-11-24';
const EXEC = `dunning-run-${RUN}`;
const STAND_IN = {
  documents: 'cf-documents',
  imports: 'cf-imports',
  dlq: 'https://sqs.eu-central-1.amazonaws.com/123456789012/cf-failed-payloads',
  secret: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:cf-webhook-secrets-AbCdEf',
  runMachine: 'arn:aws:states:eu-central-1:123456789012:stateMachine:cf-dunning-run',
  caseMachine: 'arn:aws:states:eu-central-1:123456789012:stateMachine:cf-claim-case',
  worker: 'cf-claim-case',
  reportWorker: 'cf-weekly-summary',
  bus: 'cf-credit',
};
const LAWYER = 'arn:aws:iam::123456789012:user/lawyer';

type Res = Record<string, { Type: string; Properties: Record<string, any> }>;
let res: Res;
let arns: ResourceArns;
let table: string;
const sent = new Map<HandlerRole, SentCommand[]>();
const failures: string[] = [];

// ------------------------------------------------------------------------------------------------ recording

let current: SentCommand[] = [];
let failNextTransaction = false;
const mocks = {
  s3: mockClient(S3Client),
  ses: mockClient(SESClient),
  sfn: mockClient(SFNClient),
  sqs: mockClient(SQSClient),
  secretsmanager: mockClient(SecretsManagerClient),
  ssm: mockClient(SSMClient),
  lambda: mockClient(LambdaClient),
  events: mockClient(EventBridgeClient),
};
const objects = new Map<string, Uint8Array>();
const bytesOf = (b: unknown): Uint8Array => (typeof b === 'string' ? new TextEncoder().encode(b) : b instanceof Uint8Array ? b : new Uint8Array());

function fakeServices(): void {
  mocks.s3.on(PutObjectCommand).callsFake(async (i) => {
    objects.set(`${i.Bucket}/${i.Key}`, bytesOf(i.Body));
    return {};
  });
  mocks.s3.on(GetObjectCommand).callsFake(async (i) => {
    const body = objects.get(`${i.Bucket}/${i.Key}`);
    if (!body) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    return { Body: { transformToByteArray: async () => body, transformToString: async (enc?: string) => Buffer.from(body).toString((enc ?? 'utf8') as BufferEncoding) } as never };
  });
  mocks.ses.on(SendRawEmailCommand).callsFake(async () => ({ MessageId: `ses-${randomUUID()}` }));
  mocks.sfn.on(StartExecutionCommand).callsFake(async (i) => ({ executionArn: `${i.stateMachineArn}:${i.name}`.replace(':stateMachine:', ':execution:'), startDate: new Date() }));
  mocks.sfn.on(SendTaskSuccessCommand).resolves({});
  mocks.sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  mocks.secretsmanager
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ billing: ['billing-secret'], stripe: [], cloudpayments: [], credit: ['credit-secret'] }) });
  mocks.ssm.on(GetParameterCommand).rejects(Object.assign(new Error('parameter not found'), { name: 'ParameterNotFound' }));
  mocks.lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  mocks.events.on(PutEventsCommand).callsFake(async (i) => ({ FailedEntryCount: 0, Entries: (i.Entries ?? []).map(() => ({ EventId: randomUUID() })) }));
}

/** The commands the mocked clients received since the last call, in order. */
function drainMocks(): SentCommand[] {
  const out: SentCommand[] = [];
  for (const [service, m] of Object.entries(mocks)) {
    for (const call of m.calls()) {
      const cmd = call.args[0] as { constructor: { name: string }; input: Record<string, any> };
      out.push({ service: service as SentCommand['service'], command: cmd.constructor.name.replace(/Command$/, ''), input: cmd.input });
    }
    m.resetHistory();
  }
  return out;
}

/** Records every DynamoDB command the Lambda clients send (the document client's too), before it goes to DynamoDB Local. */
function recordDynamo(): void {
  const clients = awsClients();
  const stacks = new Set<typeof clients.dynamo.middlewareStack>([clients.dynamo.middlewareStack, clients.doc.middlewareStack as unknown as typeof clients.dynamo.middlewareStack]);
  for (const stack of stacks) {
    stack.add(
      (next: any, context: any) => async (args: any) => {
        const command = String(context.commandName).replace(/Command$/, '');
        current.push({ service: 'dynamodb', command, input: args.input });
        if (failNextTransaction && command === 'TransactWriteItems') {
          failNextTransaction = false;
          throw Object.assign(new Error('injected: DynamoDB failed'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });
        }
        return next(args);
      },
      { step: 'initialize', name: `iamRecorder${stacks.size}`, override: true },
    );
  }
}

/** Runs `fn` as role `role`: its commands are recorded under the role; a throw is kept as a finding. */
async function as<T>(role: HandlerRole, label: string, fn: () => Promise<T>): Promise<T | undefined> {
  current = [];
  drainMocks();
  try {
    return await fn();
  } catch (err) {
    failures.push(`${role} ${label}: ${(err as Error).name}: ${(err as Error).message}`);
    return undefined;
  } finally {
    sent.set(role, [...(sent.get(role) ?? []), ...current, ...drainMocks()]);
  }
}

// ------------------------------------------------------------------------------------------------ handlers

const envs = new Map<HandlerRole, Record<string, string>>();
const loaded = new Map<HandlerRole, any>();

/** The role's handler module, imported with the role's synthesized environment (config is read at import). */
async function handlerOf(role: HandlerRole): Promise<(event: unknown, context?: unknown) => Promise<any>> {
  const vars = envs.get(role)!;
  for (const e of envs.values()) for (const k of Object.keys(e)) delete process.env[k];
  Object.assign(process.env, vars);
  if (!loaded.has(role)) loaded.set(role, await import(`../../functions/handlers/${HANDLERS[role].file.replace(/\.ts$/, '.js')}`));
  const h = loaded.get(role).handler as (event: unknown, context?: unknown) => Promise<any>;
  return (event, context) => {
    for (const e of envs.values()) for (const k of Object.keys(e)) delete process.env[k];
    Object.assign(process.env, vars);
    return h(event, context ?? { functionName: role, awsRequestId: randomUUID() });
  };
}

const httpEvent = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => ({
  rawPath: path,
  headers: { 'content-type': 'application/json', ...headers },
  body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  isBase64Encoded: false,
  queryStringParameters: undefined as Record<string, string> | undefined,
  requestContext: { requestId: randomUUID(), http: { method, path, sourceIp: '203.0.113.10' }, authorizer: { iam: { userArn: LAWYER } } },
});
const operatorEvent = (method: string, pathAndQuery: string, body?: unknown) => {
  const [path, query] = pathAndQuery.split('?');
  const e = httpEvent(method, `/operator/${path}`, body, { 'x-claimflow-operator': 'lawyer' });
  if (query) e.queryStringParameters = Object.fromEntries(new URLSearchParams(query));
  return e;
};

beforeAll(async () => {
  // Prepare: the synthesized stack and the stand-ins for its resources.
  const built = buildTestApp({
    'claimflow:sesFromAddress': 'collections@acme.ru',
    'claimflow:legalRolePrincipals': 'user/lawyer',
    'claimflow:digestRecipients': 'collections-team@acme.ru',
    'claimflow:legalTeamRecipients': 'legal@acme.ru',
  });
  res = Template.fromStack(built.service).toJSON().Resources as Res;
  const s = built.service;
  const flat = (token: string) => flattenJoin(s.resolve(token));
  const fresh = await freshTable('iam');
  table = fresh.tableName;
  arns = {
    tables: { [table]: flat(built.stateful.table.tableArn) },
    buckets: { [STAND_IN.documents]: flat(built.stateful.documentsBucket.bucketArn), [STAND_IN.imports]: flat(built.stateful.importsBucket.bucketArn) },
    queues: { [STAND_IN.dlq]: flat(s.deadLetterQueues.failedPayloads.queueArn) },
    secrets: { [STAND_IN.secret]: flat(built.stateful.webhookSecrets.secretArn) },
    stateMachines: { [STAND_IN.runMachine]: flat(s.stateMachine.stateMachineArn), [STAND_IN.caseMachine]: flat(s.claimCaseMachine.stateMachineArn) },
    functions: { [STAND_IN.worker]: flat(s.functions.claimCase.functionArn), [STAND_IN.reportWorker]: flat(s.functions.weeklySummary.functionArn) },
    buses: { [STAND_IN.bus]: flat((s.node.findChild('Credit') as ClaimflowCredit).bus.eventBusArn) },
    arn: (service) => `arn:aws:${service}:eu-central-1:123456789012`,
  };
  const standIn: Record<string, string> = {
    TABLE_NAME: table,
    BUCKET_NAME: STAND_IN.documents,
    DLQ_URL: STAND_IN.dlq,
    WEBHOOK_SECRETS_ARN: STAND_IN.secret,
    STATE_MACHINE_ARN: STAND_IN.runMachine,
    CLAIM_CASE_STATE_MACHINE_ARN: STAND_IN.caseMachine,
    PACKAGE_WORKER_FUNCTION: STAND_IN.worker,
    REPORT_WORKER_FUNCTION: STAND_IN.reportWorker,
    CREDIT_EVENT_BUS: STAND_IN.bus,
  };
  for (const role of Object.keys(HANDLERS) as HandlerRole[]) {
    const fn = Object.values(res).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === HANDLERS[role].description)!;
    const vars = Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>).map(([k, v]) => {
      if (typeof v === 'string') return [k, k === 'CLAIMFLOW_TEMPLATES_DIR' ? 'templates' : v];
      if (!standIn[k]) throw new Error(`${role}: no stand-in for the token in ${k}`);
      return [k, standIn[k]];
    });
    envs.set(role, Object.fromEntries(vars));
  }
  Object.assign(process.env, {
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: fresh.endpoint,
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  fakeServices();
  recordDynamo();

  // Prepare: the demo book as of the run date (not recorded: another client).
  const seedClients = createAwsClients({ dynamo: { endpoint: fresh.endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } });
  const ledger = new DynamoLedger({ doc: seedClients.doc, tableName: table });
  for (const cmd of demoLedger(RUN as never)) await ledger.apply(cmd, { source: 'demo', eventId: `demo:${entryKey(cmd)}`, receivedAt: new Date().toISOString() });
  const dunning = new DynamoDunningStore({ doc: seedClients.doc, tableName: table });
  for (const l of demoSentLetters(RUN as never)) {
    const rec = { ...l, owner: 'demo', invoiceSetHash: 'demo' };
    await dunning.reserveLetter(rec, { status: 'sending' });
    await dunning.markSent(rec, {});
  }
  objects.set(`${STAND_IN.imports}/bank/statement.txt`, bankFile());
  const claims = new DynamoClaims({ doc: seedClients.doc, tableName: table });

  // Act: every function's handler, as its trigger would call it.
  const webhook = await handlerOf('webhook');
  const billing = (envelope: unknown) => {
    const raw = JSON.stringify(envelope);
    return httpEvent('POST', '/webhooks/billing', raw, { [BILLING_SIGNATURE_HEADER]: signBilling(raw, 'billing-secret', Math.floor(Date.now() / 1000)) });
  };
  const customer = {
    eventId: 'iam-cust-1',
    type: 'customer.upsert',
    data: { customerId: 'iam-1', legalName: 'ООО «Проверка»', taxId: '7801999001', emails: ['iam-1@buyer.example'], locale: 'ru' },
  };
  const invoice = {
    eventId: 'iam-inv-1',
    type: 'invoice.issued',
    data: { customerId: 'iam-1', invoiceId: 'iam-inv-1', number: 'IAM-1', issueDate: '2026-10-01', dueDate: '2026-10-15', amount: { amount: '1000.00', currency: 'RUB' } },
  };
  const accepted = await as('webhook', 'customer + invoice', async () => [await webhook(billing(customer)), await webhook(billing(invoice))]);
  failNextTransaction = true;
  const dead = await as('webhook', 'a failing write goes to the DLQ', () =>
    webhook(billing({ ...invoice, eventId: 'iam-inv-2', data: { ...invoice.data, invoiceId: 'iam-inv-2' } })),
  );

  const startRun = await handlerOf('startRun');
  await as('startRun', 'scheduled start', () => startRun({ scheduledTime: `${RUN}T06:00:00Z` }));

  const findDebtors = await handlerOf('findDebtors');
  const page = await as('findDebtors', 'first page', () => findDebtors({ runDate: RUN, page: { customerIds: [], nextToken: '' }, pageSize: 100 }));
  const processCustomer = await handlerOf('processCustomer');
  const results: any[] = [];
  for (const customerId of (page?.customerIds ?? []) as string[]) {
    const r = await as('processCustomer', customerId, () => processCustomer({ runDate: RUN, customerId, executionName: EXEC, request: { runDate: RUN } }));
    if (r) results.push({ customerId: r.customerId, status: r.status, tally: r.tally });
  }
  const summarizeRun = await handlerOf('summarizeRun');
  const totals = await as('summarizeRun', 'addUp', () => summarizeRun({ action: 'addUp', runDate: RUN, executionName: EXEC, totals: emptyTotals(), batch: results }));
  await as('summarizeRun', 'recordFailure', () =>
    summarizeRun({ action: 'recordFailure', runDate: RUN, executionName: EXEC, customerId: 'iam-1', error: 'LedgerError', cause: 'injected' }),
  );
  await as('summarizeRun', 'finish', () => summarizeRun({ action: 'finish', runDate: RUN, executionName: EXEC, request: { runDate: RUN }, totals }));

  const claimCase = await handlerOf('claimCase');
  const waiting = await claims.listByStatus('awaiting-approval');
  const caseId = waiting[0]?.caseId ?? 'none';
  await as('claimCase', 'record', () => claimCase({ action: 'record', caseId, executionName: 'case-exec' }));
  await as('claimCase', 'wait', () => claimCase({ action: 'wait', caseId, taskToken: 'token-1', executionName: 'case-exec' }));

  const operator = await handlerOf('operatorApi');
  const op = async (method: string, path: string, body?: unknown) => {
    const r = await as('operatorApi', `${method} ${path}`, () => operator(operatorEvent(method, path, body)));
    if (r && r.statusCode >= 400) failures.push(`operatorApi ${method} ${path}: ${r.statusCode} ${r.body}`);
    return r?.body && !r.isBase64Encoded ? JSON.parse(r.body) : r;
  };
  await op('GET', 'runs');
  await op('GET', `runs/${RUN}/view`);
  await op('GET', 'customers');
  await op('GET', 'customers/demo-smirnov/card');
  const paused = await op('POST', 'customers/demo-smirnov/pauses', { until: '2026-12-31', reason: 'the customer disputes the delivery', kind: 'dispute' });
  await op('POST', `customers/demo-smirnov/pauses/${paused?.pause?.pauseId}/resume`, { reason: 'the dispute is settled' });
  await op('POST', 'runs', { runDate: RUN, dryRun: true });
  await op('POST', 'runs', { runDate: '2026-11-27', reason: 'IAM check' });
  await op('GET', 'customers/demo-smirnov/reconciliation?from=2026-01-01&to=2026-11-24&format=pdf');
  await op('GET', `reports/aging?asOf=${RUN}`);
  // Dynamics look for the nightly snapshots' daily totals (reports/snapshots/<date>.totals.json) first.
  await op('GET', `reports/dynamics?asOf=${RUN}&from=2026-11-20&to=${RUN}`);
  const reportJob = await op('POST', 'reports/aging/jobs', { asOf: RUN, format: 'xlsx' });
  await op('GET', 'cases');
  await op('POST', `cases/${caseId}/approve`, { role: 'legal', note: 'ok' });
  const job = await op('POST', `cases/${caseId}/package`, {});
  await op('GET', `package-jobs/${job?.jobId}`);
  const letter = [...objects.keys()].find((k) => k.startsWith(`${STAND_IN.documents}/letters/`))?.slice(STAND_IN.documents.length + 1);
  await op('GET', `documents?key=${encodeURIComponent(letter ?? 'letters/none.pdf')}`);
  await op('POST', 'bank-imports', { fileName: 'statement.txt', contentBase64: Buffer.from(bankFile()).toString('base64') });
  const review = await op('GET', 'review');
  const line = review?.items?.[0];
  if (line) await op('POST', `review/${encodeURIComponent(line.importId)}/${line.line}/resolve`, { outcome: 'dismiss', reason: 'not a customer payment' });
  await op('POST', 'period-close', { through: '2026-01-31', reason: 'year closed' });
  await op('POST', `cases/${caseId}/strategy`, { strategy: 'collect', expectedRecoveryPct: '70' });
  await op('GET', 'audit?customer=demo-smirnov');
  const archived = JSON.parse(accepted?.[1]?.body ?? '{}').archiveRef as string | undefined;
  if (archived) await op('POST', 'replay', { ref: archived });

  await as('claimCase', 'package', () => claimCase({ action: 'package', caseId }));
  await as('claimCase', 'packageJob', () => claimCase({ action: 'packageJob', jobId: job?.jobId ?? 'pkg-x', caseId, by: 'lawyer' }));

  const bankImport = await handlerOf('bankImport');
  await as('bankImport', 'Object Created', () =>
    bankImport({ source: 'aws.s3', 'detail-type': 'Object Created', detail: { bucket: { name: STAND_IN.imports }, object: { key: 'bank/statement.txt', 'version-id': 'v-1' } } }),
  );

  const sesFeedback = await handlerOf('sesFeedback');
  const tags = { customerId: ['demo-smirnov'], letterId: [`${RUN}:demo-smirnov:reminder`] };
  await as('sesFeedback', 'Bounce', () =>
    sesFeedback({
      'detail-type': 'Email Bounced',
      detail: {
        eventType: 'Bounce',
        mail: { messageId: 'm-1', destination: ['x@buyer.example'], tags },
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'x@buyer.example' }] },
      },
    }),
  );
  await as('sesFeedback', 'Send', () =>
    sesFeedback({ 'detail-type': 'Email Sent', detail: { eventType: 'Send', mail: { messageId: 'm-2', tags, timestamp: new Date().toISOString() } } }),
  );

  const creditApi = await handlerOf('creditApi');
  const credit = (path: string, body: unknown) => {
    const raw = JSON.stringify(body);
    return httpEvent('POST', path, raw, { [BILLING_SIGNATURE_HEADER]: signBilling(raw, 'credit-secret', Math.floor(Date.now() / 1000)) });
  };
  const order = { customerId: 'demo-smirnov', orderId: 'iam-order-1', amount: '1000.00', currency: 'RUB', idempotencyKey: 'iam-order-1' };
  for (const path of ['/credit/checks', '/credit/reservations']) {
    const r = await as('creditApi', path, () => creditApi(credit(path, order)));
    if (r && r.statusCode >= 400) failures.push(`creditApi ${path}: ${r.statusCode} ${r.body}`);
  }
  const creditJobs = await handlerOf('creditJobs');
  await as('creditJobs', 'sweep', () => creditJobs({ job: 'sweep', scheduledTime: `${RUN}T21:00:00Z` }));
  await as('creditJobs', 'deliver', () => creditJobs({ job: 'deliver', scheduledTime: `${RUN}T21:01:00Z` }));

  const weekly = await handlerOf('weeklySummary');
  await as('weeklySummary', 'summary', () => weekly({ scheduledTime: `${RUN}T05:00:00Z` }));
  // The report job operator-api invoked it with (the Invoke above is mocked): it builds the file and settles the job.
  const reportBuilt = await as('weeklySummary', 'report-job', () =>
    weekly({ action: 'report-job', jobId: reportJob?.jobId, name: 'aging', params: reportJob?.params ?? {}, by: reportJob?.by ?? 'lawyer' }),
  );
  if (reportBuilt?.status !== 'done') failures.push(`weeklySummary report-job: ${JSON.stringify(reportBuilt)}`);
  const doneJob = await op('GET', `report-jobs/${reportJob?.jobId}`);
  await op('GET', `documents?key=${encodeURIComponent(doneJob?.result?.key ?? 'reports/jobs/none.xlsx')}`);
  await as('weeklySummary', 'snapshot', () => weekly({ snapshot: true, scheduledTime: `${RUN}T20:50:00Z` }));
  // The one-off index back-fills an operator runs after deploying over an older table (no markers here yet).
  const backfilled = await as('weeklySummary', 'index-backfill', () => weekly({ maintenance: 'index-backfill' }));
  if (!backfilled?.search?.ran || !backfilled?.balances?.ran) failures.push(`weeklySummary index-backfill: ${JSON.stringify(backfilled)}`);

  // Kept for the assertions below.
  if (dead?.statusCode && dead.statusCode < 500) failures.push(`webhook: the injected failure answered ${dead.statusCode}`);
}, 300_000);

afterAll(() => {
  for (const m of Object.values(mocks)) m.restore();
});

const roleStatements = (role: HandlerRole): Statement[] => {
  const fn = Object.values(res).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === HANDLERS[role].description)!;
  return statementsOfRole(res, fn.Properties.Role['Fn::GetAtt'][0]) as unknown as Statement[];
};
const needsOfRole = (role: HandlerRole): Need[] => (sent.get(role) ?? []).flatMap((c) => needsOf(c, arns));
const allowed = (role: HandlerRole, grant: string) => ALLOWLIST.some((a) => (a.roles === 'all' || a.roles.includes(role)) && a.grant.test(grant));

describe('IAM cross-check: what each handler sends is what its role grants', () => {
  it('ran every handler through its paths without an unexpected failure', () => {
    // Assess
    expect(failures).toEqual([]);
    for (const role of Object.keys(HANDLERS) as HandlerRole[]) expect(sent.get(role)?.length ?? 0, role).toBeGreaterThan(0);
  });

  it('exercised the commands the issue names: versioned GetObject, SendRawEmail, StartExecution, SendTaskSuccess, Invoke, SendMessage, Scan', () => {
    // Act
    const actions = (role: HandlerRole) => new Set(needsOfRole(role).map((n) => n.action));

    // Assess
    expect(actions('bankImport')).toContain('s3:GetObjectVersion');
    expect(actions('processCustomer')).toContain('ses:SendRawEmail');
    expect(actions('summarizeRun')).toContain('ses:SendRawEmail');
    expect(actions('startRun')).toContain('states:StartExecution');
    expect([...actions('operatorApi')]).toEqual(expect.arrayContaining(['states:StartExecution', 'states:SendTaskSuccess', 'lambda:InvokeFunction', 'dynamodb:Scan']));
    expect([...actions('webhook')]).toEqual(expect.arrayContaining(['sqs:SendMessage', 'secretsmanager:GetSecretValue', 's3:PutObject', 'dynamodb:PutItem']));
    expect([...actions('weeklySummary')]).toEqual(expect.arrayContaining(['dynamodb:Scan', 's3:PutObject', 'ses:SendRawEmail', 'dynamodb:UpdateItem']));
    expect([...actions('creditJobs')]).toEqual(expect.arrayContaining(['events:PutEvents', 'dynamodb:Query']));
    expect([...actions('creditApi')]).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue', 'dynamodb:GetItem']));
  });

  it.each(Object.keys(HANDLERS) as HandlerRole[])('%s: every recorded command is granted to its role', (role) => {
    // Act
    const missing = missingGrants(roleStatements(role), needsOfRole(role));

    // Assess
    expect(missing.map((n) => `${n.action} ${n.resource} (${n.from})`)).toEqual([]);
  });

  it.each(Object.keys(HANDLERS) as HandlerRole[])('%s: nothing is granted that no recorded command used, beyond the allowlist', (role) => {
    // Act
    const unused = unusedGrants(roleStatements(role), needsOfRole(role)).filter((g) => !allowed(role, g));

    // Assess
    expect(unused).toEqual([]);
  });

  it('has no stale allowlist entry: each one excuses a grant some role really has and does not use', () => {
    // Act
    const unused = (Object.keys(HANDLERS) as HandlerRole[]).flatMap((role) => unusedGrants(roleStatements(role), needsOfRole(role)).map((g) => ({ role, g })));
    const stale = ALLOWLIST.filter((a) => !unused.some((u) => (a.roles === 'all' || a.roles.includes(u.role)) && a.grant.test(u.g)));

    // Assess
    expect(stale.map((a) => `${a.grant} (${a.reason})`)).toEqual([]);
  });

  it('reports a grant removed from a copy of the template: s3:GetObjectVersion of bank-import', () => {
    // Prepare
    const copy = structuredClone(roleStatements('bankImport')).map((s) => ({ ...s, Action: [s.Action].flat().filter((a) => a !== 's3:GetObjectVersion') }));

    // Act
    const before = missingGrants(roleStatements('bankImport'), needsOfRole('bankImport'));
    const after = missingGrants(copy, needsOfRole('bankImport'));

    // Assess
    expect(before).toEqual([]);
    expect(after.map((n) => [n.action, n.from])).toEqual([['s3:GetObjectVersion', 's3:GetObject']]);
    expect(after[0]!.resource).toMatch(/Imports.*\/bank\/statement\.txt$/);
  });

  it("reports a removed statement (process-customer's SES send) and a grant narrowed to another resource (operator-api's InvokeFunction)", () => {
    // Prepare
    const noSes = roleStatements('processCustomer').filter((s) => ![s.Action].flat().includes('ses:SendRawEmail'));
    const otherFunction = roleStatements('operatorApi').map((s) =>
      [s.Action].flat().includes('lambda:InvokeFunction') ? { ...s, Resource: ['arn:aws:lambda:eu-central-1:123456789012:function:something-else'] } : s,
    );

    // Act
    const ses = missingGrants(noSes, needsOfRole('processCustomer'));
    const invoke = missingGrants(otherFunction, needsOfRole('operatorApi'));

    // Assess
    expect(new Set(ses.map((n) => n.action))).toEqual(new Set(['ses:SendRawEmail']));
    expect(ses.map((n) => n.resource).sort()).toEqual([
      'arn:aws:ses:eu-central-1:123456789012:configuration-set/claimflow-dev-letters',
      'arn:aws:ses:eu-central-1:123456789012:identity/acme.ru',
    ]);
    // Both of its workers: claim-case (package jobs) and weekly-summary (report jobs).
    expect(invoke.map((n) => n.action)).toEqual(['lambda:InvokeFunction', 'lambda:InvokeFunction']);
  });

  it("reports the report-job grants removed from a copy: operator-api's InvokeFunction on weekly-summary, weekly-summary's UpdateItem of the job", () => {
    // Prepare
    const weeklyArn = arns.functions[STAND_IN.reportWorker]!;
    const noReportInvoke = roleStatements('operatorApi').map((s) =>
      [s.Action].flat().includes('lambda:InvokeFunction') ? { ...s, Resource: [s.Resource].flat().filter((r) => !JSON.stringify(r).includes('WeeklySummary')) } : s,
    );
    const noUpdate = roleStatements('weeklySummary').map((s) => ({ ...s, Action: [s.Action].flat().filter((a) => a !== 'dynamodb:UpdateItem') }));

    // Act
    const before = [...missingGrants(roleStatements('operatorApi'), needsOfRole('operatorApi')), ...missingGrants(roleStatements('weeklySummary'), needsOfRole('weeklySummary'))];
    const invoke = missingGrants(noReportInvoke, needsOfRole('operatorApi'));
    const update = missingGrants(noUpdate, needsOfRole('weeklySummary'));

    // Assess
    expect(before).toEqual([]);
    expect(invoke.map((n) => [n.action, n.resource])).toEqual([['lambda:InvokeFunction', weeklyArn]]);
    expect(new Set(update.map((n) => n.action))).toEqual(new Set(['dynamodb:UpdateItem']));
  });

  it('honours conditions: a SendRawEmail from another address is not granted, a ListBucket outside the prefix is not', () => {
    // Prepare
    const statements = roleStatements('processCustomer');
    const from = (address: string): Need => ({
      action: 'ses:SendRawEmail',
      resource: 'arn:aws:ses:eu-central-1:123456789012:identity/acme.ru',
      context: { 'ses:FromAddress': address },
      from: 'test',
    });
    const list = (prefix: string): Need => ({ action: 's3:ListBucket', resource: arns.buckets[STAND_IN.documents]!, context: { 's3:prefix': prefix }, from: 'test' });

    // Act
    const same = grantsOf(statements, from('Collections@Acme.ru'));
    const other = grantsOf(statements, from('ceo@acme.ru'));

    // Assess
    expect(same).toHaveLength(1);
    expect(other).toEqual([]);
    expect(grantsOf(statements, list('letters/2026-11-24/'))).toHaveLength(1);
    expect(grantsOf(statements, list('cases/'))).toEqual([]);
  });
});
