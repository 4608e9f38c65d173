/** Fakes of the job ports (functions/ports/jobs.ts) for package and report job tests. */
import { TransientError } from '../../functions/domain/errors.js';
import type { JobRecord, JobStore, JobWorker } from '../../functions/ports/jobs.js';

/** Job records in memory (copies in and out, as a table would). */
export class MemoryJobs<J extends JobRecord, R extends keyof J = never> implements JobStore<J, R> {
  readonly jobs = new Map<string, J>();
  async create(job: J) {
    this.jobs.set(job.jobId, structuredClone(job));
  }
  async get(jobId: string) {
    const j = this.jobs.get(jobId);
    return j ? structuredClone(j) : undefined;
  }
  async settle(jobId: string, outcome: Pick<J, 'status' | 'finishedAt' | 'error' | R>) {
    this.jobs.set(jobId, { ...this.jobs.get(jobId)!, ...structuredClone(outcome) });
  }
}

/** A worker that only queues jobs (as Lambda's asynchronous invoke does); the test runs them. `failing`: it refuses with `refusal`. */
export class QueueWorker<J> implements JobWorker<J> {
  readonly queued: J[] = [];
  failing = false;
  constructor(private readonly refusal = 'the worker did not accept the job') {}
  async start(job: J) {
    if (this.failing) throw new TransientError(this.refusal);
    this.queued.push(job);
  }
}
