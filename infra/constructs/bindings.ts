/**
 * The only way a function gets an environment variable: each binding sets the variables a function
 * reads (functions/config.ts FUNCTION_ENV) together with the grant that makes them usable, so a name
 * without its permission (or a permission nobody reads) cannot be written. Settings that name no
 * resource (time zone, policy, requisites) go through `setting()`, which accepts only those keys.
 * test/infra/function-env.test.ts checks every function's variables against its schema, and that no
 * other file calls addEnvironment.
 */
import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { LetterEmail } from './email.js';

/**
 * Table access by what a function does. Every list is explicit (no CDK grant groups): no stream
 * actions, no DescribeTable, DeleteItem only where an item is removed, Scan only where a report scans.
 *  - read: GetItem, BatchGetItem, Query (table and its indexes);
 *  - write: read + PutItem, UpdateItem, ConditionCheckItem (TransactWriteItems is authorized through
 *    the actions of its parts; a ledger write's follow-up transaction checks the SUMMARY version);
 *  - writeDelete: write + DeleteItem (closing a claim case removes its open-case marker).
 * No function gets BatchWriteItem: only the bench's and the local stack's history import sends it.
 * A function whose needs are narrower than a group names its actions (find-debtors only queries the
 * debtor index; ses-feedback only updates letter and contact items).
 */
export const TABLE_ACCESS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  write: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
  writeDelete: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem'],
} as const;
export type TableAccess = keyof typeof TABLE_ACCESS;
/** A table action a function may be given by name (narrower than its group). */
export type TableAction = 'dynamodb:GetItem' | 'dynamodb:Query' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem';

/** Keys `setting()` accepts: configuration that names no AWS resource. */
export const PLAIN_SETTINGS = [
  'COMPANY_TIME_ZONE',
  'COMPANY_REQUISITES',
  'COMPANY_ACCOUNTS',
  'DUNNING_POLICY',
  'DUNNING_POLICY_OVERRIDES',
  'ENVELOPE_FORMAT',
  'DIGEST_RECIPIENTS',
  'LEGAL_TEAM_RECIPIENTS',
  'LEGAL_ROLE_PRINCIPALS',
  'YOOKASSA_ALLOWLIST',
  'WEBHOOK_SECRETS_TTL_SECONDS',
  'ARCHIVE_PREFIX',
  'REPORTS_CONFIG',
  'REPORT_SYNC_BUDGET_MS',
  'CREDIT_HOLD_START',
  'CREDIT_WEBHOOK_URLS',
  'CREDIT_EVENTBRIDGE',
  'CREDIT_PRINCIPAL_ROLES',
  'CREDIT_POLICY',
  'CLAIMFLOW_TEMPLATES_DIR',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_LOG_LEVEL',
  'LOG_LEVEL',
  'NODE_OPTIONS',
] as const;
export type PlainSetting = (typeof PLAIN_SETTINGS)[number];

export type ObjectAccess = 'read' | 'write' | 'readWrite';

/**
 * Object access under one key prefix, with explicit actions (no s3:GetObject* style groups):
 * read = GetObject (+ ListBucket limited to the prefix, so a missing key answers 404 rather than 403),
 * write = PutObject, readWrite = both. `versions` adds GetObjectVersion (reading a given version of
 * a versioned bucket). Letters and packages are never deleted by the functions.
 */
