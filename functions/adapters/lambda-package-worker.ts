/**
 * The cloud's litigation-package worker: an asynchronous invoke (InvocationType Event) of the
 * claim-case function with `{ action: 'packageJob', … }`. Lambda queues the event and answers 202 at
 * once; the function builds the package (300 s, 1.5 GB) and records the outcome on the job.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { TransientError } from '../domain/errors.js';
import type { PackageJob, PackageWorker } from '../ports/package-jobs.js';

/** The event the claim-case function receives for a job (functions/handlers/claim-case.ts zPackageJobEvent). */
export const packageJobEvent = (job: Pick<PackageJob, 'jobId' | 'caseId' | 'by' | 'asOf'>) => ({
  action: 'packageJob' as const,
  jobId: job.jobId,
  caseId: job.caseId,
  by: job.by,
  ...(job.asOf ? { asOf: job.asOf } : {}),
});

export function createLambdaPackageWorker(functionName: string, client: LambdaClient): PackageWorker {
  return {
    async start(job) {
      const r = await client.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(packageJobEvent(job))) }),
      );
      if (r.StatusCode !== 202) throw new TransientError(`the package worker did not accept the job (status ${r.StatusCode ?? 'none'})`);
    },
  };
}
