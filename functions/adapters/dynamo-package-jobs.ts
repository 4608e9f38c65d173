/**
 * DynamoDB store of litigation-package jobs (functions/ports/package-jobs.ts).
 *
 * Item: PKGJOB#<jobId> / PKGJOB (table-design.ts keys.packageJob) — the job (status, who, when, the
 * manifest or the error); expires (TTL `expiresAt`) 30 days after its start: the package itself stays
 * under cases/<caseId>/ and on the case.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PackageJob } from '../ports/package-jobs.js';
import { DynamoJobStore } from './dynamo-jobs.js';
import { keys } from './table-design.js';

export class DynamoPackageJobs extends DynamoJobStore<PackageJob, 'manifest'> {
  constructor(opts: { doc: DynamoDBDocumentClient; tableName: string }) {
    super(opts, { key: keys.packageJob, name: 'package-job' });
  }
}
