/**
 * Service stack: the functions, the HTTP API, the DunningRun and ClaimCase state machines, the Tuesday/Friday
 * schedule, SES sending, dead-letter queues and alarms. Holds no data of its own: it can be
 * destroyed and redeployed without losing anything (the stateful stack keeps the data).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildClaimCaseFlow, CLAIM_CASE_TIMEOUT } from '../workflows/claim-case.js';
import { buildDunningRun, RUN_TIMEOUT, TASK_TIMEOUTS } from '../workflows/dunning-run.js';
import { dunningCronFields } from '../workflows/schedule.js';
import { namePrefix, type ClaimflowConfig } from './config.js';
import { BANK_IMPORT_PREFIX, DOCUMENT_PREFIXES } from './stateful-stack.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HANDLERS_DIR = path.join(REPO_ROOT, 'functions', 'handlers');

/** Webhook routes: public, each request authenticated by its signature inside the function. */
export const WEBHOOK_ROUTES = ['/webhooks/billing', '/webhooks/stripe', '/webhooks/yookassa', '/webhooks/cloudpayments'] as const;
/** Operator routes: one IAM-authorized proxy; operator-api dispatches on method and path. */
export const OPERATOR_ROUTE = '/operator/{proxy+}';

/** Stage throttling of the HTTP API (steady requests per second and burst). */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** How long an asynchronous invocation may wait and how often Lambda retries it before the DLQ. */
const ASYNC_RETRY = { retryAttempts: 2, maxEventAge: Duration.hours(6) } as const;

/** Where the bundle of each rendering function carries the letter templates (CLAIMFLOW_TEMPLATES_DIR). */
export const BUNDLED_TEMPLATES_DIR = '/var/task/templates';

/** Prepended to every ESM bundle: `require`, `__filename` and `__dirname` for bundled CommonJS code. */
export const ESM_BANNER = [
  "import { createRequire as __cfCreateRequire } from 'node:module';",
  "import { fileURLToPath as __cfFileURLToPath } from 'node:url';",
  "import { dirname as __cfDirname } from 'node:path';",
  'const require = __cfCreateRequire(import.meta.url);',
  'const __filename = __cfFileURLToPath(import.meta.url);',
  'const __dirname = __cfDirname(__filename);',
].join(' ');

/**
 * The functions, keyed by role. `file` is the entry in functions/handlers/ (export `handler`).
 *
 * claimCase serves the three task states of the ClaimCase state machine (its handler dispatches on
 * `action`: record, wait, package). The wait state is a `.waitForTaskToken` invoke: the function
 * stores the token on the case, and operator-api's approve/reject route answers it
 * (`states:SendTaskSuccess`, see `grantTaskTokenAnswers`).
 */
export const HANDLERS = {
  webhook: { file: 'webhook.ts', description: 'Receives signed billing and payment-system webhooks and records them in the ledger', timeout: 15, memory: 512 },
  operatorApi: { file: 'operator-api.ts', description: 'Operator actions: pauses, promises, schedules, approvals, runs, statements, calculator', timeout: 29, memory: 1024, renders: true },
  bankImport: { file: 'bank-import.ts', description: 'Imports an uploaded 1C client-bank statement into the ledger', timeout: 300, memory: 1024 },
  startRun: { file: 'start-run.ts', description: 'Starts the dunning run for the scheduled date (one execution per date)', timeout: 30, memory: 256 },
  findDebtors: { file: 'find-debtors.ts', description: 'Finds customers with debts due, one batch at a time', timeout: TASK_TIMEOUTS.findDebtors.toSeconds(), memory: 512 },
  processCustomer: { file: 'process-customer.ts', description: 'Decides and sends the letters due to one customer', timeout: TASK_TIMEOUTS.processCustomer.toSeconds(), memory: 1024, renders: true },
  summarizeRun: { file: 'summarize-run.ts', description: 'Adds up the run, stores the print batch and emails the digest', timeout: TASK_TIMEOUTS.summarizeRun.toSeconds(), memory: 3008, renders: true },
  sesFeedback: { file: 'ses-feedback.ts', description: 'Marks contacts undeliverable on SES bounces and complaints', timeout: 30, memory: 256 },
  claimCase: { file: 'claim-case.ts', description: 'ClaimCase steps: records a case for the legal team, holds the approval task token, builds the litigation package', timeout: 300, memory: 1536, renders: true },
} as const satisfies Record<string, { file: string; description: string; timeout: number; memory: number; renders?: boolean }>;
export type HandlerRole = keyof typeof HANDLERS;

