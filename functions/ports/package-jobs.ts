/**
 * Ports of the asynchronous litigation-package build (functions/app/package-jobs.ts): the job record
 * operators poll and the worker that builds the package outside the request (cloud: the claim-case
 * Lambda invoked asynchronously, 300 s; local: the same use case in-process).
 */
import type { PackageManifest } from '../render/litigation-package.js';

export type PackageJobStatus = 'running' | 'done' | 'failed';

/** One build of a case's litigation package, started by an operator. */
export interface PackageJob {
  jobId: string;
  caseId: string;
  status: PackageJobStatus;
  /** Who asked (the audited operator). */
  by: string;
  /** The filing date the package is computed for (absent: the build day). */
  asOf?: string;
  startedAt: string;
  finishedAt?: string;
  /** When done: the manifest (every file with its key, size and SHA-256; warnings). */
  manifest?: PackageManifest;
  /** When failed: the typed error's code and message. */
  error?: { code: string; message: string };
}

export interface PackageJobStore {
  /** Records a new running job. */
  create(job: PackageJob): Promise<void>;
  get(jobId: string): Promise<PackageJob | undefined>;
  /** Records the outcome of a running job (done with its manifest, or failed with its error). */
  settle(jobId: string, outcome: Pick<PackageJob, 'status' | 'finishedAt' | 'manifest' | 'error'>): Promise<void>;
}

/** Hands a recorded job to whatever builds it; returns once the build is under way, not when it is done. */
export interface PackageWorker {
  start(job: PackageJob): Promise<void>;
}
