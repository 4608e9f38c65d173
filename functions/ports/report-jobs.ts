/**
 * Ports of reports built as jobs (functions/app/report-jobs.ts): a report that reads the whole ledger
 * takes minutes at 1M invoices, longer than API Gateway's 29 s, so it runs outside the request (cloud:
 * the weekly-summary Lambda invoked asynchronously, 900 s; local: the same use case in-process) and
 * writes its file to the documents store. The shape every job shares is ./jobs.ts.
 */
import type { JobRecord, JobStore, JobWorker } from './jobs.js';

/** The report's parameters as the synchronous GET takes them in its query (asOf, from, to, period, groupBy, buckets, …). */
export type ReportJobParams = Record<string, string>;

/** What a done report job wrote. */
export interface ReportJobResult {
  /** The file in the documents store (reports/jobs/<jobId>/<filename>): GET /operator/documents?key=… */
  key: string;
  filename: string;
  contentType: string;
  /** The file's size in bytes. */
  bytes: number;
  /** Detail rows of the report. */
  rows: number;
  /** Items the report read from the table (0 when it read only the nightly snapshots). */
  readItems: number;
}

/** One report run as a job, started by an operator. */
export interface ReportJob extends JobRecord {
  /** The report (aging, dynamics, …). */
  name: string;
  params: ReportJobParams;
  /** When done: where the file is and what it holds. */
  result?: ReportJobResult;
}

export type ReportJobStore = JobStore<ReportJob, 'result'>;

/** Hands a recorded job to whatever builds the report; returns once it is under way, not when it is done. */
export type ReportWorker = JobWorker<ReportJob>;
