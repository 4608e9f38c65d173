/**
 * Property tests of the synthesized templates (fast mode: no bundling, no CloudFormation validation).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { STATE, THROTTLE_ERRORS, TRANSIENT_ERRORS } from '../../workflows/dunning-run.js';
import { DEFAULT_MAX_CONCURRENCY } from '../../infra/config.js';
import { APPROVAL_TIMEOUT, CLAIM_CASE_TIMEOUT, CLAIM_STATE, WAIT_FOR_TOKEN_RESOURCE } from '../../workflows/claim-case.js';
import { HANDLERS, WEBHOOK_ROUTES, API_THROTTLE } from '../../infra/service-stack.js';
import { CREDIT_ROUTES } from '../../infra/constructs/credit.js';
import { WILDCARD_RULES, type WildcardFinding } from '../../infra/nag.js';
import { asArray, buildTestApp, flattenJoin, statementsOfRole } from './support.js';
import { parseMailbox } from '../../functions/adapters/ses-mailer.js';

type Res = Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

const BASE = { 'claimflow:sesFromAddress': 'collections@acme.ru', 'claimflow:alarmEmail': 'ops@acme.ru' };

let service: Template;
let stateful: Template;
let sr: Res;
let st: Res;

const ofType = (r: Res, type: string) => Object.entries(r).filter(([, v]) => v.Type === type);
const logicalIdOf = (r: Res, type: string, pred: (p: Record<string, any>) => boolean) => {
  const hit = Object.entries(r).find(([, v]) => v.Type === type && pred(v.Properties));
  if (!hit) throw new Error(`no ${type} matches`);
  return hit[0];
};
/** Function logical id → its role logical id. */
const roleOfFunction = (fnId: string) => (sr[fnId]!.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!;
const fnIdByEntry = (role: keyof typeof HANDLERS) => logicalIdOf(sr, 'AWS::Lambda::Function', (p) => p.Description === HANDLERS[role].description);
const actionsOf = (s: Record<string, any>) => asArray<string>(s.Action);
/** CDK's own deploy-time helper (the web console's BucketDeployment copy function), not a claimflow handler. */
const CDK_HELPER = /^CustomCDKBucketDeployment/;
const ROLES = Object.keys(HANDLERS) as (keyof typeof HANDLERS)[];
const stmtsOf = (role: keyof typeof HANDLERS) => statementsOfRole(sr, roleOfFunction(fnIdByEntry(role)));
const machineId = (name: string) => logicalIdOf(sr, 'AWS::StepFunctions::StateMachine', (p) => p.StateMachineName === name);
/** Roles whose policies allow `action` on the given resource (a `{Ref: logicalId}`, or "*"). */
const rolesAllowing = (action: string, resource: unknown) =>
  ROLES.filter((r) => stmtsOf(r).some((s) => actionsOf(s).includes(action) && asArray(s.Resource).some((x) => JSON.stringify(x) === JSON.stringify(resource))));

beforeAll(() => {
  const app = buildTestApp(BASE);
  service = Template.fromStack(app.service);
  stateful = Template.fromStack(app.stateful);
  sr = service.toJSON().Resources as Res;
  st = stateful.toJSON().Resources as Res;
});

describe('stateful stack', () => {
  it('builds the ledger table from TABLE_DESIGN: on-demand, PITR, deletion protection, TTL, SSE, retained', () => {
    // Prepare
    const expected = {
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'GSI1',
          KeySchema: [
            { AttributeName: 'GSI1PK', KeyType: 'HASH' },
            { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
          ],
        }),
        Match.objectLike({
          IndexName: 'GSI2',
          KeySchema: [
            { AttributeName: 'GSI2PK', KeyType: 'HASH' },
            { AttributeName: 'GSI2SK', KeyType: 'RANGE' },
          ],
        }),
      ],
    };

    // Act
    const tables = ofType(st, 'AWS::DynamoDB::Table');

    // Assess
    expect(tables).toHaveLength(1);
    stateful.hasResource('AWS::DynamoDB::Table', { Properties: Match.objectLike(expected), DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('encrypts every bucket, blocks public access, denies non-TLS requests, and versions + logs the data buckets', () => {
    // Prepare
    const buckets = ofType(st, 'AWS::S3::Bucket');
    const policies = ofType(st, 'AWS::S3::BucketPolicy').map(([, p]) => p.Properties);

    // Act
    const withLogs = buckets.filter(([, b]) => b.Properties.LoggingConfiguration);

    // Assess
    expect(buckets).toHaveLength(3);
    for (const [id, b] of buckets) {
      expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(b.DeletionPolicy).toBe('Retain');
      const policy = policies.find((p) => p.Bucket.Ref === id);
      expect(policy?.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      );
    }
    expect(withLogs.map(([id]) => id).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^Documents/), expect.stringMatching(/^Imports/)]));
    for (const [, b] of withLogs) expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const imports = buckets.find(([id]) => id.startsWith('Imports'))![1];
    expect(imports.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
  });

  it('switches to DESTROY and no deletion protection when retainData is false', () => {
    // Prepare
    const app = buildTestApp({ ...BASE, 'claimflow:retainData': 'false' });

    // Act
    const t = Template.fromStack(app.stateful);

    // Assess
    t.hasResource('AWS::DynamoDB::Table', { Properties: Match.objectLike({ DeletionProtectionEnabled: false }), DeletionPolicy: 'Delete' });
  });
});

describe('service stack: functions and IAM', () => {
  it('runs every handler on Node 24, ARM64, with active tracing, JSON-logging env and its own log group', () => {
    // Prepare
    const fns = ofType(sr, 'AWS::Lambda::Function').filter(([id]) => !CDK_HELPER.test(id));

    // Act
    const props = fns.map(([, f]) => f.Properties);

    // Assess
    expect(fns).toHaveLength(Object.keys(HANDLERS).length);
    for (const p of props) {
      expect(p.Runtime).toBe('nodejs24.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.TracingConfig).toEqual({ Mode: 'Active' });
      expect(p.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'claimflow',
        LOG_LEVEL: 'INFO',
        NODE_OPTIONS: expect.stringMatching(/^--enable-source-maps( --max-old-space-size=\d+)?$/),
      });
      expect(p.LoggingConfig.LogGroup).toBeDefined();
      expect(p.ReservedConcurrentExecutions).toBeUndefined();
    }
  });

  it('never grants DynamoDB or S3 actions on "*" and never attaches managed policies to function roles', () => {
    // Prepare
    const policies = ofType(sr, 'AWS::IAM::Policy')
      .filter(([id]) => !CDK_HELPER.test(id))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, any>[]);

    // Act
    const dataOnStar = policies.filter((s) => actionsOf(s).some((a) => /^(dynamodb|s3):/.test(a)) && asArray(s.Resource).includes('*'));
    const starActions = policies.flatMap((s) => actionsOf(s)).filter((a) => /^(dynamodb|s3|ses|sqs|secretsmanager|states):.*\*/.test(a));

    // Assess
    expect(policies.length).toBeGreaterThan(10);
    expect(dataOnStar).toEqual([]);
    expect(starActions).toEqual([]);
    for (const [, r] of ofType(sr, 'AWS::IAM::Role').filter(([id]) => !CDK_HELPER.test(id))) expect(r.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('scopes SES sending to the identity and configuration set, for the functions that send', () => {
    // Prepare
    const senders = Object.keys(HANDLERS).filter((role) =>
      statementsOfRole(sr, roleOfFunction(fnIdByEntry(role as keyof typeof HANDLERS))).some((s) => actionsOf(s).some((a) => a.startsWith('ses:'))),
    );

    // Act
    const stmt = statementsOfRole(sr, roleOfFunction(fnIdByEntry('processCustomer'))).find((s) => actionsOf(s).includes('ses:SendRawEmail'))!;
    const resources = asArray(stmt.Resource).map(flattenJoin).sort();

    // Assess
    expect(senders.sort()).toEqual(['processCustomer', 'summarizeRun', 'weeklySummary']);
    expect(actionsOf(stmt).sort()).toEqual(['ses:SendRawEmail']);
    expect(resources).toEqual(['arn:aws:ses:eu-central-1:123456789012:configuration-set/claimflow-dev-letters', 'arn:aws:ses:eu-central-1:123456789012:identity/acme.ru']);
    expect(stmt.Condition).toEqual({ StringEqualsIgnoreCase: { 'ses:FromAddress': 'collections@acme.ru' } });
  });

  it("allows the sender as the mailer writes it whatever its case, and the sandbox recipients' identities", () => {
    // Prepare
    const app = buildTestApp({ ...BASE, 'claimflow:sesFromAddress': 'Collections@Acme.ru', 'claimflow:sesSandboxRecipients': 'tester@acme.ru,Partner.ru' });
    const res = Template.fromStack(app.service).toJSON().Resources as Res;
    const fnId = Object.entries(res).find(([, v]) => v.Type === 'AWS::Lambda::Function' && v.Properties.Description === HANDLERS.processCustomer.description)![0];
    const roleId = (res[fnId]!.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!;

    // Act
    const stmt = statementsOfRole(res, roleId).find((s) => actionsOf(s).includes('ses:SendRawEmail'))!;
    const sent = (parseMailbox('Collections@Acme.ru') as { address: string }).address;
    const [op, cond] = Object.entries(stmt.Condition as Record<string, Record<string, string>>)[0]!;

    // Assess
    expect(op).toBe('StringEqualsIgnoreCase');
    expect(cond['ses:FromAddress']!.toLowerCase()).toBe(sent.toLowerCase());
    expect(res[fnId]!.Properties.Environment.Variables.SES_FROM_ADDRESS).toBe(cond['ses:FromAddress']);
    expect(asArray(stmt.Resource).map(flattenJoin).sort()).toEqual([
      'arn:aws:ses:eu-central-1:123456789012:configuration-set/claimflow-dev-letters',
      'arn:aws:ses:eu-central-1:123456789012:identity/acme.ru',
      'arn:aws:ses:eu-central-1:123456789012:identity/partner.ru',
      'arn:aws:ses:eu-central-1:123456789012:identity/tester@acme.ru',
    ]);
  });

  it('gives table writes, the webhook secret and S3 prefixes only to the functions that need them', () => {
    // Prepare
    const stmts = (role: keyof typeof HANDLERS) => statementsOfRole(sr, roleOfFunction(fnIdByEntry(role)));
    const has = (role: keyof typeof HANDLERS, action: string) => stmts(role).some((s) => actionsOf(s).includes(action));
    const s3Resources = (role: keyof typeof HANDLERS) =>
      stmts(role)
        .filter((s) => actionsOf(s).some((a) => a === 's3:GetObject' || a === 's3:PutObject'))
        .flatMap((s) =>
          asArray(s.Resource)
            .map(flattenJoin)
            .map((r) => `${actionsOf(s).join('+')} ${r.replace(/^.*\}\//, '')}`),
        );

    // Act
    const writers = (Object.keys(HANDLERS) as (keyof typeof HANDLERS)[]).filter((r) => has(r, 'dynamodb:PutItem'));
    const readers = (Object.keys(HANDLERS) as (keyof typeof HANDLERS)[]).filter((r) => has(r, 'dynamodb:Query'));
    const secretReaders = (Object.keys(HANDLERS) as (keyof typeof HANDLERS)[]).filter((r) => has(r, 'secretsmanager:GetSecretValue'));
    const starters = (Object.keys(HANDLERS) as (keyof typeof HANDLERS)[]).filter((r) => has(r, 'states:StartExecution'));

    // Assess (weeklySummary: the index back-fills' CONFIG markers)
    expect(writers.sort()).toEqual(['bankImport', 'claimCase', 'creditApi', 'creditJobs', 'operatorApi', 'processCustomer', 'summarizeRun', 'webhook', 'weeklySummary']);
    expect(readers).toContain('findDebtors');
    // Narrower than a group: find-debtors only queries the debtor index, ses-feedback only updates letters and contacts.
    const tableActions = (role: keyof typeof HANDLERS) =>
      stmts(role)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('dynamodb:'));
    expect(tableActions('findDebtors')).toEqual(['dynamodb:Query']);
    expect(tableActions('sesFeedback')).toEqual(['dynamodb:UpdateItem']);
    // Nothing deployed sends BatchWriteItem (only the bench's history import does).
    expect((Object.keys(HANDLERS) as (keyof typeof HANDLERS)[]).filter((r) => has(r, 'dynamodb:BatchWriteItem'))).toEqual([]);
    expect(readers).toContain('claimCase');
    expect(readers).not.toContain('startRun');
    // credit-api verifies and credit-jobs signs with the secret document's "credit" keys.
    expect(secretReaders.sort()).toEqual(['creditApi', 'creditJobs', 'webhook']);
    expect(starters.sort()).toEqual(['operatorApi', 'processCustomer', 'startRun']);
    expect(s3Resources('webhook')).toEqual(['s3:PutObject archive/*']);
    // Only what the handlers send (test/adapters/iam-crosscheck.test.ts): nothing reads or writes statements/ or court/.
    expect(s3Resources('claimCase').sort()).toEqual(['s3:GetObject letters/*', 's3:PutObject cases/*']);
    expect(s3Resources('operatorApi').sort()).toEqual(['s3:GetObject archive/*', 's3:GetObject cases/*', 's3:GetObject letters/*', 's3:GetObject reports/*']);
    expect(s3Resources('processCustomer')).toEqual(['s3:GetObject+s3:PutObject letters/*']);
    // The bucket is versioned and the event names the version: GetObject with VersionId needs s3:GetObjectVersion.
    expect(s3Resources('bankImport').sort()).toEqual(['s3:GetObject+s3:GetObjectVersion bank/*']);
    expect(s3Resources('findDebtors')).toEqual([]);
    expect(s3Resources('startRun')).toEqual([]);
  });

  it('hands start-run and operator-api the state machine ARN, and the webhook its secret and DLQ', () => {
    // Prepare
    const env = (role: keyof typeof HANDLERS) => sr[fnIdByEntry(role)]!.Properties.Environment.Variables as Record<string, unknown>;

    // Act
    const withArn = (Object.keys(HANDLERS) as (keyof typeof HANDLERS)[]).filter((r) => 'STATE_MACHINE_ARN' in env(r));

    // Assess
    expect(withArn.sort()).toEqual(['operatorApi', 'startRun']);
    expect(ROLES.filter((r) => 'CLAIM_CASE_STATE_MACHINE_ARN' in env(r)).sort()).toEqual(['processCustomer']);
    expect(env('processCustomer').CLAIM_CASE_STATE_MACHINE_ARN).toEqual({ Ref: machineId('claimflow-dev-claim-case') });
    expect(env('claimCase')).toMatchObject({ CLAIMFLOW_TEMPLATES_DIR: '/var/task/templates', TABLE_NAME: expect.anything(), BUCKET_NAME: expect.anything() });
    expect(Object.keys(env('webhook'))).toEqual(expect.arrayContaining(['TABLE_NAME', 'BUCKET_NAME', 'DLQ_URL', 'WEBHOOK_SECRETS_ARN', 'ARCHIVE_PREFIX']));
    expect(env('webhook')).not.toHaveProperty('YOOKASSA_ALLOWLIST');
    expect(env('processCustomer')).toMatchObject({ SES_CONFIGURATION_SET: 'claimflow-dev-letters', CLAIMFLOW_TEMPLATES_DIR: '/var/task/templates' });
  });
});

describe('service stack: safe to destroy and redeploy', () => {
  it('gives no retained log group a fixed name (a kept group would block the next create of the stack)', () => {
    // Prepare
    const groups = ofType(sr, 'AWS::Logs::LogGroup');

    // Act
    // A literal name is the same on every create; one built from the stack id or a generated resource name is not.
    const fixed = groups.filter(([, g]) => g.DeletionPolicy === 'Retain' && typeof g.Properties.LogGroupName === 'string');

    // Assess
    expect(groups.filter(([, g]) => g.DeletionPolicy === 'Retain').length).toBeGreaterThan(5);
    expect(fixed.map(([id, g]) => `${id} ${JSON.stringify(g.Properties.LogGroupName)}`)).toEqual([]);
  });
});

describe('service stack: schedule, state machine, DLQs, alarms, API', () => {
  it('schedules the run Tuesday and Friday 09:00 Europe/Moscow with the scheduled time, retries and a DLQ', () => {
    // Prepare
    const startRun = fnIdByEntry('startRun');

    // Act
    const schedules = ofType(sr, 'AWS::Scheduler::Schedule').filter(([, v]) => String(v.Properties.Name).endsWith('-dunning-run'));

    // Assess (the weekly summary has its own schedule: test/infra/reports.test.ts)
    expect(schedules).toHaveLength(1);
    service.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 ? * TUE,FRI *)',
      ScheduleExpressionTimezone: 'Europe/Moscow',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [startRun, 'Arn'] },
        Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLettersRunTriggerDlq'), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
        RoleArn: Match.anyValue(),
      },
    });
  });

  it('follows a changed hour, minute and time zone from context', () => {
    // Prepare
    const app = buildTestApp({ ...BASE, 'claimflow:runHour': '7', 'claimflow:runMinute': 30, 'claimflow:timeZone': 'Asia/Vladivostok' });

    // Act
    const t = Template.fromStack(app.service);

    // Assess
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(30 7 ? * TUE,FRI *)', ScheduleExpressionTimezone: 'Asia/Vladivostok' });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ COMPANY_TIME_ZONE: 'Asia/Vladivostok' }) } });
  });

  it('deploys DunningRun as STANDARD with tracing, ALL logging and retries + a per-customer catch on its tasks', () => {
    // Prepare
    const sm = sr[machineId('claimflow-dev-dunning-run')]!.Properties;

    // Act
    const asl = JSON.parse(flattenJoin(sm.DefinitionString)) as { States: Record<string, any>; TimeoutSeconds: number };
    const each = asl.States[STATE.each];
    const decide = each.ItemProcessor.States[STATE.decide];

    // Assess
    expect(sm.StateMachineName).toBe('claimflow-dev-dunning-run');
    expect(sm.StateMachineType).toBe('STANDARD');
    expect(sm.TracingConfiguration).toEqual({ Enabled: true });
    // No execution data in the logs: inputs and outputs carry task tokens and customers' personal data.
    expect(sm.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(asl.TimeoutSeconds).toBe(6 * 3600);
    for (const name of [STATE.find, STATE.addUp, STATE.finish]) {
      expect(asl.States[name].Resource).toMatch(/^\$\{\w+\.Arn\}$/);
      expect(asl.States[name].Retry.map((r: { ErrorEquals: string[] }) => r.ErrorEquals)).toEqual([THROTTLE_ERRORS, TRANSIENT_ERRORS]);
    }
    expect(each.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(each.MaxConcurrency).toBe(DEFAULT_MAX_CONCURRENCY);
    // Lambda throttling is transient but waits longer: minutes, not the 14 s of three quick attempts.
    expect(decide.Retry[0]).toMatchObject({ ErrorEquals: THROTTLE_ERRORS, IntervalSeconds: 10, MaxAttempts: 8, BackoffRate: 2, MaxDelaySeconds: 120, JitterStrategy: 'FULL' });
    expect(decide.Retry[1].ErrorEquals).toEqual(TRANSIENT_ERRORS);
    expect(decide.Next).toBe(STATE.tally);
    expect(decide.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: STATE.failed }]);
    expect(decide.Resource).toBe(`\${${fnIdByEntry('processCustomer')}.Arn}`);
  });

  it('gives every asynchronously invoked function an on-failure DLQ, and every rule target a DLQ and retries', () => {
    // Prepare
    const asyncTargets = new Set<string>();
    for (const [, r] of ofType(sr, 'AWS::Events::Rule')) for (const t of r.Properties.Targets) asyncTargets.add(t.Arn['Fn::GetAtt'][0]);
    for (const [, s] of ofType(sr, 'AWS::Scheduler::Schedule')) asyncTargets.add(s.Properties.Target.Arn['Fn::GetAtt'][0]);
    const invokeConfigs = ofType(sr, 'AWS::Lambda::EventInvokeConfig').map(([, c]) => c.Properties);

    // Act
    const covered = [...asyncTargets].filter((fn) =>
      invokeConfigs.some((c) => c.FunctionName.Ref === fn && c.DestinationConfig?.OnFailure?.Destination?.['Fn::GetAtt']?.[0]?.match(/Dlq/)),
    );

    // Assess
    expect([...asyncTargets].sort()).toEqual(
      [fnIdByEntry('bankImport'), fnIdByEntry('creditJobs'), fnIdByEntry('sesFeedback'), fnIdByEntry('startRun'), fnIdByEntry('weeklySummary')].sort(),
    );
    expect(covered.sort()).toEqual([...asyncTargets].sort());
    for (const [, r] of ofType(sr, 'AWS::Events::Rule')) {
      for (const t of r.Properties.Targets) {
        expect(t.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/Dlq/);
        expect(t.RetryPolicy).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 });
      }
    }
    service.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        'detail-type': ['Email Bounced', 'Email Complaint Received', 'Email Sent'],
        detail: { mail: { tags: { 'ses:configuration-set': ['claimflow-dev-letters'] } } },
      },
    });
    // Send events are the record that settles a letter a crash left `sending` (issue 12).
    service.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', { EventDestination: Match.objectLike({ MatchingEventTypes: Match.arrayWith(['send']) }) });
    service.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.s3'], 'detail-type': ['Object Created'], detail: Match.objectLike({ object: { key: [{ prefix: 'bank/' }] } }) }),
    });
  });

  it('encrypts every SQS queue and denies non-TLS access to it', () => {
    // Prepare
    const queues = ofType(sr, 'AWS::SQS::Queue');
    const policies = ofType(sr, 'AWS::SQS::QueuePolicy').map(([, p]) => p.Properties);

    // Act
    const names = queues.map(([, q]) => q.Properties.QueueName).sort();

    // Assess
    expect(names).toEqual([
      'claimflow-dev-bank-import-dlq',
      'claimflow-dev-credit-jobs-dlq',
      'claimflow-dev-failed-payloads',
      'claimflow-dev-run-trigger-dlq',
      'claimflow-dev-ses-feedback-dlq',
      'claimflow-dev-weekly-summary-dlq',
    ]);
    for (const [id, q] of queues) {
      expect(q.Properties.SqsManagedSseEnabled).toBe(true);
      const p = policies.find((x) => x.Queues.some((r: { Ref: string }) => r.Ref === id));
      expect(p?.PolicyDocument.Statement).toEqual(expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]));
    }
  });

  it('alarms on failed, timed-out and aborted runs and on every non-empty DLQ, to an encrypted topic with the email', () => {
    // Prepare
    const alarms = ofType(sr, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const queueIds = ofType(sr, 'AWS::SQS::Queue').map(([id]) => id);

    // Act
    const smMetrics = (id: string) =>
      alarms
        .filter((a) => a.Namespace === 'AWS/States' && a.Dimensions[0].Value.Ref === id)
        .map((a) => a.MetricName)
        .sort();
    const stateMetrics = alarms.filter((a) => a.Namespace === 'AWS/States');
    const dlqAlarmed = alarms.filter((a) => a.Namespace === 'AWS/SQS' && a.MetricName === 'ApproximateNumberOfMessagesVisible').map((a) => a.Dimensions[0].Value['Fn::GetAtt'][0]);

    // Assess
    expect(smMetrics(machineId('claimflow-dev-dunning-run'))).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
    expect(smMetrics(machineId('claimflow-dev-claim-case'))).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut']);
    expect(stateMetrics).toHaveLength(5);
    expect(alarms.map((a) => a.AlarmName)).toEqual(expect.arrayContaining(['claimflow-dev-claim-case-failed', 'claimflow-dev-claim-case-timed-out']));
    expect(dlqAlarmed.sort()).toEqual(queueIds.sort());
    for (const a of alarms) {
      expect(a.Threshold).toBe(1);
      expect(a.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      expect(a.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlarmsTopic/) }]);
    }
    service.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    service.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@acme.ru' });
  });

  it('exposes public webhook routes and IAM-authorized operator routes on a throttled, access-logged stage', () => {
    // Prepare
    const routes = ofType(sr, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);

    // Act
    const byKey = Object.fromEntries(routes.map((r) => [r.RouteKey, r.AuthorizationType]));

    // Assess
    expect(byKey).toEqual({
      ...Object.fromEntries(WEBHOOK_ROUTES.map((p) => [`POST ${p}`, 'NONE'])),
      // Order systems sign credit requests with HMAC like billing webhooks (infra/constructs/credit.ts).
      ...Object.fromEntries(CREDIT_ROUTES.map((p) => [`POST ${p}`, 'NONE'])),
      'ANY /operator/{proxy+}': 'AWS_IAM',
      'ANY /console/operator/{proxy+}': 'JWT',
    });
    service.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: API_THROTTLE.rateLimit, ThrottlingBurstLimit: API_THROTTLE.burstLimit },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it('publishes the outputs operators need', () => {
    // Prepare
    const outputs = Object.keys(service.toJSON().Outputs as object);

    // Act
    const required = ['WebhookUrl', 'OperatorApiUrl', 'StateMachineArn', 'ClaimCaseStateMachineArn', 'ExecutionsConsoleUrl', 'BucketName', 'TableName', 'AlarmTopicArn'];

    // Assess
    expect(outputs).toEqual(expect.arrayContaining(required));
    expect(outputs.filter((o) => o.startsWith('DkimRecord'))).toHaveLength(3);
    expect((service.toJSON().Outputs as Record<string, { Value: unknown }>).ClaimCaseStateMachineArn!.Value).toEqual({ Ref: machineId('claimflow-dev-claim-case') });
  });
});