export interface ServiceStackProps extends StackProps {
  config: ClaimflowConfig;
  table: dynamodb.ITable;
  documentsBucket: s3.IBucket;
  importsBucket: s3.IBucket;
  webhookSecrets: secretsmanager.ISecret;
}

export class ServiceStack extends Stack {
  readonly functions: Record<HandlerRole, nodejs.NodejsFunction>;
  readonly stateMachine: sfn.StateMachine;
  /** ClaimCase: one execution per approval request of a claim case moved to litigation. */
  readonly claimCaseMachine: sfn.StateMachine;
  readonly httpApi: apigwv2.HttpApi;
  readonly apiStage: apigwv2.HttpStage;
  readonly schedule: scheduler.Schedule;
  readonly configurationSet: ses.ConfigurationSet;
  readonly emailIdentity: ses.EmailIdentity;
  readonly alarmTopic: sns.Topic;
  /** Every dead-letter queue, by purpose. */
  readonly deadLetterQueues: Record<'failedPayloads' | 'runTrigger' | 'bankImport' | 'sesFeedback', sqs.Queue>;

  private readonly cfg: ClaimflowConfig;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    this.cfg = props.config;
    this.prefix = namePrefix(props.config);
    const { cfg, prefix } = this;
    const { table, documentsBucket, importsBucket, webhookSecrets } = props;
    const logRemoval = cfg.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    for (const key of cfg.placeholders) {
      Annotations.of(this).addWarningV2(
        `claimflow:placeholder:${key}`,
        `${key} is not set: stage "${cfg.stage}" uses a placeholder. Letters would go out with it; set it before a real deploy (docs/deploy.md).`,
      );
    }

    // ---------------------------------------------------------------- dead-letter queues
    this.deadLetterQueues = {
      failedPayloads: this.dlq('FailedPayloadsDlq', 'failed-payloads', 'Application DLQ: references to archived payloads whose processing failed (replay them with `claimflow replay`)'),
      runTrigger: this.dlq('RunTriggerDlq', 'run-trigger-dlq', 'Scheduler target and start-run async failures: a dunning run did not start'),
      bankImport: this.dlq('BankImportDlq', 'bank-import-dlq', 'Bank-statement uploads whose import could not be delivered or failed'),
      sesFeedback: this.dlq('SesFeedbackDlq', 'ses-feedback-dlq', 'SES bounce/complaint events that could not be recorded'),
    };
    const dlqs = this.deadLetterQueues;

