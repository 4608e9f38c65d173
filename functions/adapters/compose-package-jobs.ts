/**
 * Wiring of the litigation-package jobs (a composition module): the job store on the table and the
 * worker that builds outside the request. The cloud passes the claim-case function's asynchronous
 * invoke (lambda-package-worker.ts); without one (the local stack, tests) the job runs in this
 * process after the request has been answered.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimsDeps } from '../app/claims.js';
import { runPackageJob, type PackageJobDeps } from '../app/package-jobs.js';
import type { PackageWorker } from '../ports/package-jobs.js';
import { DynamoPackageJobs } from './dynamo-package-jobs.js';

export function composePackageJobs(x: { claims: ClaimsDeps; doc: DynamoDBDocumentClient; tableName: string; worker?: PackageWorker; now?: () => Date }): PackageJobDeps {
  const jobs = new DynamoPackageJobs({ doc: x.doc, tableName: x.tableName });
  const now = x.now ?? (() => new Date());
  const inProcess: PackageWorker = {
    async start(job) {
      // Not awaited: the route answers 202 while the build runs; runPackageJob records any failure on the job.
      void runPackageJob({ claims: x.claims, jobs, now }, job).catch((err: unknown) =>
        x.claims.logger?.warn('litigation package job could not record its outcome', { jobId: job.jobId, error: (err as Error).message }),
      );
    },
  };
  return { claims: x.claims, jobs, worker: x.worker ?? inProcess, now, newId: () => `pkg-${randomUUID()}` };
}
