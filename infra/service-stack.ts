/**
 * Service stack: the functions, the HTTP API, the DunningRun and ClaimCase state machines, the Tuesday/Friday
 * schedule, SES sending, dead-letter queues and alarms. Holds no data of its own: it can be
 * destroyed and redeployed without losing anything (the stateful stack keeps the data).
 *
 * Each section is a construct in infra/constructs/; this file wires them together and decides which
 * function may touch what. New capabilities add their own construct and a few registration lines here.
 */
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { CLAIM_CASE_TIMEOUT } from '../workflows/claim-case.js';
import { RUN_TIMEOUT } from '../workflows/dunning-run.js';
import { PACKAGE_JOB_QUEUE_MS } from '../functions/app/package-jobs.js';
import { namePrefix, type ClaimflowConfig } from './config.js';
import { ClaimflowAlarms, FIVE_MINUTES_SUM } from './constructs/alarms.js';
import { DeadLetterQueues, type DeadLetterPurpose } from './constructs/dead-letters.js';
import { LetterEmail } from './constructs/email.js';
import { bind, type Bindings } from './constructs/bindings.js';
import { HANDLERS, ServiceFunction, type HandlerRole } from './constructs/functions.js';
import { ClaimflowApi } from './constructs/http-api.js';
import { ClaimflowConsole } from './constructs/console.js';
import { BankUploadTrigger, DunningSchedule, SesFeedbackTrigger } from './constructs/triggers.js';
import { ClaimCaseWorkflow, DunningRunWorkflow, grantTaskTokenAnswers } from './constructs/workflows.js';
import { ClaimflowReports } from './constructs/reports.js';
import { ClaimflowCredit } from './constructs/credit.js';
import { BANK_IMPORT_PREFIX, DOCUMENT_PREFIXES } from './stateful-stack.js';

export { BUNDLED_TEMPLATES_DIR, ESM_BANNER, grantObjects, HANDLERS, HANDLERS_DIR, RENDER_ASSETS, type HandlerRole } from './constructs/functions.js';
export { API_THROTTLE, OPERATOR_ROUTE, WEBHOOK_ROUTES } from './constructs/http-api.js';