    // ---------------------------------------------------------------- SES
    // The literal name (not the resource's Ref) goes into IAM, the event rule and the environment.
    const configurationSetName = `${prefix}-letters`;
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName,
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      configurationSetEventDestinationName: 'bounces-and-complaints',
      // EventBridge (default bus; the only bus SES publishes to): no topic to encrypt, and the rule
      // target below gets its own retry policy and DLQ.
      destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    this.emailIdentity = new ses.EmailIdentity(this, 'EmailIdentity', {
      identity: cfg.sesIdentityKind === 'domain' ? ses.Identity.domain(cfg.sesIdentity) : ses.Identity.email(cfg.sesIdentity),
      configurationSet: this.configurationSet,
    });
    const sesIdentityArn = this.formatArn({ service: 'ses', resource: 'identity', resourceName: cfg.sesIdentity });
    const sesConfigSetArn = this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSetName });

    // ---------------------------------------------------------------- functions
    // Every function gets the same runtime settings (names and configuration, not privileges): the
    // handlers share one validated runtime config (functions/config.ts) that expects them. What a
    // function may actually touch is decided by its IAM grants below, function by function.
    const runtimeEnv: Record<string, string> = {
      POWERTOOLS_SERVICE_NAME: 'claimflow',
      LOG_LEVEL: cfg.logLevel,
      POWERTOOLS_LOG_LEVEL: cfg.logLevel,
      NODE_OPTIONS: '--enable-source-maps',
      CLAIMFLOW_STAGE: cfg.stage,
      COMPANY_TIME_ZONE: cfg.timeZone,
      TABLE_NAME: table.tableName,
      BUCKET_NAME: documentsBucket.bucketName,
      SES_FROM_ADDRESS: cfg.sesFromAddress,
      SES_CONFIGURATION_SET: configurationSetName,
      DIGEST_RECIPIENTS: cfg.digestRecipients.join(','),
      LEGAL_TEAM_RECIPIENTS: cfg.legalTeamRecipients.join(','),
      DUNNING_POLICY: cfg.dunningPolicy,
      ENVELOPE_FORMAT: cfg.envelopeFormat,
      ...(cfg.policyOverrides ? { DUNNING_POLICY_OVERRIDES: JSON.stringify(cfg.policyOverrides) } : {}),
      ...(cfg.company ? { COMPANY_REQUISITES: JSON.stringify(cfg.company) } : {}),
    };

    this.functions = {} as Record<HandlerRole, nodejs.NodejsFunction>;
    const f = this.functions;
    for (const role of Object.keys(HANDLERS) as HandlerRole[]) f[role] = this.handler(role, runtimeEnv, logRemoval);

    // Grants and the environment specific to each function (least privilege: only what it does).
    // webhook: archive raw payload, apply to the ledger, DLQ on failure, signing secrets.
    f.webhook.addEnvironment('ARCHIVE_PREFIX', DOCUMENT_PREFIXES.archive);
    f.webhook.addEnvironment('DLQ_URL', dlqs.failedPayloads.queueUrl);
    f.webhook.addEnvironment('WEBHOOK_SECRETS_ARN', webhookSecrets.secretArn);
    if (cfg.yookassaAllowlist) f.webhook.addEnvironment('YOOKASSA_ALLOWLIST', cfg.yookassaAllowlist.join(','));
    table.grantReadWriteData(f.webhook);
    grantObjects(f.webhook, documentsBucket, DOCUMENT_PREFIXES.archive, 'write');
    dlqs.failedPayloads.grantSendMessages(f.webhook);
    webhookSecrets.grantRead(f.webhook);

    // operator-api: ledger and case actions, statements and court packages, dry runs, starts runs,
    // replays archived webhook payloads, answers the legal team's approvals (task tokens, below).
    table.grantReadWriteData(f.operatorApi);
    grantObjects(f.operatorApi, documentsBucket, DOCUMENT_PREFIXES.statements, 'readWrite');
    grantObjects(f.operatorApi, documentsBucket, DOCUMENT_PREFIXES.court, 'readWrite');
    grantObjects(f.operatorApi, documentsBucket, DOCUMENT_PREFIXES.letters, 'read');
    grantObjects(f.operatorApi, documentsBucket, DOCUMENT_PREFIXES.archive, 'read');
    // POST /operator/cases/{caseId}/package builds the litigation package on demand (same code as the workflow).
    grantObjects(f.operatorApi, documentsBucket, DOCUMENT_PREFIXES.cases, 'readWrite');

    // bank-import: read the uploaded statement, archive it, apply payments, review list, DLQ.
    f.bankImport.addEnvironment('IMPORTS_BUCKET_NAME', importsBucket.bucketName);
    f.bankImport.addEnvironment('BANK_IMPORT_PREFIX', BANK_IMPORT_PREFIX);
    f.bankImport.addEnvironment('ARCHIVE_PREFIX', DOCUMENT_PREFIXES.archive);
    f.bankImport.addEnvironment('DLQ_URL', dlqs.failedPayloads.queueUrl);
    table.grantReadWriteData(f.bankImport);
    grantObjects(f.bankImport, importsBucket, BANK_IMPORT_PREFIX, 'read');
    grantObjects(f.bankImport, documentsBucket, DOCUMENT_PREFIXES.archive, 'write');
    dlqs.failedPayloads.grantSendMessages(f.bankImport);

    // find-debtors: reads the debtor index only.
    table.grantReadData(f.findDebtors);

    // process-customer: decides, reserves the outbox record, renders, stores and sends the letters.
    table.grantReadWriteData(f.processCustomer);
    grantObjects(f.processCustomer, documentsBucket, DOCUMENT_PREFIXES.letters, 'readWrite');
    this.grantSendEmail(f.processCustomer, sesIdentityArn, sesConfigSetArn);

    // summarize-run: run record, the print batch next to the run's letters, the digest email.
    table.grantReadWriteData(f.summarizeRun);
    grantObjects(f.summarizeRun, documentsBucket, DOCUMENT_PREFIXES.letters, 'readWrite');
    this.grantSendEmail(f.summarizeRun, sesIdentityArn, sesConfigSetArn);

    // ses-feedback: marks contacts undeliverable.
    f.sesFeedback.addEnvironment('DLQ_URL', dlqs.failedPayloads.queueUrl);
    table.grantReadWriteData(f.sesFeedback);
    dlqs.failedPayloads.grantSendMessages(f.sesFeedback);

    // claim-case: the case record (incl. the GSI2 collections index), the litigation package under
    // cases/, the letters and statements it bundles. It answers the task token itself when the
    // decision is already on the case when the wait starts (below, with the state machine).
    table.grantReadWriteData(f.claimCase);
    grantObjects(f.claimCase, documentsBucket, DOCUMENT_PREFIXES.cases, 'readWrite');
    grantObjects(f.claimCase, documentsBucket, DOCUMENT_PREFIXES.letters, 'read');
    grantObjects(f.claimCase, documentsBucket, DOCUMENT_PREFIXES.statements, 'read');

    // start-run: no data access; only StartExecution (granted below, once the state machine exists).

    // Asynchronously invoked functions: Lambda retries, then the failed event goes to the path's DLQ.
    this.asyncFailures(f.startRun, dlqs.runTrigger);
    this.asyncFailures(f.bankImport, dlqs.bankImport);
    this.asyncFailures(f.sesFeedback, dlqs.sesFeedback);

    // ---------------------------------------------------------------- state machine
    const runLogs = new logs.LogGroup(this, 'DunningRunLogs', {
      logGroupName: `/aws/vendedlogs/states/${prefix}-dunning-run`,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: logRemoval,
    });
    this.stateMachine = new sfn.StateMachine(this, 'DunningRun', {
      stateMachineName: `${prefix}-dunning-run`,
      // No `comment` here: the definition must stay identical to the one the local runner executes.
      definitionBody: sfn.DefinitionBody.fromChainable(
        buildDunningRun(this, { findDebtors: f.findDebtors, processCustomer: f.processCustomer, summarizeRun: f.summarizeRun }),
      ),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: RUN_TIMEOUT,
      tracingEnabled: true,
      logs: { destination: runLogs, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    for (const fn of [f.startRun, f.operatorApi]) {
      fn.addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
      this.stateMachine.grantStartExecution(fn);
    }

    // ClaimCase (issue 5): moving a case to litigation waits for an operator with the legal role.
    // The flow's states live in their own scope so their construct ids cannot meet DunningRun's.
    const claimLogs = new logs.LogGroup(this, 'ClaimCaseMachineLogs', {
      logGroupName: `/aws/vendedlogs/states/${prefix}-claim-case`,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: logRemoval,
    });
    this.claimCaseMachine = new sfn.StateMachine(this, 'ClaimCaseMachine', {
      stateMachineName: `${prefix}-claim-case`,
      // No `comment` here either: the definition must stay identical to claimCaseAsl().
      definitionBody: sfn.DefinitionBody.fromChainable(
        buildClaimCaseFlow(new Construct(this, 'ClaimCaseStates'), { recordCase: f.claimCase, waitForApproval: f.claimCase, buildPackage: f.claimCase }),
      ),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: CLAIM_CASE_TIMEOUT,
      tracingEnabled: true,
      logs: { destination: claimLogs, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    // process-customer starts one execution per approval request (a letter moved the case to litigation).
    f.processCustomer.addEnvironment('CLAIM_CASE_STATE_MACHINE_ARN', this.claimCaseMachine.stateMachineArn);
    this.claimCaseMachine.grantStartExecution(f.processCustomer);
    // operator-api: `POST /operator/cases/{caseId}/approve|reject` answers the waiting execution.
    f.operatorApi.addEnvironment('CLAIM_CASE_STATE_MACHINE_ARN', this.claimCaseMachine.stateMachineArn);
    // Who holds the legal role: the approve route checks the SigV4 caller against this list.
    if (cfg.legalRolePrincipals.length) f.operatorApi.addEnvironment('LEGAL_ROLE_PRINCIPALS', cfg.legalRolePrincipals.join(','));
    else {
      Annotations.of(this).addWarningV2(
        'claimflow:no-legal-role-principals',
        'claimflow:legalRolePrincipals is empty: no operator API caller holds the legal role, so no claim case can be approved for litigation (docs/deploy.md).',
      );
    }
    this.grantTaskTokenAnswers(f.operatorApi, ['states:SendTaskSuccess', 'states:SendTaskFailure']);
    // claim-case's wait step answers at once when the decision was taken before the wait started.
    this.grantTaskTokenAnswers(f.claimCase, ['states:SendTaskSuccess']);

    // ---------------------------------------------------------------- schedule
    this.schedule = new scheduler.Schedule(this, 'DunningSchedule', {
      scheduleName: `${prefix}-dunning-run`,
      description: `Dunning run every Tuesday and Friday at ${String(cfg.runHour).padStart(2, '0')}:${String(cfg.runMinute).padStart(2, '0')} ${cfg.timeZone}`,
      schedule: scheduler.ScheduleExpression.cron({ ...dunningCronFields(cfg.schedule), timeZone: TimeZone.of(cfg.timeZone) }),
      timeWindow: scheduler.TimeWindow.off(),
      target: new schedulerTargets.LambdaInvoke(f.startRun, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        deadLetterQueue: dlqs.runTrigger,
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
      }),
    });

    // ---------------------------------------------------------------- event rules (async triggers)
    new events.Rule(this, 'BankFileUploaded', {
      description: `A 1C client-bank file was uploaded under ${BANK_IMPORT_PREFIX} in the imports bucket`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [importsBucket.bucketName] }, object: { key: events.Match.prefix(BANK_IMPORT_PREFIX) } },
      },
      targets: [new eventTargets.LambdaFunction(f.bankImport, { deadLetterQueue: dlqs.bankImport, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });
    new events.Rule(this, 'SesBounceOrComplaint', {
      description: 'SES bounce or complaint for a letter sent through the claimflow configuration set',
      eventPattern: {
        source: ['aws.ses'],
        detailType: ['Email Bounced', 'Email Complaint Received'],
        detail: { mail: { tags: { 'ses:configuration-set': [configurationSetName] } } },
      },
      targets: [new eventTargets.LambdaFunction(f.sesFeedback, { deadLetterQueue: dlqs.sesFeedback, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });

    // ---------------------------------------------------------------- HTTP API
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `${prefix}-api`,
      description: 'claimflow: signed webhooks (public) and operator actions (IAM)',
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'HttpApiAccessLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: logRemoval });
    this.apiStage = new apigwv2.HttpStage(this, 'HttpApiStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            caller: '$context.identity.userArn',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    const webhookIntegration = new HttpLambdaIntegration('WebhookIntegration', f.webhook);
    for (const p of WEBHOOK_ROUTES) {
      const [route] = this.httpApi.addRoutes({ path: p, methods: [apigwv2.HttpMethod.POST], integration: webhookIntegration });
      Validations.of(route!).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'Webhook senders (billing, Stripe, YooKassa, CloudPayments) cannot sign AWS requests: the function verifies each request (HMAC signature, Stripe SDK, or the YooKassa IP allowlist) and answers 401 before storing anything; the stage is throttled.',
      });
    }
    this.httpApi.addRoutes({
      path: OPERATOR_ROUTE,
      methods: [apigwv2.HttpMethod.ANY],
      integration: new HttpLambdaIntegration('OperatorIntegration', f.operatorApi),
      authorizer: new HttpIamAuthorizer(),
    });
    new iam.ManagedPolicy(this, 'OperatorApiAccess', {
      managedPolicyName: `${prefix}-operator-api`,
      description: 'Attach to operator users/roles: lets them call the claimflow /operator/* routes (SigV4 signed).',
      statements: [
        new iam.PolicyStatement({
          actions: ['execute-api:Invoke'],
          resources: [this.formatArn({ service: 'execute-api', resource: this.httpApi.apiId, resourceName: '*/*/operator/*' })],
        }),
      ],
    });

    // ---------------------------------------------------------------- alarms
    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'claimflow alarm topic encryption (CloudWatch alarms need a customer-managed key to publish)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    topicKey.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { topicName: `${prefix}-alarms`, displayName: 'claimflow alarms', masterKey: topicKey, enforceSSL: true });
    if (cfg.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(cfg.alarmEmail));
    const alarmAction = new cwActions.SnsAction(this.alarmTopic);
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string) => {
      const a = new cloudwatch.Alarm(this, id, {
        alarmName: `${prefix}-${id.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(alarmAction);
      return a;
    };
    const fiveMin = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };
    alarm('RunFailed', this.stateMachine.metricFailed(fiveMin), 'A dunning run execution failed: open the state machine in the Step Functions console.');
    alarm('RunTimedOut', this.stateMachine.metricTimedOut(fiveMin), `A dunning run exceeded ${RUN_TIMEOUT.toHumanString()}.`);
    alarm('RunAborted', this.stateMachine.metricAborted(fiveMin), 'A dunning run was stopped before it finished.');
    alarm('ClaimCaseFailed', this.claimCaseMachine.metricFailed(fiveMin), 'A claim case execution failed (recording the case or building the litigation package): the case stays awaiting approval; see the ClaimCase executions.');
    alarm('ClaimCaseTimedOut', this.claimCaseMachine.metricTimedOut(fiveMin), `A claim case execution exceeded ${CLAIM_CASE_TIMEOUT.toHumanString()}: check the case and start a new approval request.`);
    alarm('WebhookErrors', f.webhook.metricErrors(fiveMin), 'The webhook function threw: senders retry, but check the logs and the failed-payloads queue.');
    for (const [key, q] of Object.entries(dlqs)) {
      alarm(
        `${key[0]!.toUpperCase()}${key.slice(1)}DlqNotEmpty`,
        q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
        `Messages are waiting in ${key} dead-letter queue: inspect and replay them.`,
      );
    }

    // ---------------------------------------------------------------- outputs
    const region = this.region;
    new CfnOutput(this, 'WebhookUrl', { value: `${this.apiStage.url}webhooks/`, description: 'Base URL of the webhooks: append billing, stripe, yookassa or cloudpayments' });
    new CfnOutput(this, 'OperatorApiUrl', { value: `${this.apiStage.url}operator/`, description: 'Operator API (IAM: SigV4 signed requests, policy OperatorApiAccess)' });
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn, description: 'DunningRun state machine' });
    new CfnOutput(this, 'ClaimCaseStateMachineArn', {
      value: this.claimCaseMachine.stateMachineArn,
      description: 'ClaimCase state machine: approval of claim cases moved to litigation (approve: POST /operator/cases/{caseId}/approve)',
    });
    new CfnOutput(this, 'ExecutionsConsoleUrl', {
      value: `https://${region}.console.aws.amazon.com/states/home?region=${region}#/statemachines/view/${this.stateMachine.stateMachineArn}`,
      description: 'Step Functions console: the list of dunning runs',
    });
    new CfnOutput(this, 'BucketName', { value: documentsBucket.bucketName, description: 'Letters, print batches, court packages, statements' });
    new CfnOutput(this, 'ImportsBucketName', { value: importsBucket.bucketName, description: `Upload bank files under ${BANK_IMPORT_PREFIX}` });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'DynamoDB ledger table' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'Subscribe to receive claimflow alarms' });
    new CfnOutput(this, 'FailedPayloadsQueueUrl', { value: dlqs.failedPayloads.queueUrl, description: 'Application DLQ (DLQ_URL)' });
    new CfnOutput(this, 'SesConfigurationSet', { value: configurationSetName });
    if (cfg.sesIdentityKind === 'domain') {
      this.emailIdentity.dkimRecords.forEach((r, i) => {
        new CfnOutput(this, `DkimRecord${i + 1}`, { value: `${r.name} CNAME ${r.value}`, description: `DNS record ${i + 1} of 3 to verify ${cfg.sesIdentity} for SES (Easy DKIM)` });
      });
    }
  }

  /** An SQS dead-letter queue: SSE, TLS only, 14 days to look at it. */
  private dlq(id: string, name: string, purpose: string): sqs.Queue {
    const q = new sqs.Queue(this, id, {
      queueName: `${this.prefix}-${name}`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(q).acknowledge({ id: 'AwsSolutions-SQS3', reason: `This queue is itself a dead-letter queue (${purpose}); a DLQ for a DLQ would only move the problem.` });
    return q;
  }

  /** One function per handler entry, with its own role and log group (no managed policies). */
  private handler(role: HandlerRole, env: Record<string, string>, logRemoval: RemovalPolicy): nodejs.NodejsFunction {
    const spec = HANDLERS[role];
    const id = `${role[0]!.toUpperCase()}${role.slice(1)}`;
    const entry = path.join(HANDLERS_DIR, spec.file);
    if (!existsSync(entry)) throw new Error(`Handler entry ${path.relative(REPO_ROOT, entry)} is missing (function ${role})`);
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: logRemoval });
    // A role without AWSLambdaBasicExecutionRole: logs go to this function's own log group only.
    const fnRole = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `claimflow ${this.cfg.stage} ${role}`,
    });
    logGroup.grantWrite(fnRole);
    const renders = 'renders' in spec && spec.renders;
    const fn = new nodejs.NodejsFunction(this, id, {
      entry,
      handler: 'handler',
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memory,
      timeout: Duration.seconds(spec.timeout),
      tracing: lambda.Tracing.ACTIVE,
      role: fnRole,
      logGroup,
      // No reserved concurrency: new accounts often have a regional limit of 10, and reserving any
      // of it fails the deploy or starves the other functions. The run is bounded by the Map's
      // MaxConcurrency, the webhooks by the stage throttle.
      environment: {
        ...env,
        ...(renders ? { CLAIMFLOW_TEMPLATES_DIR: BUNDLED_TEMPLATES_DIR } : {}),
      },
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // CommonJS dependencies bundled into ESM still call require() and read __dirname: give them both.
        banner: ESM_BANNER,
        // @aws-sdk/* stays external (the Node 24 runtime ships SDK v3).
        externalModules: ['@aws-sdk/*'],
        ...(renders ? { commandHooks: copyAssets() } : {}),
      },
    });
    return fn;
  }

  private asyncFailures(fn: lambda.Function, dlq: sqs.IQueue): void {
    fn.configureAsyncInvoke({ onFailure: new SqsDestination(dlq), retryAttempts: ASYNC_RETRY.retryAttempts, maxEventAge: ASYNC_RETRY.maxEventAge });
  }

  /** ses:SendEmail / SendRawEmail, only from the configured identity and through the configuration set. */
  private grantSendEmail(fn: lambda.Function, identityArn: string, configSetArn: string): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendLettersFromTheClaimflowIdentity',
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [identityArn, configSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': this.cfg.sesFromAddress } },
      }),
    );
  }

  /** Lets `grantee` answer task tokens of `machine` (CDK's grant; prefer grantTaskTokenAnswers for functions). */
  grantTaskCallbacks(grantee: iam.IGrantable, machine: sfn.IStateMachine = this.claimCaseMachine): iam.Grant {
    return machine.grantTaskResponse(grantee);
  }

  /**
   * The task-token answers a function sends (no SendTaskHeartbeat: nothing here heartbeats). These
   * actions have no resource-level permissions (the Service Authorization Reference lists no resource
   * type for them), so the statement names Resource "*"; the task token itself is the capability. The
   * wildcard is acknowledged in infra/nag.ts (rule task-token-answers).
   */
  private grantTaskTokenAnswers(fn: lambda.Function, actions: ('states:SendTaskSuccess' | 'states:SendTaskFailure')[]): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'AnswerClaimCaseApprovalTaskTokens', actions, resources: ['*'] }));
  }
}

