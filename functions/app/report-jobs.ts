/**
 * Reports as jobs (issue 14, reports at 1M invoices): a report that reads the whole ledger takes
 * minutes at 1M invoices, longer than API Gateway's 29 s. So
 *  - the synchronous report (GET /operator/reports/{name}) reads within a budget
 *    (REPORT_SYNC_BUDGET_MS): when the read runs out of it, the source stops and the caller gets
 *    ReportNeedsJobError (422 REPORT_NEEDS_JOB), which names the job route;
 *  - a job (POST /operator/reports/{name}/jobs) validates the request at once (the parsing buildReport
 *    does), records a running job and hands it to the worker (cloud: the weekly-summary Lambda, 900 s,
 *    6 GB, invoked asynchronously; locally in-process), which builds the report with buildReport,
 *    with no budget, writes the rendered file to reports/jobs/<jobId>/<filename> and records where it is.
 * Operators poll the job (GET /operator/report-jobs/{jobId}) and download the file with
 * GET /operator/documents?key=…. The steps every job shares are ./jobs.ts.
 */
import { NotFoundError, ReportNeedsJobError } from '../domain/errors.js';
import type { DocumentStore } from '../ports/index.js';
import type { ReportSource } from '../ports/reports.js';
import type { ReportJob, ReportJobParams, ReportJobStore, ReportWorker } from '../ports/report-jobs.js';
import { asReported, jobDeadlineMs, recordAndStart, runJob } from './jobs.js';
import { buildReport, checkBuildRequest, type BuiltReport, type ReportsDeps } from './reports.js';

/**
 * How long a job's event may wait in the worker's queue (cloud: the weekly-summary function's maximum
 * event age; its one retry after a crash falls inside it too).
 */
export const REPORT_JOB_QUEUE_MS = 60 * 60_000;
/** The worker's own time limit (cloud: the weekly-summary function's timeout, 900 s). */
export const REPORT_JOB_RUN_MS = 15 * 60_000;
/** A job still running this long after its start is reported failed (TIMED_OUT): dropped or cut off. */
export const REPORT_JOB_DEADLINE_MS = jobDeadlineMs({ queueMs: REPORT_JOB_QUEUE_MS, runMs: REPORT_JOB_RUN_MS });

/** The parameters a report takes (the synchronous GET's query, the job's body). */
export const REPORT_PARAMS = ['asOf', 'from', 'to', 'period', 'groupBy', 'buckets', 'recoveryWindowDays', 'format', 'part', 'source'] as const;

/** Where a job's file is written in the documents store. */
export const reportJobKey = (jobId: string, filename: string) => `reports/jobs/${jobId}/${filename}`;

const WHAT = 'report';

export interface ReportJobDeps {
  reports: ReportsDeps;
  /** Where the worker writes the file (the documents bucket: reports/jobs/). */
  documents: DocumentStore;
  jobs: ReportJobStore;
  worker: ReportWorker;
  now: () => Date;
  newId: () => string;
  warn?: (message: string, details: Record<string, unknown>) => void;
}

/** The report's input as buildReport takes it. */
const inputOf = (name: string, params: ReportJobParams) =>
  ({ name, ...Object.fromEntries(REPORT_PARAMS.filter((k) => params[k] !== undefined).map((k) => [k, params[k]])) }) as Parameters<typeof buildReport>[1];

/**
 * Starts a report job: the request is validated here with buildReport's parsing (unknown report,
 * grouping, buckets, bad or reversed dates → ValidationError before anything is recorded), then a
 * running job is recorded and handed to the worker.
 */
export async function startReportJob(deps: ReportJobDeps, input: { name: string; params: ReportJobParams; by: string }): Promise<ReportJob> {
  const known = Object.fromEntries(REPORT_PARAMS.filter((k) => input.params[k] !== undefined && input.params[k] !== '').map((k) => [k, input.params[k]!]));
  await checkBuildRequest(deps.reports, inputOf(input.name, known));
  const job: ReportJob = { jobId: deps.newId(), name: input.name, params: known, status: 'running', by: input.by, startedAt: deps.now().toISOString() };
  return recordAndStart(deps, job, WHAT);
}

/** The worker's part: builds the report (no read budget), writes its file, records where it is (a failure is recorded, not thrown). */
export async function runReportJob(
  deps: Pick<ReportJobDeps, 'reports' | 'documents' | 'jobs' | 'now' | 'warn'>,
  job: Pick<ReportJob, 'jobId' | 'name' | 'params' | 'by'>,
): Promise<ReportJob['status']> {
  // runJob skips an event delivered twice and one whose job is not recorded.
  return runJob(
    { jobs: deps.jobs, now: deps.now, ...(deps.warn ? { warn: deps.warn } : {}) },
    job,
    WHAT,
    async () => {
      let readItems = 0;
      const built = await buildReport(deps.reports, inputOf(job.name, job.params), { onProgress: (p) => (readItems = p.items) });
      const bytes = fileOf(built);
      const key = reportJobKey(job.jobId, built.filename);
      await deps.documents.put(key, bytes, built.contentType);
      return { result: { key, filename: built.filename, contentType: built.contentType, bytes: bytes.byteLength, rows: built.report.detail.rows.length, readItems } };
    },
    { report: job.name },
  );
}

/** A job as operators see it; one running past REPORT_JOB_DEADLINE_MS is reported failed (TIMED_OUT). */
export async function reportJobStatus(deps: Pick<ReportJobDeps, 'jobs' | 'now'>, jobId: string): Promise<ReportJob> {
  const job = await deps.jobs.get(jobId);
  if (!job) throw new NotFoundError(`no report job ${jobId}`);
  return asReported(job, deps.now(), REPORT_JOB_DEADLINE_MS, WHAT);
}

/**
 * The synchronous report within a read budget: the source's read is aborted after `budgetMs`
 * (0: at once, every report that reads the ledger runs as a job) and the caller gets
 * ReportNeedsJobError. Reports that read no ledger (dynamics from the nightly snapshots) are not affected.
 */
export async function buildReportWithin(deps: ReportsDeps, input: Parameters<typeof buildReport>[1], budgetMs: number): Promise<BuiltReport> {
  return buildReport({ ...deps, source: withReadBudget(deps.source, String(input.name), budgetMs) }, input);
}

function withReadBudget(source: ReportSource, report: string, budgetMs: number): ReportSource {
  return {
    ...(source.ready ? { ready: (scope) => source.ready!(scope) } : {}),
    async books(opts = {}) {
      const budget = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      if (budgetMs <= 0) budget.abort();
      else timer = setTimeout(() => budget.abort(), budgetMs);
      try {
        return await source.books({ ...opts, signal: budget.signal });
      } catch (err) {
        if (budget.signal.aborted) throw new ReportNeedsJobError(report, budgetMs, { cause: err });
        throw err;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The rendered file; json as the report's JSON. */
function fileOf(built: BuiltReport): Uint8Array {
  return built.bytes ?? new TextEncoder().encode(JSON.stringify(built.report));
}
