/**
 * DynamoDB store of one kind of job record (functions/ports/jobs.ts): litigation packages
 * (dynamo-package-jobs.ts) and reports (dynamo-report-jobs.ts) differ only in their key and kind.
 *
 * Item: the job's key (functions/adapters/table-design.ts) — the job (status, who, when, its result or
 * error); expires (TTL `expiresAt`) 30 days after its start: what the job built stays where it wrote it.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JobRecord, JobStore } from '../ports/jobs.js';
import { clean, TableAdapter, withoutKeys } from './dynamo-helpers.js';

const TTL_DAYS = 30;

export class DynamoJobStore<J extends JobRecord, R extends keyof J = never> extends TableAdapter implements JobStore<J, R> {
  constructor(
    opts: { doc: DynamoDBDocumentClient; tableName: string },
    private readonly kind: { key: (jobId: string) => { PK: string; SK: string }; name: string },
  ) {
    super(opts);
  }

  async create(job: J): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: clean({ ...this.kind.key(job.jobId), kind: this.kind.name, ...job, expiresAt: Math.floor(Date.parse(job.startedAt) / 1000) + TTL_DAYS * 86_400 }),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async get(jobId: string): Promise<J | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: this.kind.key(jobId), ConsistentRead: true }));
    if (!r.Item) return undefined;
    const { expiresAt: _exp, ...job } = withoutKeys<J & { expiresAt?: number }>(r.Item);
    return job as unknown as J;
  }

  async settle(jobId: string, outcome: Pick<J, 'status' | 'finishedAt' | 'error' | R>): Promise<void> {
    const o = clean({ ...outcome }) as Record<string, unknown>;
    const names = Object.keys(o);
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.kind.key(jobId),
        UpdateExpression: `SET ${names.map((_n, i) => `#k${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#k${i}`, n])),
        ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, o[n]])),
        ConditionExpression: 'attribute_exists(PK)',
      }),
    );
  }
}