/**
 * Object access under one key prefix, with explicit actions (no s3:GetObject* style groups):
 * read = GetObject (+ ListBucket limited to the prefix, so a missing key answers 404 rather than 403),
 * write = PutObject, readWrite = both. Letters and packages are never deleted by the functions.
 */
export function grantObjects(fn: lambda.IFunction, bucket: s3.IBucket, prefix: string, access: 'read' | 'write' | 'readWrite'): void {
  const read = access !== 'write';
  const write = access !== 'read';
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: [...(read ? ['s3:GetObject'] : []), ...(write ? ['s3:PutObject'] : [])],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }),
  );
  if (read) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }),
    );
  }
}

/**
 * Files the rendering code reads at run time, copied next to the bundle:
 *  - templates/ (read through CLAIMFLOW_TEMPLATES_DIR);
 *  - pdfmake's package.json and Roboto fonts under node_modules/pdfmake/, because the PDF code finds
 *    the fonts with require.resolve('pdfmake/package.json') (Cyrillic needs these TTFs).
 */
export const RENDER_ASSETS = ['templates', 'node_modules/pdfmake/package.json', 'node_modules/pdfmake/fonts/Roboto'] as const;

function copyAssets(): nodejs.ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) =>
      RENDER_ASSETS.map((rel) => {
        const from = path.posix.join(inputDir, rel);
        const to = path.posix.join(outputDir, rel);
        return `mkdir -p "${path.posix.dirname(to)}" && cp -R "${from}" "${to}"`;
      }),
  };
}
