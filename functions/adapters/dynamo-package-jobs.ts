/**
 * DynamoDB store of litigation-package jobs (functions/ports/package-jobs.ts).
 *
 * Item: PKGJOB#<jobId> / PKGJOB — the job (status, who, when, the manifest or the error); expires
 * (TTL `expiresAt`) 30 days after its start: the package itself stays under cases/<caseId>/ and on the case.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PackageJob, PackageJobStore } from '../ports/package-jobs.js';
import { clean, TableAdapter, withoutKeys } from './dynamo-helpers.js';

const key = (jobId: string) => ({ PK: `PKGJOB#${jobId}`, SK: 'PKGJOB' });
const TTL_DAYS = 30;

export class DynamoPackageJobs extends TableAdapter implements PackageJobStore {
  async create(job: PackageJob): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: clean({ ...key(job.jobId), kind: 'package-job', ...job, expiresAt: Math.floor(Date.parse(job.startedAt) / 1000) + TTL_DAYS * 86_400 }),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async get(jobId: string): Promise<PackageJob | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: key(jobId), ConsistentRead: true }));
    if (!r.Item) return undefined;
    const { expiresAt: _exp, ...job } = withoutKeys<PackageJob & { expiresAt?: number }>(r.Item);
    return job;
  }

  async settle(jobId: string, outcome: Pick<PackageJob, 'status' | 'finishedAt' | 'manifest' | 'error'>): Promise<void> {
    const o = clean({ ...outcome }) as Record<string, unknown>;
    const names = Object.keys(o);
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: key(jobId),
        UpdateExpression: `SET ${names.map((_n, i) => `#k${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#k${i}`, n])),
        ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, o[n]])),
        ConditionExpression: 'attribute_exists(PK)',
      }),
    );
  }
}
