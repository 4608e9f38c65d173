/**
 * The cloud's litigation-package worker: an asynchronous invoke (InvocationType Event) of the
 * claim-case function with `{ action: 'packageJob', … }` (lambda-job-worker.ts). Lambda queues the
 * event and answers 202 at once; the function builds the package (300 s, 1.5 GB) and records the
 * outcome on the job.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { PackageJob, PackageWorker } from '../ports/package-jobs.js';
import { createLambdaJobWorker } from './lambda-job-worker.js';

/** The event the claim-case function receives for a job (functions/handlers/claim-case.ts zPackageJobEvent). */
export const packageJobEvent = (job: Pick<PackageJob, 'jobId' | 'caseId' | 'by' | 'asOf'>) => ({
  action: 'packageJob' as const,
  jobId: job.jobId,
  caseId: job.caseId,
  by: job.by,
  ...(job.asOf ? { asOf: job.asOf } : {}),
});

export const createLambdaPackageWorker = (functionName: string, client: LambdaClient): PackageWorker => createLambdaJobWorker(functionName, client, packageJobEvent, 'package');
