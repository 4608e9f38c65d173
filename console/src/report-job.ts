/**
 * Reports as jobs: a report that reads the whole ledger can outlast a request (API Gateway's 29 s), so
 * the API answers REPORT_NEEDS_JOB instead of the report. The console then runs the same report as a
 * job (POST reports/{name}/jobs → 202, GET report-jobs/{jobId} until done; jobs.ts) and reads the
 * job's file (GET documents?key=…): the report's JSON to show it, or the export to save.
 */
import { ApiError, enc, get, post } from './api.js';
import { runJob } from './jobs.js';

/** The API's answer when the synchronous report ran out of its read budget. */
export const REPORT_NEEDS_JOB = 'REPORT_NEEDS_JOB';

export interface ReportJob {
  jobId: string;
  name: string;
  status: 'running' | 'done' | 'failed';
  result?: { key: string; filename: string; contentType: string; bytes: number; rows: number; readItems: number };
  error?: { code: string; message: string };
}

/** Runs report `name` with `params` (the GET's query parameters) as a job; resolves once its file is written. */
export const runReportJob = (name: string, params: Record<string, string>, onProgress: (seconds: number) => void, pollMs = 1000): Promise<ReportJob> =>
  runJob(
    () => post<ReportJob>(`reports/${enc(name)}/jobs`, params),
    (jobId) => get<ReportJob>(`report-jobs/${enc(jobId)}`),
    onProgress,
    'the report could not be built',
    pollMs,
  );

/** `sync()`, or `asJob()` when the API answers REPORT_NEEDS_JOB; any other error is thrown as it is. */
export async function orAsJob<T>(sync: () => Promise<T>, asJob: () => Promise<T>): Promise<T> {
  try {
    return await sync();
  } catch (err) {
    if (err instanceof ApiError && err.code === REPORT_NEEDS_JOB) return asJob();
    throw err;
  }
}

/** The path of a done job's file (GET documents?key=…). */
export const jobFile = (job: ReportJob) => `documents?key=${enc(job.result?.key ?? '')}`;
