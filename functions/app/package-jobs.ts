/**
 * Litigation package builds as jobs (issue 17 item 10): building a package renders the calculation,
 * the statement and the letter copies and can take longer than API Gateway's 29 s, so the operator
 * route only starts a job (202 with its id) and the build runs elsewhere: in the cloud the claim-case
 * Lambda (the one the ClaimCase workflow builds packages with: 300 s, 1.5 GB) invoked asynchronously,
 * locally in-process. Operators poll the job until it is done (the manifest with every file's key) or
 * failed (the error's code and message).
 */
import { NotFoundError } from '../domain/errors.js';
import { assertApproved } from '../domain/claims/index.js';
import type { CalendarDate } from '../domain/dates.js';
import type { PackageJob, PackageJobStore, PackageWorker } from '../ports/package-jobs.js';
import { buildLitigationPackage, getCase, type ClaimsDeps } from './claims.js';
import { asReported, jobDeadlineMs, recordAndStart, runJob } from './jobs.js';

/** How long a job's event may wait in the worker's queue (cloud: the asynchronous invoke's maximum event age). */
export const PACKAGE_JOB_QUEUE_MS = 5 * 60_000;
/** The worker's own time limit (cloud: the claim-case function's timeout, 300 s). */
export const PACKAGE_JOB_RUN_MS = 5 * 60_000;
/**
 * A job still running this long after its start has failed: its event has waited as long as it may,
 * the worker as long as it can run, and a minute more; the build was dropped or cut off.
 */
export const PACKAGE_JOB_DEADLINE_MS = jobDeadlineMs({ queueMs: PACKAGE_JOB_QUEUE_MS, runMs: PACKAGE_JOB_RUN_MS });

/** What a failed or timed-out job names ("the package could not be built", "the package did not finish …"). */
const WHAT = 'package';

export interface PackageJobDeps {
  claims: ClaimsDeps;
  jobs: PackageJobStore;
  worker: PackageWorker;
  now: () => Date;
  newId: () => string;
}

/**
 * Starts building the package of an approved case: records a running job and hands it to the worker.
 * A case that is missing or not approved is refused here, synchronously, as the build would refuse it.
 */
export async function startPackageJob(deps: PackageJobDeps, input: { caseId: string; by: string; asOf?: CalendarDate }): Promise<PackageJob> {
  const c = await getCase(deps.claims, input.caseId);
  assertApproved(c);
  const job: PackageJob = {
    jobId: deps.newId(),
    caseId: c.caseId,
    status: 'running',
    by: input.by,
    ...(input.asOf ? { asOf: input.asOf } : {}),
    startedAt: deps.now().toISOString(),
  };
  return recordAndStart(deps, job, WHAT);
}

/** The worker's part: builds the package and records the outcome on the job (a failure is recorded, not thrown). */
export async function runPackageJob(
  deps: Pick<PackageJobDeps, 'claims' | 'jobs' | 'now'>,
  job: Pick<PackageJob, 'jobId' | 'caseId' | 'by' | 'asOf'>,
): Promise<PackageJob['status']> {
  const warn = deps.claims.logger ? (m: string, x: Record<string, unknown>) => deps.claims.logger?.warn(m, x) : undefined;
  return runJob(
    { jobs: deps.jobs, now: deps.now, ...(warn ? { warn } : {}) },
    job,
    'litigation package',
    async () => ({ manifest: await buildLitigationPackage(deps.claims, job.caseId, job.asOf as CalendarDate | undefined, job.by) }),
    { caseId: job.caseId },
  );
}

/** A job as operators see it; a job running past PACKAGE_JOB_DEADLINE_MS is reported failed (the worker was cut off). */
export async function packageJobStatus(deps: Pick<PackageJobDeps, 'jobs' | 'now'>, jobId: string): Promise<PackageJob> {
  const job = await deps.jobs.get(jobId);
  if (!job) throw new NotFoundError(`no litigation package job ${jobId}`);
  return asReported(job, deps.now(), PACKAGE_JOB_DEADLINE_MS, WHAT);
}
