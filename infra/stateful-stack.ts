/**
 * Stateful stack: everything that holds data and must survive a redeploy or a deleted service
 * stack. The DynamoDB table (built from the shared TABLE_DESIGN), the documents bucket (letters,
 * print batches, court packages, statements, raw webhook archive), the bank-imports bucket, the
 * server-access-log bucket and the webhook signing secret.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLE_DESIGN } from '../functions/adapters/table-design.js';
import { namePrefix, type ClaimflowConfig } from './config.js';

/** Key prefixes inside the documents bucket. IAM grants are scoped to these. */
export const DOCUMENT_PREFIXES = {
  /** Rendered letters and each run's print batch: letters/<runDate>/<stage>/<customerId>.pdf|json, letters/<runDate>/print-batch-<runDate>.pdf */
  letters: 'letters/',
  /** Litigation packages: court/<caseId>/... */
  court: 'court/',
  /** Reconciliation statements (акт сверки): statements/<customerId>/<from>_<to>.pdf */
  statements: 'statements/',
  /** Raw webhook payloads, archived before they are acknowledged: archive/<source>/<date>/<id>.json */
  archive: 'archive/',
  /** Claim cases moved to litigation: the litigation package and its manifest, cases/<caseId>/... */
  cases: 'cases/',
  /** Receivables reports: the weekly management summary, reports/weekly-summary/<date>.pdf|json */
  reports: 'reports/',
} as const;

/** The secret's value until operators put theirs: no key, so every signed webhook is refused. */
export const EMPTY_WEBHOOK_SECRETS = { billing: [], stripe: '', cloudpayments: '' } as const;

/** The webhook secret's name (docs/deploy.md's put-secret-value names the same; test/infra/deploy-doc.test.ts checks). */
export function webhookSecretName(cfg: Pick<ClaimflowConfig, 'stage'>): string {
  return `${namePrefix(cfg)}/webhook-secrets`;
}

/** Key prefix inside the imports bucket that triggers the bank-statement import. */
export const BANK_IMPORT_PREFIX = 'bank/';

export interface StatefulStackProps extends StackProps {
  config: ClaimflowConfig;
}

export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;
  readonly documentsBucket: s3.Bucket;
  readonly importsBucket: s3.Bucket;
  readonly webhookSecrets: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const cfg = props.config;
    const prefix = namePrefix(cfg);
    const removalPolicy = cfg.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // --- DynamoDB: one table, the same design the local stack creates (functions/adapters/table-design.ts).
    // Encryption: the AWS-managed KMS key (aws/dynamodb). Reads and writes are still KMS-audited in
    // CloudTrail, and no key policy has to be kept in step with every function role across two stacks.
    // A customer-managed key costs a monthly fee and adds a failure mode (a disabled key locks the
    // ledger) without a requirement that calls for it; switch to CUSTOMER_MANAGED if one appears.
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: `${prefix}-ledger`,
      partitionKey: { name: TABLE_DESIGN.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_DESIGN.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: cfg.retainData,
      timeToLiveAttribute: TABLE_DESIGN.ttlAttribute,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy,
    });
    for (const gsi of TABLE_DESIGN.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.name,
        partitionKey: { name: gsi.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    // --- Server access logs for both data buckets.
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // S3 server access logging only delivers to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server-access-log bucket itself; logging it into itself would loop, and a second log bucket only moves the finding.',
    });

    // --- Documents: letters, print batches, court packages, statements and the raw webhook archive.
    this.documentsBucket = new s3.Bucket(this, 'Documents', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [
        // Letters and packages are evidence in court (3-year limitation period): current versions stay;
        // overwritten versions are kept for a year, then dropped.
        { id: 'expire-noncurrent', noncurrentVersionExpiration: Duration.days(365) },
        { id: 'abort-multipart', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy,
    });

    // --- Bank imports: a separate bucket rather than a prefix of the documents bucket:
    //  * whoever uploads bank files (an operator, a bank-integration user) gets write on this bucket
    //    only, never on letters or court packages;
    //  * the import trigger cannot fire on documents the functions write themselves (no recursion);
    //  * statements can follow their own retention without touching the evidence in Documents.
    // Uploads are announced through EventBridge (native bucket setting, no custom resource), so the
    // trigger lives in the service stack without a cross-stack cycle.
    this.importsBucket = new s3.Bucket(this, 'Imports', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'imports/',
      lifecycleRules: [
        { id: 'expire-noncurrent', noncurrentVersionExpiration: Duration.days(90) },
        { id: 'abort-multipart', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy,
    });
    (this.importsBucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    // --- Webhook signing secrets, kept here so a redeployed service stack never loses them.
    // Created by Secrets Manager with empty lists (GenerateSecretString: the template holds no value, so
    // no stack update can overwrite the keys operators put later); operators put the real ones with
    // put-secret-value (docs/deploy.md). The generated `unused` key is ignored by the webhook function.
    this.webhookSecrets = new secretsmanager.Secret(this, 'WebhookSecrets', {
      secretName: webhookSecretName(cfg),
      description: 'claimflow webhook signing secrets: {"billing":["<hmac key>", ...],"stripe":"whsec_...","cloudpayments":"<api secret>"}',
      generateSecretString: {
        secretStringTemplate: JSON.stringify(EMPTY_WEBHOOK_SECRETS),
        generateStringKey: 'unused',
        excludePunctuation: true,
        passwordLength: 16,
      },
      removalPolicy,
    });
    Validations.of(this.webhookSecrets).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The signing secrets are issued by Stripe, CloudPayments and the billing system; they are rotated in those systems and then put here with put-secret-value. The billing entry is a list so old and new keys overlap during a rotation. A Secrets Manager rotation Lambda cannot mint them.',
    });

    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'DynamoDB ledger table' });
    new CfnOutput(this, 'DocumentsBucketName', { value: this.documentsBucket.bucketName, description: 'Letters, print batches, court packages, statements, raw webhook archive' });
    new CfnOutput(this, 'ImportsBucketName', { value: this.importsBucket.bucketName, description: `Upload 1C client-bank files under ${BANK_IMPORT_PREFIX}` });
    new CfnOutput(this, 'WebhookSecretsArn', { value: this.webhookSecrets.secretArn, description: 'Put the webhook signing secrets here' });
  }
}
