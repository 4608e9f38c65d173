/**
 * The one module that builds AWS SDK clients. Lambda handlers use `awsClients()` (each client built
 * once per container, on first use, from the runtime's region and credentials); the local stack and
 * tests build their own set with endpoints (`createAwsClients({ dynamo: {endpoint, …}, ses: {…} })`).
 * Every adapter receives its client from here through functions/adapters/compose.ts: no adapter or
 * handler constructs a client of its own.
 *
 * Every client gets SDK_LOGGER (no per-request log copies). SES gets maxAttempts 1: retries belong to
 * the mailer's caller, which knows whether a failure was ambiguous (functions/adapters/ses-mailer.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SDK_LOGGER } from './sdk-logger.js';

/** Where a client talks to (local endpoints and dummy credentials; empty in Lambda). */
export interface ClientTarget {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface AwsClientTargets {
  dynamo?: ClientTarget;
  s3?: ClientTarget;
  ses?: ClientTarget;
  sfn?: ClientTarget;
  sqs?: ClientTarget;
  secrets?: ClientTarget;
  ssm?: ClientTarget;
  events?: ClientTarget;
  lambda?: ClientTarget;
}

export interface AwsClients {
  readonly dynamo: DynamoDBClient;
  /** The document client over `dynamo` (undefined attributes removed on write). */
  readonly doc: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly ses: SESClient;
  readonly sfn: SFNClient;
  readonly sqs: SQSClient;
  readonly secrets: SecretsManagerClient;
  readonly ssm: SSMClient;
  /** EventBridge (credit control's outgoing events). */
  readonly events: EventBridgeClient;
  /** Asynchronous invokes (the litigation-package worker). */
  readonly lambda: LambdaClient;
}

const target = (t: ClientTarget | undefined) => ({
  ...(t?.endpoint ? { endpoint: t.endpoint } : {}),
  ...(t?.region ? { region: t.region } : {}),
  ...(t?.credentials ? { credentials: t.credentials } : {}),
});

/** The SES client options (also used by a local SES: same single attempt and timeouts). */
export function sesClientOptions(t?: ClientTarget) {
  return {
    logger: SDK_LOGGER,
    ...target(t),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 20_000, throwOnRequestTimeout: true },
  };
}

export function createDynamoClient(t?: ClientTarget): DynamoDBClient {
  return new DynamoDBClient({ logger: SDK_LOGGER, ...target(t) });
}

export function documentClient(dynamo: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
}

export function createSesClient(t?: ClientTarget): SESClient {
  return new SESClient(sesClientOptions(t));
}

/** A set of clients, each built on first use. */
export function createAwsClients(targets: AwsClientTargets = {}): AwsClients {
  const made = new Map<string, unknown>();
  const once = <T>(key: string, build: () => T): T => {
    if (!made.has(key)) made.set(key, build());
    return made.get(key) as T;
  };
  return {
    get dynamo() {
      return once('dynamo', () => createDynamoClient(targets.dynamo));
    },
    get doc() {
      return once('doc', () => documentClient(this.dynamo));
    },
    get s3() {
      return once('s3', () => new S3Client({ logger: SDK_LOGGER, ...target(targets.s3) }));
    },
    get ses() {
      return once('ses', () => createSesClient(targets.ses));
    },
    get sfn() {
      return once('sfn', () => new SFNClient({ logger: SDK_LOGGER, ...target(targets.sfn) }));
    },
    get sqs() {
      return once('sqs', () => new SQSClient({ logger: SDK_LOGGER, ...target(targets.sqs) }));
    },
    get secrets() {
      return once('secrets', () => new SecretsManagerClient({ logger: SDK_LOGGER, ...target(targets.secrets) }));
    },
    get ssm() {
      return once('ssm', () => new SSMClient({ logger: SDK_LOGGER, ...target(targets.ssm) }));
    },
    get events() {
      return once('events', () => new EventBridgeClient({ logger: SDK_LOGGER, ...target(targets.events) }));
    },
    get lambda() {
      return once('lambda', () => new LambdaClient({ logger: SDK_LOGGER, ...target(targets.lambda) }));
    },
  };
}

let lambdaClients: AwsClients | undefined;

/** The Lambda container's clients (region and credentials from the runtime), built once each. */
export function awsClients(): AwsClients {
  return (lambdaClients ??= createAwsClients());
}
