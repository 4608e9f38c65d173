/**
 * Lambda entry: a 1C client-bank file uploaded to the imports bucket (S3 ObjectCreated, delivered
 * as an S3 notification or as an EventBridge "Object Created" event) → GetObject (of that version) → importBankStatement.
 * Broken sections and review items are logged; an infrastructure failure throws, so the async
 * invocation is retried (then dead-lettered); reimporting is idempotent.
 */
import { loadFunctionConfig } from '../config.js';
import { awsClients } from '../adapters/aws-clients.js';
import { composeBankImportLambda } from '../adapters/compose.js';
import { importBankStatement, type BankImportResult } from '../ingest/bank-import.js';
import { logger } from './runtime.js';

logger.appendPersistentKeys({ function: 'bank-import' });
// Cold start: a missing or bad variable (COMPANY_ACCOUNTS: 20 digits each) throws here, naming it.
const wiring = composeBankImportLambda(loadFunctionConfig('bankImport'), awsClients(), logger);

/** The uploaded objects named by an S3 notification or an EventBridge Object Created event. */
export function objectsOf(event: unknown): { bucket: string; key: string; versionId?: string }[] {
  const e = event as {
    Records?: { s3?: { bucket?: { name?: string }; object?: { key?: string; versionId?: string } } }[];
    detail?: { bucket?: { name?: string }; object?: { key?: string; 'version-id'?: string } };
  };
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
      const bytes = await wiring.objects.bytes(obj);
      const result = await importBankStatement(wiring.deps(), { importId, bytes, archiveRef: `s3://${obj.bucket}/${obj.key}` });
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
