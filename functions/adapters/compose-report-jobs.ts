/**
 * Wiring of the report jobs (a composition module): the job store on the table, the documents store
 * the file goes to, and the worker that builds outside the request. The cloud passes the weekly-summary
 * function's asynchronous invoke (lambda-job-worker.ts); without one (the local stack, tests) the job
 * runs in this process after the request has been answered.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReportsDeps } from '../app/reports.js';
import { runReportJob, type ReportJobDeps } from '../app/report-jobs.js';
import type { DocumentStore } from '../ports/index.js';
import type { ReportWorker } from '../ports/report-jobs.js';
import { DynamoReportJobs } from './dynamo-report-jobs.js';

export function composeReportJobs(x: {
  reports: ReportsDeps;
  documents: DocumentStore;
  doc: DynamoDBDocumentClient;
  tableName: string;
  worker?: ReportWorker;
  now?: () => Date;
  warn?: (message: string, details: Record<string, unknown>) => void;
}): ReportJobDeps {
  const jobs = new DynamoReportJobs({ doc: x.doc, tableName: x.tableName });
  const now = x.now ?? (() => new Date());
  const run = { reports: x.reports, documents: x.documents, jobs, now, ...(x.warn ? { warn: x.warn } : {}) };
  const inProcess: ReportWorker = {
    async start(job) {
      // Not awaited: the route answers 202 while the report is built; runReportJob records any failure on the job.
      void runReportJob(run, job).catch((err: unknown) => x.warn?.('report job could not record its outcome', { jobId: job.jobId, error: (err as Error).message }));
    },
  };
  return { ...run, worker: x.worker ?? inProcess, newId: () => `rpt-${randomUUID()}` };
}
