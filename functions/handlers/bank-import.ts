/**
 * Lambda entry: a 1C client-bank file uploaded to the imports bucket (S3 ObjectCreated, delivered
 * as an S3 notification or as an EventBridge "Object Created" event) → GetObject → importBankStatement.
 * Broken sections and review items are logged; an infrastructure failure throws, so the async
 * invocation is retried (then dead-lettered); reimporting is idempotent.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { DynamoLedger } from '../adapters/compose-ledger.js';
import { DynamoBankDirectory } from '../adapters/dynamo-bank-directory.js';
import { ConfigError } from '../domain/errors.js';
import { importBankStatement, type BankImportResult } from '../ingest/bank-import.js';
import { SDK_LOGGER } from '../adapters/sdk-logger.js';

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'claimflow', persistentKeys: { function: 'bank-import' } });

const zEnv = z.object({
  TABLE_NAME: z.string().min(1),
  /** Comma-separated settlement accounts of the company; payments into other accounts are skipped. Empty: the accounts the file lists. */
  COMPANY_ACCOUNTS: z.string().optional().transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : [])),
});
const parsedEnv = zEnv.safeParse(process.env);
if (!parsedEnv.success) {
  throw new ConfigError(`bank-import configuration invalid: ${parsedEnv.error.issues.map((i) => `${i.path.join('.')}: ${i.input === undefined ? 'is not set' : i.message}`).join('; ')}`);
}
const env = parsedEnv.data;
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ logger: SDK_LOGGER }), { marshallOptions: { removeUndefinedValues: true } });
const s3 = new S3Client({ logger: SDK_LOGGER });
const ledger = new DynamoLedger({ doc, tableName: env.TABLE_NAME });

/** The uploaded objects named by an S3 notification or an EventBridge Object Created event. */
export function objectsOf(event: unknown): { bucket: string; key: string; versionId?: string }[] {
  const e = event as { Records?: { s3?: { bucket?: { name?: string }; object?: { key?: string; versionId?: string } } }[]; detail?: { bucket?: { name?: string }; object?: { key?: string; 'version-id'?: string } } };
  if (Array.isArray(e.Records)) {
    return e.Records.flatMap((r) =>
      r.s3?.bucket?.name && r.s3.object?.key
        ? [{ bucket: r.s3.bucket.name, key: decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')), ...(r.s3.object.versionId ? { versionId: r.s3.object.versionId } : {}) }]
        : [],
    );
  }
  if (e.detail?.bucket?.name && e.detail.object?.key) {
    return [{ bucket: e.detail.bucket.name, key: e.detail.object.key, ...(e.detail.object['version-id'] ? { versionId: e.detail.object['version-id'] } : {}) }];
  }
  return [];
}

export const handler = async (event: unknown): Promise<BankImportResult[]> => {
  const results: BankImportResult[] = [];
  try {
    for (const obj of objectsOf(event)) {
      const importId = `${obj.bucket}/${obj.key}${obj.versionId ? `#${obj.versionId}` : ''}`;
      logger.setCorrelationId(importId);
      const out = await s3.send(new GetObjectCommand({ Bucket: obj.bucket, Key: obj.key, ...(obj.versionId ? { VersionId: obj.versionId } : {}) }));
      if (!out.Body) throw new Error(`s3://${obj.bucket}/${obj.key} is empty`);
      const bytes = await out.Body.transformToByteArray();
      const directory = new DynamoBankDirectory({ doc, tableName: env.TABLE_NAME });
      const result = await importBankStatement(
        { ledger, directory, review: directory, config: { companyAccounts: env.COMPANY_ACCOUNTS }, now: () => new Date(), logger },
        { importId, bytes, archiveRef: `s3://${obj.bucket}/${obj.key}` },
      );
      for (const e of result.errors) logger.warn('bank file: broken section', { importId, line: e.line, message: e.message });
      for (const r of result.review) logger.warn('bank file: document sent to review', { importId, line: r.line, reason: r.reason });
      results.push(result);
    }
    return results;
  } catch (err) {
    logger.error('bank import failed; the invocation will be retried', { error: err as Error });
    throw err;
  } finally {
    logger.resetKeys();
  }
};
