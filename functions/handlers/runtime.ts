/**
 * Shared cold-start wiring for the Lambda handlers: configuration read and validated once, SDK clients
 * created once per module, Powertools Logger with the correlation id of each invocation.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig, requireSetting, type RuntimeConfig } from '../config.js';
import { compose, settingsFromConfig, type Composed } from '../adapters/compose.js';
import { createS3DocumentStore } from '../adapters/s3-documents.js';
import { createSesMailer, sesClientFromEnv } from '../adapters/ses-mailer.js';
import { createSqsDeadLetters } from '../adapters/sqs-dead-letters.js';
import { createSfnStarter } from '../adapters/sfn-starter.js';
import { createSfnApprovalSignal } from '../adapters/sfn-approval.js';
import { SDK_LOGGER } from '../adapters/sdk-logger.js';
import { PowertoolsMetrics } from '../adapters/metrics.js';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'claimflow' });
/** Business metrics (letters per stage, ambiguous letters, failed customers, ingest refusals) as CloudWatch EMF. */
export const metrics = new PowertoolsMetrics({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'claimflow' });

let cached: { config: RuntimeConfig; app: Composed } | undefined;

function claimFlow(arn: string) {
  const starter = createSfnStarter(arn);
  return { start: (name: string, input: { caseId: string; customerId: string; round: number }) => starter.start(name, { ...input }) };
}

export function runtime(): { config: RuntimeConfig; app: Composed } {
  if (cached) return cached;
  const config = loadConfig(process.env);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ logger: SDK_LOGGER }), { marshallOptions: { removeUndefinedValues: true } });
  const settings = settingsFromConfig(config);
  const app = compose(
    {
      doc,
      tableName: config.TABLE_NAME,
      documents: createS3DocumentStore(requireSetting(config.BUCKET_NAME, 'BUCKET_NAME')),
      mailer: createSesMailer({ client: sesClientFromEnv(), from: requireSetting(config.SES_FROM_ADDRESS, 'SES_FROM_ADDRESS'), configurationSet: config.SES_CONFIGURATION_SET }),
      ...(config.DLQ_URL ? { deadLetters: createSqsDeadLetters(config.DLQ_URL) } : {}),
      ...(config.CLAIM_CASE_STATE_MACHINE_ARN ? { claimFlow: claimFlow(config.CLAIM_CASE_STATE_MACHINE_ARN), approval: createSfnApprovalSignal() } : {}),
      metrics,
    },
    settings,
  );
  cached = { config, app };
  return cached;
}