describe('service stack: ClaimCase approval (issue 5)', () => {
  it('deploys ClaimCase as STANDARD with tracing, its own ALL log group, a 15-day timeout and the claim-case function in every task', () => {
    // Prepare
    const id = machineId('claimflow-dev-claim-case');
    const sm = sr[id]!.Properties;
    const claimFn = fnIdByEntry('claimCase');

    // Act
    const asl = JSON.parse(flattenJoin(sm.DefinitionString)) as { StartAt: string; TimeoutSeconds: number; States: Record<string, any> };
    const logGroup = sm.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0] as string;

    // Assess
    expect(sm.StateMachineType).toBe('STANDARD');
    expect(sm.TracingConfiguration).toEqual({ Enabled: true });
    expect(sm.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(flattenJoin(sr[logGroup]!.Properties.LogGroupName)).toMatch(/^\/aws\/vendedlogs\/states\/claimflow-dev-claim-case-\$\{.*AWS::StackId.*\}$/);
    expect(asl.TimeoutSeconds).toBe(CLAIM_CASE_TIMEOUT.toSeconds());
    expect(asl.StartAt).toBe(CLAIM_STATE.record);
    expect(Object.keys(asl.States).sort()).toEqual(Object.values(CLAIM_STATE).sort());
    expect(asl.States[CLAIM_STATE.record].Resource).toBe(`\${${claimFn}.Arn}`);
    expect(asl.States[CLAIM_STATE.build].Resource).toBe(`\${${claimFn}.Arn}`);
    expect(asl.States[CLAIM_STATE.record].Parameters.action).toBe('record');
    expect(asl.States[CLAIM_STATE.build].Parameters.action).toBe('package');
    for (const name of [CLAIM_STATE.record, CLAIM_STATE.wait, CLAIM_STATE.build])
      expect(asl.States[name].Retry.map((r: { ErrorEquals: string[] }) => r.ErrorEquals)).toEqual([THROTTLE_ERRORS, TRANSIENT_ERRORS]);
  });

  it('waits for the legal team with a task token handed to the claim-case function, for at most 14 days', () => {
    // Prepare
    const sm = sr[machineId('claimflow-dev-claim-case')]!.Properties;

    // Act
    const wait = (JSON.parse(flattenJoin(sm.DefinitionString)) as { States: Record<string, any> }).States[CLAIM_STATE.wait];

    // Assess
    expect(wait.Resource).toBe(WAIT_FOR_TOKEN_RESOURCE.replace('arn:aws:', 'arn:${AWS::Partition}:'));
    expect(wait.Parameters.FunctionName).toBe(`\${${fnIdByEntry('claimCase')}.Arn}`);
    expect(wait.Parameters.Payload).toEqual({ action: 'wait', 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token', 'executionName.$': '$$.Execution.Name' });
    expect(wait.TimeoutSeconds).toBe(APPROVAL_TIMEOUT.toSeconds());
    expect(wait.Catch).toEqual([{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: CLAIM_STATE.stays }]);
  });

  it('lets the ClaimCase role invoke only the claim-case function, and only process-customer start ClaimCase executions', () => {
    // Prepare
    const machine = sr[machineId('claimflow-dev-claim-case')]!.Properties;
    const machineRole = (machine.RoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!;
    const claimFn = fnIdByEntry('claimCase');

    // Act
    const invoked = statementsOfRole(sr, machineRole)
      .filter((s) => actionsOf(s).includes('lambda:InvokeFunction'))
      .flatMap((s) => asArray(s.Resource).map(flattenJoin));
    const claimStarters = rolesAllowing('states:StartExecution', { Ref: machineId('claimflow-dev-claim-case') });
    const runStarters = rolesAllowing('states:StartExecution', { Ref: machineId('claimflow-dev-dunning-run') });

    // Assess
    expect(invoked.sort()).toEqual([`\${${claimFn}.Arn}`, `\${${claimFn}.Arn}:*`]);
    expect(claimStarters).toEqual(['processCustomer']);
    expect(runStarters.sort()).toEqual(['operatorApi', 'startRun']);
  });

  it('grants task-token answers on "*" to operator-api and claim-case (success only: a rejection is a decision, not a failure), in statements of their own, in statements of their own', () => {
    // Prepare
    const tokenActions = (role: keyof typeof HANDLERS) => stmtsOf(role).filter((s) => actionsOf(s).some((a) => a.startsWith('states:SendTask')));

    // Act
    const holders = ROLES.filter((r) => tokenActions(r).length > 0);
    const machineRoles = ofType(sr, 'AWS::StepFunctions::StateMachine').map(([, m]) => (m.Properties.RoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!);
    const machinesAnswering = machineRoles.filter((r) => statementsOfRole(sr, r).some((s) => actionsOf(s).some((a) => a.startsWith('states:SendTask'))));

    // Assess
    expect(holders.sort()).toEqual(['claimCase', 'operatorApi']);
    expect(tokenActions('operatorApi').map((s) => ({ ...s, Action: actionsOf(s).sort() }))).toEqual([
      { Sid: 'AnswerClaimCaseApprovalTaskTokens', Effect: 'Allow', Action: ['states:SendTaskSuccess'], Resource: '*' },
    ]);
    expect(tokenActions('claimCase')).toEqual([{ Sid: 'AnswerClaimCaseApprovalTaskTokens', Effect: 'Allow', Action: 'states:SendTaskSuccess', Resource: '*' }]);
    expect(machinesAnswering).toEqual([]);
  });

  it('hands operator-api the legal-role principals from context, and warns at synth when there are none', () => {
    // Prepare
    const app = buildTestApp({ ...BASE, 'claimflow:legalRolePrincipals': 'user/lawyer,arn:aws:iam::123456789012:user/head-of-legal' });
    const bare = buildTestApp(BASE);
    const noLegalWarnings = (stack: typeof app.service) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('legalRolePrincipals is empty'));

    // Act
    const withLegal = Template.fromStack(app.service);
    const opEnv = Object.values(withLegal.toJSON().Resources as Res).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === HANDLERS.operatorApi.description,
    )!.Properties.Environment.Variables as Record<string, unknown>;
    const holders = ROLES.filter((r) => 'LEGAL_ROLE_PRINCIPALS' in (sr[fnIdByEntry(r)]!.Properties.Environment.Variables as object));

    // Assess
    expect(opEnv.LEGAL_ROLE_PRINCIPALS).toBe('user/lawyer,arn:aws:iam::123456789012:user/head-of-legal');
    expect(holders).toEqual([]);
    expect(noLegalWarnings(bare.service)).toHaveLength(1);
    expect(noLegalWarnings(app.service)).toEqual([]);
  });

  it('acknowledges a "*" resource as a task-token answer only when the statement holds nothing but SendTaskSuccess/SendTaskFailure', () => {
    // Prepare
    const rule = WILDCARD_RULES.find((r) => r.name === 'task-token-answers')!;
    const star = (actions: string[]): WildcardFinding => ({ finding: 'Resource::*', kind: 'Resource', value: '*', actions });

    // Act
    const verdicts = {
      both: rule.matches(star(['states:SendTaskSuccess', 'states:SendTaskFailure'])),
      success: rule.matches(star(['states:SendTaskSuccess'])),
      heartbeat: rule.matches(star(['states:SendTaskSuccess', 'states:SendTaskHeartbeat'])),
      start: rule.matches(star(['states:SendTaskSuccess', 'states:StartExecution'])),
      none: rule.matches(star([])),
      scoped: rule.matches({ finding: 'Resource::arn:*', kind: 'Resource', value: 'arn:aws:states:*', actions: ['states:SendTaskSuccess'] }),
      actionStar: rule.matches({ finding: 'Action::states:SendTask*', kind: 'Action', value: 'states:SendTask*', actions: ['states:SendTask*'] }),
    };

    // Assess
    expect(verdicts).toEqual({ both: true, success: true, heartbeat: false, start: false, none: false, scoped: false, actionStar: false });
  });
});
