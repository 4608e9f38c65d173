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
import { namePrefix, type ClaimflowConfig } from './config.js';
import { ClaimflowAlarms, FIVE_MINUTES_SUM } from './constructs/alarms.js';
import { DeadLetterQueues, type DeadLetterPurpose } from './constructs/dead-letters.js';
import { LetterEmail } from './constructs/email.js';
import { grantObjects, HANDLERS, ServiceFunction, type HandlerRole } from './constructs/functions.js';
import { ClaimflowApi } from './constructs/http-api.js';
import { ClaimflowConsole } from './constructs/console.js';
import { BankUploadTrigger, DunningSchedule, SesFeedbackTrigger } from './constructs/triggers.js';
import { ClaimCaseWorkflow, DunningRunWorkflow, grantTaskTokenAnswers } from './constructs/workflows.js';
import { ClaimflowReports } from './constructs/reports.js';
import { BANK_IMPORT_PREFIX, DOCUMENT_PREFIXES } from './stateful-stack.js';

export { BUNDLED_TEMPLATES_DIR, ESM_BANNER, grantObjects, HANDLERS, HANDLERS_DIR, RENDER_ASSETS, type HandlerRole } from './constructs/functions.js';
export { API_THROTTLE, OPERATOR_ROUTE, WEBHOOK_ROUTES } from './constructs/http-api.js';

