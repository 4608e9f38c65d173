/**
 * Reports as jobs (issue 14, reports at 1M invoices): a report that reads the whole ledger can take
 * longer than API Gateway's 29 s, so
 *   POST /operator/reports/{name}/jobs  {asOf, from?, to?, period?, groupBy?, buckets?, recoveryWindowDays?,
 *                                         format?, part?, source?, by?}   → 202 {jobId, status: 'running', poll} (+ Location)
 *   GET  /operator/report-jobs/{jobId}  → {status: running | done | failed, result?: {key, filename, contentType, bytes, rows, readItems}, error?}
 * The body takes the synchronous GET's query parameters; bad ones answer 400 at once (nothing is
 * recorded). When done, the file downloads with GET /operator/documents?key=<result.key>.
 *
 * Roles: like GET /operator/reports/{name}, a report job only reads the ledger (its file is its own),
 * so it needs a signed-in identity and no action of functions/domain/roles.ts.
 */
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { REPORT_PARAMS, reportJobStatus, startReportJob, type ReportJobDeps } from '../../app/report-jobs.js';
import { jobAccepted, json, param, parse, type RouteDef } from '../route-kit.js';
import type { OperatorRouterDeps } from '../router.js';

const jobsOf = (deps: OperatorRouterDeps): ReportJobDeps => {
  if (!deps.reportJobs) throw new NotFoundError('report jobs are not configured on this endpoint');
  return deps.reportJobs;
};

/** Where a job is polled (relative to /operator/). */
export const reportJobPath = (jobId: string) => `report-jobs/${encodeURIComponent(jobId)}`;

/** A report parameter in a JSON body: a string as in the GET's query (a number is taken as its digits). */
const zParam = z
  .union([z.string().max(2000), z.number()])
  .transform((v) => String(v))
  .optional();
const zReportJobRequest = z.object({ by: z.string().optional(), ...Object.fromEntries(REPORT_PARAMS.map((k) => [k, zParam])) });

export const reportJobRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: 'reports/:name/jobs',
    handler: async (deps, ctx) => {
      const b = parse(zReportJobRequest, ctx.body() ?? {}) as { by?: string } & Record<string, string | undefined>;
      const { by } = ctx.actor(b.by);
      if (!by) throw new ValidationError([{ field: 'by', message: 'required: who acts (CLI --by or $USER)' }]);
      const params = Object.fromEntries(REPORT_PARAMS.filter((k) => b[k] !== undefined).map((k) => [k, b[k]!]));
      const job = await startReportJob(jobsOf(deps), { name: ctx.params.name ?? '', params, by });
      return jobAccepted(job, reportJobPath(job.jobId));
    },
  },
  {
    method: 'GET',
    path: 'report-jobs/:jobId',
    handler: async (deps, ctx) => json(200, await reportJobStatus(jobsOf(deps), param(ctx, 'jobId', z.string().regex(/^rpt-[0-9a-f-]{36}$/, { message: 'a report job id' })))),
  },
];
