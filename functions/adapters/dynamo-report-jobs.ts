/**
 * DynamoDB store of report jobs (functions/ports/report-jobs.ts).
 *
 * Item: RPTJOB#<jobId> / RPTJOB (table-design.ts keys.reportJob) — the job (report, parameters, status,
 * who, when, where the file is or the error); expires (TTL `expiresAt`) 30 days after its start.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReportJob } from '../ports/report-jobs.js';
import { DynamoJobStore } from './dynamo-jobs.js';
import { keys } from './table-design.js';

export class DynamoReportJobs extends DynamoJobStore<ReportJob, 'result'> {
  constructor(opts: { doc: DynamoDBDocumentClient; tableName: string }) {
    super(opts, { key: keys.reportJob, name: 'report-job' });
  }
}
