/**
 * Ports of the asynchronous litigation-package build (functions/app/package-jobs.ts): the job record
 * operators poll and the worker that builds the package outside the request (cloud: the claim-case
 * Lambda invoked asynchronously, 300 s; local: the same use case in-process). The shape every job
 * shares is ./jobs.ts.
 */
import type { PackageManifest } from '../render/litigation-package.js';
import type { JobRecord, JobStatus, JobStore, JobWorker } from './jobs.js';

export type PackageJobStatus = JobStatus;

/** One build of a case's litigation package, started by an operator. */
export interface PackageJob extends JobRecord {
  caseId: string;
  /** The filing date the package is computed for (absent: the build day). */
  asOf?: string;
  /** When done: the manifest (every file with its key, size and SHA-256; warnings). */
  manifest?: PackageManifest;
}

export type PackageJobStore = JobStore<PackageJob, 'manifest'>;

/** Hands a recorded job to whatever builds it; returns once the build is under way, not when it is done. */
export type PackageWorker = JobWorker<PackageJob>;