/** How long an asynchronous invocation may wait and how often Lambda retries it before the DLQ. */
const ASYNC_RETRY = { retryAttempts: 2, maxEventAge: Duration.hours(6) } as const;

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

    for (const key of cfg.placeholders) {
      Annotations.of(this).addWarningV2(
        `claimflow:placeholder:${key}`,
        `${key} is not set: stage "${cfg.stage}" uses a placeholder. Letters would go out with it; set it before a real deploy (docs/deploy.md).`,
      );
    }

    const dlqs = (this.deadLetterQueues = new DeadLetterQueues(this, 'DeadLetters', { prefix }).queues);
    const email = (this.email = new LetterEmail(this, 'Email', { prefix, config: cfg }));
    this.configurationSet = email.configurationSet;
    this.emailIdentity = email.emailIdentity;

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
      SES_CONFIGURATION_SET: email.configurationSetName,
      DIGEST_RECIPIENTS: cfg.digestRecipients.join(','),
      LEGAL_TEAM_RECIPIENTS: cfg.legalTeamRecipients.join(','),
      DUNNING_POLICY: cfg.dunningPolicy,
      ENVELOPE_FORMAT: cfg.envelopeFormat,
      ...(cfg.policyOverrides ? { DUNNING_POLICY_OVERRIDES: JSON.stringify(cfg.policyOverrides) } : {}),
      ...(cfg.company ? { COMPANY_REQUISITES: JSON.stringify(cfg.company) } : {}),
    };
    const f = (this.functions = {} as Record<HandlerRole, nodejs.NodejsFunction>);
    for (const role of Object.keys(HANDLERS) as HandlerRole[]) {
      const id = `${role[0]!.toUpperCase()}${role.slice(1)}`;
      f[role] = new ServiceFunction(this, id, { name: role, spec: HANDLERS[role], stage: cfg.stage, logRemoval, environment: runtimeEnv }).fn;
    }

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
    email.grantSend(f.processCustomer);

    // summarize-run: run record, the print batch next to the run's letters, the digest email.
    table.grantReadWriteData(f.summarizeRun);
    grantObjects(f.summarizeRun, documentsBucket, DOCUMENT_PREFIXES.letters, 'readWrite');
    email.grantSend(f.summarizeRun);

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
    asyncFailures(f.startRun, dlqs.runTrigger);
    asyncFailures(f.bankImport, dlqs.bankImport);
    asyncFailures(f.sesFeedback, dlqs.sesFeedback);

    // ---------------------------------------------------------------- state machines
    this.stateMachine = new DunningRunWorkflow(this, 'DunningRun', {
      prefix,
      logRemoval,
      functions: { findDebtors: f.findDebtors, processCustomer: f.processCustomer, summarizeRun: f.summarizeRun },
    }).stateMachine;
    for (const fn of [f.startRun, f.operatorApi]) {
      fn.addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
      this.stateMachine.grantStartExecution(fn);
    }

    // ClaimCase: moving a case to litigation waits for an operator with the legal role.
    this.claimCaseMachine = new ClaimCaseWorkflow(this, 'ClaimCaseFlow', {
      prefix,
      logRemoval,
      functions: { recordCase: f.claimCase, waitForApproval: f.claimCase, buildPackage: f.claimCase },
    }).stateMachine;
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
    grantTaskTokenAnswers(f.operatorApi, ['states:SendTaskSuccess', 'states:SendTaskFailure']);
    // claim-case's wait step answers at once when the decision was taken before the wait started.
    grantTaskTokenAnswers(f.claimCase, ['states:SendTaskSuccess']);

    // ---------------------------------------------------------------- triggers
    this.schedule = new DunningSchedule(this, 'DunningSchedule', { prefix, config: cfg, startRun: f.startRun, deadLetterQueue: dlqs.runTrigger }).schedule;
    new BankUploadTrigger(this, 'BankFileUploaded', { bucket: importsBucket, prefix: BANK_IMPORT_PREFIX, target: f.bankImport, deadLetterQueue: dlqs.bankImport });
    // Reports: the weekly management summary on its own schedule (grants and REPORTS_CONFIG in the construct).
    new ClaimflowReports(this, 'Reports', { prefix, timeZone: cfg.timeZone, weeklySummary: f.weeklySummary, operatorApi: f.operatorApi, table, documentsBucket, email, deadLetterQueue: dlqs.runTrigger });
    new SesFeedbackTrigger(this, 'SesBounceOrComplaint', { configurationSetName: email.configurationSetName, target: f.sesFeedback, deadLetterQueue: dlqs.sesFeedback });

    // ---------------------------------------------------------------- HTTP API
    this.api = new ClaimflowApi(this, 'Api', { prefix, logRemoval, webhook: f.webhook, operator: f.operatorApi });
    this.httpApi = this.api.httpApi;
    this.apiStage = this.api.stage;
    // ---------------------------------------------------------------- web console
    new ClaimflowConsole(this, 'Console', { prefix, logRemoval, httpApi: this.httpApi, operator: f.operatorApi });

    // ---------------------------------------------------------------- alarms
    const alarms = (this.alarms = new ClaimflowAlarms(this, 'Alarms', { prefix, ...(cfg.alarmEmail ? { alarmEmail: cfg.alarmEmail } : {}) }));
    this.alarmTopic = alarms.topic;
    const fiveMin = FIVE_MINUTES_SUM;
    alarms.alarm('RunFailed', this.stateMachine.metricFailed(fiveMin), 'A dunning run execution failed: open the state machine in the Step Functions console.');
    alarms.alarm('RunTimedOut', this.stateMachine.metricTimedOut(fiveMin), `A dunning run exceeded ${RUN_TIMEOUT.toHumanString()}.`);
    alarms.alarm('RunAborted', this.stateMachine.metricAborted(fiveMin), 'A dunning run was stopped before it finished.');
    alarms.alarm('ClaimCaseFailed', this.claimCaseMachine.metricFailed(fiveMin), 'A claim case execution failed (recording the case or building the litigation package): the case stays awaiting approval; see the ClaimCase executions.');
    alarms.alarm('ClaimCaseTimedOut', this.claimCaseMachine.metricTimedOut(fiveMin), `A claim case execution exceeded ${CLAIM_CASE_TIMEOUT.toHumanString()}: check the case and start a new approval request.`);
    alarms.alarm('WebhookErrors', f.webhook.metricErrors(fiveMin), 'The webhook function threw: senders retry, but check the logs and the failed-payloads queue.');
    for (const [key, q] of Object.entries(dlqs)) {
      alarms.alarm(
        `${key[0]!.toUpperCase()}${key.slice(1)}DlqNotEmpty`,
        q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
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
    new CfnOutput(this, 'SesConfigurationSet', { value: email.configurationSetName });
    if (cfg.sesIdentityKind === 'domain') {
      this.emailIdentity.dkimRecords.forEach((r, i) => {
        new CfnOutput(this, `DkimRecord${i + 1}`, { value: `${r.name} CNAME ${r.value}`, description: `DNS record ${i + 1} of 3 to verify ${cfg.sesIdentity} for SES (Easy DKIM)` });
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
