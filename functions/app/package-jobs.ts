/**
 * Litigation package builds as jobs (issue 17 item 10): building a package renders the calculation,
 * the statement and the letter copies and can take longer than API Gateway's 29 s, so the operator
 * route only starts a job (202 with its id) and the build runs elsewhere: in the cloud the claim-case
 * Lambda (the one the ClaimCase workflow builds packages with: 300 s, 1.5 GB) invoked asynchronously,
 * locally in-process. Operators poll the job until it is done (the manifest with every file's key) or
 * failed (the error's code and message).
 */
import { ClaimflowError, NotFoundError } from '../domain/errors.js';
import { assertApproved } from '../domain/claims/index.js';
import type { CalendarDate } from '../domain/dates.js';
import type { PackageJob, PackageJobStore, PackageWorker } from '../ports/package-jobs.js';
import { buildLitigationPackage, getCase, type ClaimsDeps } from './claims.js';

/** How long a job's event may wait in the worker's queue (cloud: the asynchronous invoke's maximum event age). */
export const PACKAGE_JOB_QUEUE_MS = 5 * 60_000;
/** The worker's own time limit (cloud: the claim-case function's timeout, 300 s). */
export const PACKAGE_JOB_RUN_MS = 5 * 60_000;
/**
 * A job still running this long after its start has failed: its event has waited as long as it may,
 * the worker as long as it can run, and a minute more; the build was dropped or cut off.
 */
export const PACKAGE_JOB_DEADLINE_MS = PACKAGE_JOB_QUEUE_MS + PACKAGE_JOB_RUN_MS + 60_000;

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
  await deps.jobs.create(job);
  try {
    await deps.worker.start(job);
  } catch (err) {
    await deps.jobs.settle(job.jobId, { status: 'failed', finishedAt: deps.now().toISOString(), error: errorOf(err) });
    throw err;
  }
  return job;
}

/** The worker's part: builds the package and records the outcome on the job (a failure is recorded, not thrown). */
export async function runPackageJob(
  deps: Pick<PackageJobDeps, 'claims' | 'jobs' | 'now'>,
  job: Pick<PackageJob, 'jobId' | 'caseId' | 'by' | 'asOf'>,
): Promise<PackageJob['status']> {
  try {
    const manifest = await buildLitigationPackage(deps.claims, job.caseId, job.asOf as CalendarDate | undefined, job.by);
    await deps.jobs.settle(job.jobId, { status: 'done', finishedAt: deps.now().toISOString(), manifest });
    return 'done';
  } catch (err) {
    deps.claims.logger?.warn('litigation package job failed', { jobId: job.jobId, caseId: job.caseId, error: (err as Error).message });
    await deps.jobs.settle(job.jobId, { status: 'failed', finishedAt: deps.now().toISOString(), error: errorOf(err) });
    return 'failed';
  }
}

/** A job as operators see it; a job running past PACKAGE_JOB_DEADLINE_MS is reported failed (the worker was cut off). */
export async function packageJobStatus(deps: Pick<PackageJobDeps, 'jobs' | 'now'>, jobId: string): Promise<PackageJob> {
  const job = await deps.jobs.get(jobId);
  if (!job) throw new NotFoundError(`no litigation package job ${jobId}`);
  if (job.status === 'running' && deps.now().getTime() - Date.parse(job.startedAt) > PACKAGE_JOB_DEADLINE_MS) {
    return { ...job, status: 'failed', error: { code: 'TIMED_OUT', message: `the build did not finish within ${PACKAGE_JOB_DEADLINE_MS / 60_000} minutes; start it again` } };
  }
  return job;
}

function errorOf(err: unknown): { code: string; message: string } {
  if (err instanceof ClaimflowError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: 'the package could not be built (see the worker log)' };
}
