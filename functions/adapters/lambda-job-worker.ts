/**
 * The cloud's job workers: an asynchronous invoke (InvocationType Event) of the function that runs the
 * job, with the job's event. Lambda queues the event and answers 202 at once; the function runs the job
 * and records the outcome on it. Litigation packages go to claim-case (lambda-package-worker.ts),
 * reports to weekly-summary (below).
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { TransientError } from '../domain/errors.js';
import type { JobWorker } from '../ports/jobs.js';
import type { ReportJob, ReportWorker } from '../ports/report-jobs.js';

/** A worker that invokes `functionName` asynchronously with `eventOf(job)`; `what` names the worker in its error. */
export function createLambdaJobWorker<J>(functionName: string, client: LambdaClient, eventOf: (job: J) => unknown, what: string): JobWorker<J> {
  return {
    async start(job) {
      const r = await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(eventOf(job))) }));
      if (r.StatusCode !== 202) throw new TransientError(`the ${what} worker did not accept the job (status ${r.StatusCode ?? 'none'})`);
    },
  };
}

/** The event the weekly-summary function receives for a report job (functions/handlers/weekly-summary.ts zReportJobEvent). */
export const reportJobEvent = (job: Pick<ReportJob, 'jobId' | 'name' | 'params' | 'by'>) => ({
  action: 'report-job' as const,
  jobId: job.jobId,
  name: job.name,
  params: job.params,
  by: job.by,
});

/** Report jobs run by the weekly-summary function (900 s, 6 GB), invoked asynchronously. */
export const createLambdaReportWorker = (functionName: string, client: LambdaClient): ReportWorker => createLambdaJobWorker(functionName, client, reportJobEvent, 'report');