export function grantObjects(fn: lambda.IFunction, bucket: s3.IBucket, prefix: string, access: ObjectAccess, opts: { versions?: boolean } = {}): void {
  const read = access !== 'write';
  const write = access !== 'read';
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: [...(read ? ['s3:GetObject'] : []), ...(read && opts.versions ? ['s3:GetObjectVersion'] : []), ...(write ? ['s3:PutObject'] : [])],
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

/** The bindings of one function. */
export class Bindings {
  constructor(readonly fn: lambda.Function) {}

  /** A configuration value that names no resource. */
  setting(key: PlainSetting, value: string): this {
    this.fn.addEnvironment(key, value);
    return this;
  }

  /** TABLE_NAME and the table actions for `access` (a group, or the exact actions) on the table and its indexes; `scan` only where a function scans (reports). */
  table(table: dynamodb.ITable, access: TableAccess | readonly TableAction[], opts: { scan?: boolean } = {}): this {
    this.fn.addEnvironment('TABLE_NAME', table.tableName);
    const actions = [...(typeof access === 'string' ? TABLE_ACCESS[access] : access), ...(opts.scan ? ['dynamodb:Scan'] : [])];
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [table.tableArn, `${table.tableArn}/index/*`] }));
    return this;
  }

  /** BUCKET_NAME and object access per prefix of the documents bucket. */
  documents(bucket: s3.IBucket, prefixes: Record<string, ObjectAccess>): this {
    this.fn.addEnvironment('BUCKET_NAME', bucket.bucketName);
    for (const [prefix, access] of Object.entries(prefixes)) grantObjects(this.fn, bucket, prefix, access);
    return this;
  }

  /** Reading uploads (any version) under `prefix` of a bucket named by the triggering event (no variable). */
  uploads(bucket: s3.IBucket, prefix: string): this {
    grantObjects(this.fn, bucket, prefix, 'read', { versions: true });
    return this;
  }

  /** DLQ_URL and SendMessage on that queue. */
  deadLetters(queue: sqs.IQueue): this {
    this.fn.addEnvironment('DLQ_URL', queue.queueUrl);
    queue.grantSendMessages(this.fn);
    return this;
  }

  /** WEBHOOK_SECRETS_ARN and GetSecretValue on that secret. */
  webhookSecrets(secret: secretsmanager.ISecret): this {
    this.fn.addEnvironment('WEBHOOK_SECRETS_ARN', secret.secretArn);
    secret.grantRead(this.fn);
    return this;
  }

  /** STATE_MACHINE_ARN (DunningRun) or CLAIM_CASE_STATE_MACHINE_ARN and StartExecution on it. */
  starts(key: 'STATE_MACHINE_ARN' | 'CLAIM_CASE_STATE_MACHINE_ARN', machine: sfn.IStateMachine): this {
    this.fn.addEnvironment(key, machine.stateMachineArn);
    machine.grantStartExecution(this.fn);
    return this;
  }

  /** CREDIT_EVENT_BUS and PutEvents on that bus only. */
  eventBus(bus: events.IEventBus): this {
    this.fn.addEnvironment('CREDIT_EVENT_BUS', bus.eventBusName);
    bus.grantPutEventsTo(this.fn);
    return this;
  }

  /** SES_FROM_ADDRESS, SES_CONFIGURATION_SET and the send grant. */
  sends(email: LetterEmail): this {
    this.fn.addEnvironment('SES_FROM_ADDRESS', email.fromAddress);
    this.fn.addEnvironment('SES_CONFIGURATION_SET', email.configurationSetName);
    email.grantSend(this.fn);
    return this;
  }

  /** PACKAGE_WORKER_FUNCTION or REPORT_WORKER_FUNCTION (a function's name) and InvokeFunction on that function (asynchronous invokes). */
  invokes(key: 'PACKAGE_WORKER_FUNCTION' | 'REPORT_WORKER_FUNCTION', target: lambda.IFunction): this {
    this.fn.addEnvironment(key, target.functionName);
    target.grantInvoke(this.fn);
    return this;
  }

  /** RULES_PARAMETER_NAME and GetParameter on that one parameter. */
  rules(parameterName: string): this {
    this.fn.addEnvironment('RULES_PARAMETER_NAME', parameterName);
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [Stack.of(this.fn).formatArn({ service: 'ssm', resource: 'parameter', resourceName: parameterName.replace(/^\//, '') })],
      }),
    );
    return this;
  }
}

export const bind = (fn: lambda.Function) => new Bindings(fn);
