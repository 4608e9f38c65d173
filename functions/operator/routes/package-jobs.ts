/**
 * The litigation package, asynchronously (issue 17 item 10): building it can take longer than API
 * Gateway's 29 s, so
 *   POST /operator/cases/{caseId}/package   {asOf?, by?}  → 202 {jobId, status: 'running', poll}
 *   GET  /operator/package-jobs/{jobId}                   → {status: running | done | failed, manifest? , error?}
 * When done, the manifest lists every file with its key; each downloads with GET /operator/documents?key=…
 * (and the newest manifest stays at GET /operator/cases/{caseId}/package).
 */
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { zDate } from '../../domain/ledger/commands.js';
import type { CalendarDate } from '../../domain/dates.js';
import { packageJobStatus, startPackageJob, type PackageJobDeps } from '../../app/package-jobs.js';
import { jobAccepted, json, param, parse, type RouteDef } from '../route-kit.js';
import type { OperatorRouterDeps } from '../router.js';

const jobsOf = (deps: OperatorRouterDeps): PackageJobDeps => {
  if (!deps.packageJobs) throw new NotFoundError('litigation packages are not configured on this endpoint');
  return deps.packageJobs;
};

/** Where a job is polled (relative to /operator/). */
export const packageJobPath = (jobId: string) => `package-jobs/${encodeURIComponent(jobId)}`;

export const packageJobRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: 'cases/:caseId/package',
    action: 'case.package',
    handler: async (deps, ctx) => {
      const b = parse(z.object({ by: z.string().optional(), asOf: zDate.optional() }), ctx.body() ?? {});
      const { by } = ctx.actor(b.by);
      if (!by) throw new ValidationError([{ field: 'by', message: 'required: who acts (CLI --by or $USER)' }]);
      const job = await startPackageJob(jobsOf(deps), { caseId: param(ctx, 'caseId'), by, ...(b.asOf ? { asOf: b.asOf as CalendarDate } : {}) });
      return jobAccepted(job, packageJobPath(job.jobId));
    },
  },
  {
    method: 'GET',
    path: 'package-jobs/:jobId',
    handler: async (deps, ctx) => json(200, await packageJobStatus(jobsOf(deps), param(ctx, 'jobId', z.string().regex(/^pkg-[0-9a-f-]{36}$/, { message: 'a package job id' })))),
  },
];