/** How long an asynchronous invocation may wait and how often Lambda retries it before the DLQ. */
const ASYNC_RETRY = { retryAttempts: 2, maxEventAge: Duration.hours(6) } as const;
/** How long an operator's package job may wait in Lambda's queue (the job deadline counts it in). */
const PACKAGE_JOB_MAX_EVENT_AGE = Duration.millis(PACKAGE_JOB_QUEUE_MS);

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
  readonly api: ClaimflowApi;
  readonly httpApi: apigwv2.HttpApi;
  readonly apiStage: apigwv2.HttpStage;
  readonly schedule: scheduler.Schedule;
  readonly email: LetterEmail;
  readonly configurationSet: ses.ConfigurationSet;
  readonly emailIdentity: ses.EmailIdentity;
  readonly alarms: ClaimflowAlarms;
  readonly alarmTopic: sns.Topic;
  /** Every dead-letter queue, by purpose. */
  readonly deadLetterQueues: Record<DeadLetterPurpose, sqs.Queue>;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const cfg = props.config;
    const prefix = namePrefix(cfg);
    const { table, documentsBucket, importsBucket, webhookSecrets } = props;
    const logRemoval = cfg.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const deadLetters = new DeadLetterQueues(this, 'DeadLetters', { prefix });
    const dlqs = (this.deadLetterQueues = deadLetters.queues);
    const email = (this.email = new LetterEmail(this, 'Email', { prefix, config: cfg }));
    this.configurationSet = email.configurationSet;
    this.emailIdentity = email.emailIdentity;

    // ---------------------------------------------------------------- functions
    // Each function gets only the variables it reads (functions/config.ts FUNCTION_ENV), each set by a
    // binding together with its grant (infra/constructs/bindings.ts). Every function has the platform
    // settings (Powertools service name and log level, source maps) from ServiceFunction.
    const platformEnv: Record<string, string> = {
      POWERTOOLS_SERVICE_NAME: 'claimflow',
      LOG_LEVEL: cfg.logLevel,
      POWERTOOLS_LOG_LEVEL: cfg.logLevel,
      NODE_OPTIONS: '--enable-source-maps',
    };
    const f = (this.functions = {} as Record<HandlerRole, nodejs.NodejsFunction>);
    for (const role of Object.keys(HANDLERS) as HandlerRole[]) {
      const id = `${role[0]!.toUpperCase()}${role.slice(1)}`;
      f[role] = new ServiceFunction(this, id, { name: role, spec: HANDLERS[role], stage: cfg.stage, logRemoval, environment: platformEnv }).fn;
    }
    /** Rule extensions (key rates, moratoria): a JSON document operators put in this SSM parameter (docs/deploy.md). */
    const rulesParameter = `/${prefix}/rules`;
    const company = JSON.stringify(cfg.company);
    const policy = (b: Bindings) => {
      b.setting('DUNNING_POLICY', cfg.dunningPolicy);
      if (cfg.policyOverrides) b.setting('DUNNING_POLICY_OVERRIDES', JSON.stringify(cfg.policyOverrides));
      return b;
    };
    const D = DOCUMENT_PREFIXES;

    // webhook: archive raw payload, apply to the ledger, DLQ on failure, signing secrets.
    bind(f.webhook)
      .table(table, 'write')
      .documents(documentsBucket, { [D.archive]: 'write' })
      .setting('ARCHIVE_PREFIX', D.archive)
      .deadLetters(dlqs.failedPayloads)
      .webhookSecrets(webhookSecrets)
      .setting('COMPANY_TIME_ZONE', cfg.timeZone);
    if (cfg.yookassaAllowlist) bind(f.webhook).setting('YOOKASSA_ALLOWLIST', cfg.yookassaAllowlist.length ? cfg.yookassaAllowlist.join(',') : 'none');

    // operator-api: ledger and case actions, statements and court packages, dry runs, starts runs,
    // replays archived webhook payloads, answers the legal team's approvals (task tokens, below).
    // POST /operator/cases/{caseId}/package starts a package job that claim-case builds (below).
    policy(bind(f.operatorApi))
      // Scan: the report routes read every customer's book (as the weekly summary does).
      .table(table, 'writeDelete', { scan: true })
      // Reads only: statements are rendered on request, packages are built by claim-case (package jobs);
      // reports/: the dynamics report reads the nightly snapshots' daily totals.
      .documents(documentsBucket, { [D.letters]: 'read', [D.archive]: 'read', [D.cases]: 'read', [D.reports]: 'read' })
      .setting('ARCHIVE_PREFIX', D.archive)
      .setting('COMPANY_TIME_ZONE', cfg.timeZone)
      .setting('COMPANY_REQUISITES', company)
      .setting('LEGAL_TEAM_RECIPIENTS', cfg.legalTeamRecipients.join(','))
      .setting('COMPANY_ACCOUNTS', cfg.companyAccounts.join(','))
      .rules(rulesParameter);

    // bank-import: read the uploaded statement (the version the event names), apply payments, review list.
    bind(f.bankImport).table(table, 'write').uploads(importsBucket, BANK_IMPORT_PREFIX).setting('COMPANY_ACCOUNTS', cfg.companyAccounts.join(','));

    // find-debtors: reads the debtor index only (the policy decides how far ahead it looks).
    policy(bind(f.findDebtors)).table(table, ['dynamodb:Query']);

    // process-customer: decides, reserves the outbox record, renders, stores and sends the letters.
    policy(bind(f.processCustomer))
      .table(table, 'writeDelete')
      .documents(documentsBucket, { [D.letters]: 'readWrite' })
      .sends(email)
      .setting('COMPANY_TIME_ZONE', cfg.timeZone)
      .setting('COMPANY_REQUISITES', company)
      .setting('DIGEST_RECIPIENTS', cfg.digestRecipients.join(','))
      .setting('LEGAL_TEAM_RECIPIENTS', cfg.legalTeamRecipients.join(','))
      .rules(rulesParameter);

    // summarize-run: run record, the print batch next to the run's letters, the digest email.
    policy(bind(f.summarizeRun))
      .table(table, 'write')
      .documents(documentsBucket, { [D.letters]: 'readWrite' })
      .sends(email)
      .setting('COMPANY_TIME_ZONE', cfg.timeZone)
      .setting('COMPANY_REQUISITES', company)
      .setting('DIGEST_RECIPIENTS', cfg.digestRecipients.join(','))
      .setting('ENVELOPE_FORMAT', cfg.envelopeFormat);

    // ses-feedback: marks contacts undeliverable.
    bind(f.sesFeedback).table(table, ['dynamodb:UpdateItem']);

    // claim-case: the case record (incl. the GSI2 collections index), the litigation package written
    // under cases/, the letter copies it bundles (the statement is rendered, not read). It answers the task token itself when the
    // decision is already on the case when the wait starts (below, with the state machine).
    bind(f.claimCase)
      .table(table, 'writeDelete')
      .documents(documentsBucket, { [D.cases]: 'write', [D.letters]: 'read' })
      .setting('COMPANY_TIME_ZONE', cfg.timeZone)
      .setting('COMPANY_REQUISITES', company)
      .rules(rulesParameter);

    // start-run: no data access; only StartExecution (bound below, once the state machine exists).
    bind(f.startRun).setting('COMPANY_TIME_ZONE', cfg.timeZone);

    // Asynchronously invoked functions: Lambda retries, then the failed event goes to the path's DLQ.
    asyncFailures(f.startRun, dlqs.runTrigger);
    asyncFailures(f.bankImport, dlqs.bankImport);
    asyncFailures(f.sesFeedback, dlqs.sesFeedback);

    // ---------------------------------------------------------------- state machines
    this.stateMachine = new DunningRunWorkflow(this, 'DunningRun', {
      prefix,
      logRemoval,
      maxConcurrency: cfg.maxConcurrency,
      functions: { findDebtors: f.findDebtors, processCustomer: f.processCustomer, summarizeRun: f.summarizeRun },
    }).stateMachine;
    bind(f.startRun).starts('STATE_MACHINE_ARN', this.stateMachine);
    bind(f.operatorApi).starts('STATE_MACHINE_ARN', this.stateMachine);

    // ClaimCase: moving a case to litigation waits for an operator with the legal role.
    this.claimCaseMachine = new ClaimCaseWorkflow(this, 'ClaimCaseFlow', {
      prefix,
      logRemoval,
      functions: { recordCase: f.claimCase, waitForApproval: f.claimCase, buildPackage: f.claimCase },
    }).stateMachine;
    // process-customer starts one execution per approval request (a letter moved the case to litigation).
    bind(f.processCustomer).starts('CLAIM_CASE_STATE_MACHINE_ARN', this.claimCaseMachine);
    // operator-api: `POST /operator/cases/{caseId}/approve|reject` answers the waiting execution with
    // its task token (SendTaskSuccess; a rejection is a decision, not a failure), below.
    // Who holds the legal role: the approve route checks the SigV4 caller against this list.
    if (cfg.legalRolePrincipals.length) bind(f.operatorApi).setting('LEGAL_ROLE_PRINCIPALS', cfg.legalRolePrincipals.join(','));
    else {
      Annotations.of(this).addWarningV2(
        'claimflow:no-legal-role-principals',
        'claimflow:legalRolePrincipals is empty: no operator API caller holds the legal role, so no claim case can be approved for litigation (docs/deploy.md).',
      );
    }
    // How long the synchronous report may read before it answers REPORT_NEEDS_JOB (absent: the function's 20 s).
    if (cfg.reportSyncBudgetMs !== undefined) bind(f.operatorApi).setting('REPORT_SYNC_BUDGET_MS', String(cfg.reportSyncBudgetMs));
    grantTaskTokenAnswers(f.operatorApi, ['states:SendTaskSuccess']);
    // An operator's litigation package is built by claim-case (300 s, more than API Gateway's 29 s), invoked
    // asynchronously; the job records its outcome, so Lambda does not retry (functions/app/package-jobs.ts).
    bind(f.operatorApi).invokes('PACKAGE_WORKER_FUNCTION', f.claimCase);
    f.claimCase.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: PACKAGE_JOB_MAX_EVENT_AGE });
    // claim-case's wait step answers at once when the decision was taken before the wait started.
    grantTaskTokenAnswers(f.claimCase, ['states:SendTaskSuccess']);

    // ---------------------------------------------------------------- triggers
    this.schedule = new DunningSchedule(this, 'DunningSchedule', { prefix, config: cfg, startRun: f.startRun, deadLetterQueue: dlqs.runTrigger }).schedule;
    new BankUploadTrigger(this, 'BankFileUploaded', { bucket: importsBucket, prefix: BANK_IMPORT_PREFIX, target: f.bankImport, deadLetterQueue: dlqs.bankImport });
    // Reports: the weekly management summary on its own schedule (grants and REPORTS_CONFIG in the construct).
    bind(f.weeklySummary).setting('COMPANY_TIME_ZONE', cfg.timeZone).setting('COMPANY_REQUISITES', company).setting('DIGEST_RECIPIENTS', cfg.digestRecipients.join(','));
    new ClaimflowReports(this, 'Reports', {
      prefix,
      timeZone: cfg.timeZone,
      weeklySummary: f.weeklySummary,
      operatorApi: f.operatorApi,
      table,
      documentsBucket,
      email,
      deadLetterQueue: dlqs.weeklySummary,
    });
    new SesFeedbackTrigger(this, 'SesBounceOrComplaint', { configurationSetName: email.configurationSetName, target: f.sesFeedback, deadLetterQueue: dlqs.sesFeedback });

    // ---------------------------------------------------------------- HTTP API
    this.api = new ClaimflowApi(this, 'Api', { prefix, logRemoval, webhook: f.webhook, operator: f.operatorApi });
    this.httpApi = this.api.httpApi;
    this.apiStage = this.api.stage;
    // Credit control: /credit/* routes, event bus, delivery and sweep schedules, CREDIT_* settings (infra/constructs/credit.ts).
    new ClaimflowCredit(this, 'Credit', {
      prefix,
      timeZone: cfg.timeZone,
      dunningPolicy: cfg.dunningPolicy,
      table,
      webhookSecrets,
      httpApi: this.httpApi,
      creditApi: f.creditApi,
      creditJobs: f.creditJobs,
      producers: [f.webhook, f.bankImport, f.processCustomer, f.operatorApi],
      deadLetterQueue: dlqs.creditJobs,
    });
    // The producers' credit hold rules read the company's day and the warning letter's deadline; process-customer
    // and operator-api have both (above), webhook the zone.
    bind(f.webhook).setting('DUNNING_POLICY', cfg.dunningPolicy);
    bind(f.bankImport).setting('COMPANY_TIME_ZONE', cfg.timeZone).setting('DUNNING_POLICY', cfg.dunningPolicy);
    // ---------------------------------------------------------------- web console
    new ClaimflowConsole(this, 'Console', { prefix, logRemoval, httpApi: this.httpApi, operator: f.operatorApi });

    // ---------------------------------------------------------------- alarms
    const alarms = (this.alarms = new ClaimflowAlarms(this, 'Alarms', { prefix, ...(cfg.alarmEmail ? { alarmEmail: cfg.alarmEmail } : {}) }));
    this.alarmTopic = alarms.topic;
    const fiveMin = FIVE_MINUTES_SUM;
    alarms.alarm('RunFailed', this.stateMachine.metricFailed(fiveMin), 'A dunning run execution failed: open the state machine in the Step Functions console.');
    alarms.alarm('RunTimedOut', this.stateMachine.metricTimedOut(fiveMin), `A dunning run exceeded ${RUN_TIMEOUT.toHumanString()}.`);
    alarms.alarm('RunAborted', this.stateMachine.metricAborted(fiveMin), 'A dunning run was stopped before it finished.');
    alarms.alarm(
      'ClaimCaseFailed',
      this.claimCaseMachine.metricFailed(fiveMin),
      'A claim case execution failed (recording the case or building the litigation package): the case stays awaiting approval; see the ClaimCase executions.',
    );
    alarms.alarm(
      'ClaimCaseTimedOut',
      this.claimCaseMachine.metricTimedOut(fiveMin),
      `A claim case execution exceeded ${CLAIM_CASE_TIMEOUT.toHumanString()}: check the case and start a new approval request.`,
    );
    alarms.alarm('WebhookErrors', f.webhook.metricErrors(fiveMin), 'The webhook function threw: senders retry, but check the logs and the failed-payloads queue.');
    for (const [key, q] of Object.entries(dlqs)) {
      alarms.alarm(
        `${key[0]!.toUpperCase()}${key.slice(1)}DlqNotEmpty`,
        q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        `Messages are waiting in the ${key} dead-letter queue (${deadLetters.purposes[key as DeadLetterPurpose]}): inspect and replay them.`,
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
    new CfnOutput(this, 'SesConfigurationSet', { value: email.configurationSetName });
    if (cfg.sesIdentityKind === 'domain') {
      this.emailIdentity.dkimRecords.forEach((r, i) => {
        new CfnOutput(this, `DkimRecord${i + 1}`, {
          value: `${r.name} CNAME ${r.value}`,
          description: `DNS record ${i + 1} of 3 to verify ${cfg.sesIdentity} for SES (Easy DKIM)`,
        });
      });
    }
  }

  /** Lets `grantee` answer task tokens of `machine` (CDK's grant; prefer grantTaskTokenAnswers for functions). */
  grantTaskCallbacks(grantee: Parameters<sfn.IStateMachine['grantTaskResponse']>[0], machine: sfn.IStateMachine = this.claimCaseMachine) {
    return machine.grantTaskResponse(grantee);
  }
}

function asyncFailures(fn: lambda.Function, dlq: sqs.IQueue): void {
  fn.configureAsyncInvoke({ onFailure: new SqsDestination(dlq), retryAttempts: ASYNC_RETRY.retryAttempts, maxEventAge: ASYNC_RETRY.maxEventAge });
}
