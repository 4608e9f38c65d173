/**
 * What every asynchronous job shares (litigation packages: ./package-jobs.ts; reports: ./report-jobs.ts):
 * a record operators poll (running → done with its result, or failed with the typed error's code and
 * message) and a worker that runs it outside the request. The shared steps are functions/app/jobs.ts.
 */
export type JobStatus = 'running' | 'done' | 'failed';

/** A failed job's reason: the typed error's code and message, never a stack. */
export interface JobError {
  code: string;
  message: string;
}

/** The fields every job record has. */
export interface JobRecord {
  jobId: string;
  status: JobStatus;
  /** Who asked (the audited operator). */
  by: string;
  startedAt: string;
  finishedAt?: string;
  /** When failed: the typed error's code and message. */
  error?: JobError;
}

/** The job records of one kind; `Result` names the fields a done job adds (e.g. the package's manifest). */
export interface JobStore<J extends JobRecord, Result extends keyof J = never> {
  /** Records a new running job. */
  create(job: J): Promise<void>;
  get(jobId: string): Promise<J | undefined>;
  /** Records the outcome of a running job (done with its result, or failed with its error). */
  settle(jobId: string, outcome: Pick<J, 'status' | 'finishedAt' | 'error' | Result>): Promise<void>;
}

/** Hands a recorded job to whatever runs it; returns once the job is under way, not when it is done. */
export interface JobWorker<J> {
  start(job: J): Promise<void>;
}
