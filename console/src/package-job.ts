/**
 * The court package is built as a job (building it can take longer than API Gateway's 29 s):
 * POST cases/{caseId}/package answers 202 with the job, GET package-jobs/{jobId} tells whether it is
 * still running, done (with the manifest) or failed. This polls once a second and reports the seconds
 * elapsed, so the page can show progress; a failed job throws its error.
 */
import { ApiError, enc, get, post } from './api.js';

export interface PackageJob {
  jobId: string;
  caseId: string;
  status: 'running' | 'done' | 'failed';
  manifest?: { files: { name: string; key: string; title: string; bytes: number }[] };
  error?: { code: string; message: string };
}

export async function buildPackage(caseId: string, onProgress: (seconds: number) => void, pollMs = 1000): Promise<PackageJob> {
  const started = Date.now();
  let job = await post<PackageJob>(`cases/${enc(caseId)}/package`, {});
  while (job.status === 'running') {
    onProgress(Math.round((Date.now() - started) / 1000));
    await new Promise((r) => setTimeout(r, pollMs));
    job = await get<PackageJob>(`package-jobs/${enc(job.jobId)}`);
  }
  if (job.status === 'failed') throw new ApiError(500, job.error?.message ?? 'the package could not be built', job.error?.code);
  return job;
}
