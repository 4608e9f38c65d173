/**
 * The steps every asynchronous job shares (litigation packages: ./package-jobs.ts; reports:
 * ./report-jobs.ts): record a running job and hand it to the worker, run it and record the outcome
 * (a failure is recorded, never thrown), and report a job still running past its deadline as failed.
 */
import { ClaimflowError } from '../domain/errors.js';
import type { JobError, JobRecord, JobStatus, JobStore, JobWorker } from '../ports/jobs.js';

/** A minute more than the worker can take: the margin between its end and the record's settling. */
const DEADLINE_MARGIN_MS = 60_000;

/**
 * When a job still running has failed: its event has waited in the worker's queue as long as it may
 * (`queueMs`, cloud: the asynchronous invoke's maximum event age), the worker has run as long as it can
 * (`runMs`, the function's timeout), and a minute more; the run was dropped or cut off.
 */
export const jobDeadlineMs = (t: { queueMs: number; runMs: number }): number => t.queueMs + t.runMs + DEADLINE_MARGIN_MS;

/** A failed job's error: the typed error's code and message; anything else is INTERNAL (`what` could not be built), never a stack. */
export function jobErrorOf(err: unknown, what: string): JobError {
  if (err instanceof ClaimflowError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: `the ${what} could not be built (see the worker log)` };
}

export interface JobDeps<J extends JobRecord, R extends keyof J> {
  jobs: JobStore<J, R>;
  now: () => Date;
  /** Where a failed run is logged (the worker's log). */
  warn?: (message: string, details: Record<string, unknown>) => void;
}

/** Records a running job and hands it to the worker; a worker that refuses it leaves the job failed with that error (and throws it). */
export async function recordAndStart<J extends JobRecord, R extends keyof J>(deps: JobDeps<J, R> & { worker: JobWorker<J> }, job: J, what: string): Promise<J> {
  await deps.jobs.create(job);
  try {
    await deps.worker.start(job);
  } catch (err) {
    await deps.jobs.settle(job.jobId, failedOutcome(deps, err, what));
    throw err;
  }
  return job;
}

/**
 * The worker's part: runs `work` and records its result on the job as done, or its error as failed (a
 * failure is recorded, not thrown). The worker may get an event twice (Lambda's asynchronous delivery,
 * and its retry of a run that crashed): a job already settled is not run again, and an event whose job
 * is not recorded (expired, or another table) runs nothing.
 */
export async function runJob<J extends JobRecord, R extends keyof J>(
  deps: JobDeps<J, R>,
  job: Pick<J, 'jobId'>,
  what: string,
  work: () => Promise<Pick<J, R>>,
  details: Record<string, unknown> = {},
): Promise<JobStatus> {
  const recorded = await deps.jobs.get(job.jobId);
  if (!recorded) {
    deps.warn?.(`${what} job not found; nothing built`, { jobId: job.jobId, ...details });
    return 'failed';
  }
  if (recorded.status !== 'running') return recorded.status;
  try {
    const result = await work();
    await deps.jobs.settle(job.jobId, { ...result, status: 'done', finishedAt: deps.now().toISOString() } as Pick<J, 'status' | 'finishedAt' | 'error' | R>);
    return 'done';
  } catch (err) {
    deps.warn?.(`${what} job failed`, { jobId: job.jobId, ...details, error: (err as Error).message });
    await deps.jobs.settle(job.jobId, failedOutcome(deps, err, what));
    return 'failed';
  }
}

/** The job as operators see it: one still running past `deadlineMs` after its start is reported failed (TIMED_OUT). */
export function asReported<J extends JobRecord>(job: J, now: Date, deadlineMs: number, what: string): J {
  if (job.status === 'running' && now.getTime() - Date.parse(job.startedAt) > deadlineMs) {
    return { ...job, status: 'failed', error: { code: 'TIMED_OUT', message: `the ${what} did not finish within ${Math.round(deadlineMs / 60_000)} minutes; start it again` } };
  }
  return job;
}

function failedOutcome<J extends JobRecord, R extends keyof J>(deps: Pick<JobDeps<J, R>, 'now'>, err: unknown, what: string) {
  return { status: 'failed', finishedAt: deps.now().toISOString(), error: jobErrorOf(err, what) } as Pick<J, 'status' | 'finishedAt' | 'error' | R>;
}
