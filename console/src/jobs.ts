/**
 * What the console does with any operator job (court packages: package-job.ts; reports: report-job.ts):
 * start it, poll it once a second while it runs, reporting the seconds elapsed so the page can show
 * progress, and throw a failed job's error.
 */
import { ApiError } from './api.js';

export interface JobView {
  jobId: string;
  status: 'running' | 'done' | 'failed';
  error?: { code: string; message: string };
}

export async function runJob<J extends JobView>(
  start: () => Promise<J>,
  poll: (jobId: string) => Promise<J>,
  onProgress: (seconds: number) => void,
  failed: string,
  pollMs = 1000,
): Promise<J> {
  const started = Date.now();
  let job = await start();
  while (job.status === 'running') {
    onProgress(Math.round((Date.now() - started) / 1000));
    await new Promise((r) => setTimeout(r, pollMs));
    job = await poll(job.jobId);
  }
  if (job.status === 'failed') throw new ApiError(500, job.error?.message ?? failed, job.error?.code);
  return job;
}
